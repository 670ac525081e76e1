// Where the citizen's browser lands after VNPay: a page that says where the payment stands by our own record.
import { paymentAdapters } from '../../shared/adapters/payment-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as paymentRoutes from '../../shared/http/routes/payments';
import { paymentReturnPage } from '../../shared/pages/payment-return';
import { describeReturn } from '../../shared/usecases/payments/settle-payment';

const adapters = paymentAdapters();

export const handler = httpRoute(paymentRoutes.vnpayReturn, async ({ query }) => {
  const view = await describeReturn(query, await adapters.returns());
  return {
    raw: { body: paymentReturnPage(view), contentType: 'text/html; charset=utf-8' },
    headers: {
      'cache-control': 'no-store',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
      'referrer-policy': 'no-referrer',
    },
  };
});
