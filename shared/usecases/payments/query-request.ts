// The provider's querydr request for one of our payments: what reconciliation and the refund re-check both send.
import { randomBytes } from 'node:crypto';
import type { Payment } from '../../domain/payments';
import type { QueryRequest } from '../../ports/payment-provider';

export function paymentQuery(
  payment: Pick<Payment, 'id' | 'createdAt'>,
  deps: { clock: () => Date; serverIp: string },
  description: string,
): QueryRequest {
  return {
    // Unique per request: the provider refuses a repeated id within 5 minutes.
    requestId: randomBytes(16).toString('hex'),
    paymentId: payment.id,
    paymentCreatedAt: new Date(payment.createdAt),
    requestedAt: deps.clock(),
    serverIp: deps.serverIp,
    description,
  };
}
