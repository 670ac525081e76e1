import { paymentAdapters } from '../../shared/adapters/payment-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as paymentRoutes from '../../shared/http/routes/payments';
import { createPayment } from '../../shared/usecases/payments/create-payment';

const adapters = paymentAdapters();

export const handler = httpRoute(
  paymentRoutes.createPayment,
  async ({ path, body, caller, idempotencyKey, sourceIp }) => {
    const answer = await createPayment(
      {
        code: path.code,
        caller,
        locale: body.locale,
        clientIp: sourceIp ?? '127.0.0.1',
        ...(idempotencyKey ? { idempotencyKey } : {}),
      },
      await adapters.payments(),
    );
    return { status: answer.created ? 201 : 200, body: answer };
  },
);
