import { paymentAdapters } from '../../shared/adapters/payment-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as paymentRoutes from '../../shared/http/routes/payments';
import { refundDossier } from '../../shared/usecases/payments/refund';

const adapters = paymentAdapters();

export const handler = httpRoute(
  paymentRoutes.refundDossier,
  async ({ path, body, caller, idempotencyKey }) => {
    const answer = await refundDossier(
      { code: path.code, caller, reason: body.reason, ...(idempotencyKey ? { idempotencyKey } : {}) },
      await adapters.refunds(),
    );
    return { status: answer.refund.status === 'pending' ? 202 : 200, body: answer };
  },
);
