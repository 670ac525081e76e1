// VNPay's IPN: the answer is always 200 with VNPay's reply code (a 5xx would only make VNPay call again, unheard).
import { paymentAdapters } from '../../shared/adapters/payment-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as paymentRoutes from '../../shared/http/routes/payments';
import { CALLBACK_OUTCOME } from '../../shared/ports/payment-provider';
import { handleCallback } from '../../shared/usecases/payments/settle-payment';

const adapters = paymentAdapters();

export const handler = httpRoute(paymentRoutes.vnpayCallback, async ({ query, requestId, log, metrics }) => {
  let deps: Awaited<ReturnType<typeof adapters.callbacks>>;
  try {
    deps = await adapters.callbacks();
  } catch (error) {
    // The provider cannot be built (its secret unreadable): VNPay calls again; the error log tells the operators.
    log.error('payment provider unavailable', { error });
    metrics.countOperational('PaymentCallbackFailures');
    return { body: { RspCode: CALLBACK_OUTCOME.unknownError, Message: 'Unknown error' } };
  }
  const answer = await handleCallback({ params: query, requestId }, deps);
  if (answer.error) {
    log.error('payment callback failed', { error: answer.error });
    metrics.countOperational('PaymentCallbackFailures');
  }
  if (answer.auditError) {
    log.error('payment callback not audited', { error: answer.auditError, code: answer.code });
    metrics.countOperational('RefusalsNotAudited');
  }
  if (answer.code !== CALLBACK_OUTCOME.confirmed) log.info('payment callback refused', { code: answer.code });
  return { body: answer.reply };
});
