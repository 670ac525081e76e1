// Every settled payment, paid or failed, becomes one entry of the branch's daily payment ledger, once.
import { recordPaymentDeps } from '../../shared/adapters/ledger-deps';
import { onEvents } from '../../shared/events/handler';
import { PAYMENT_LEDGER_CONSUMER, recordSettledPayment } from '../../shared/usecases/ledger/record-payment';

const deps = recordPaymentDeps();

export const handler = onEvents(
  ['DossierPaid', 'DossierPaymentFailed'],
  async (event, { log }) => {
    const { outcome, entry } = await recordSettledPayment(event, deps);
    log.info('ledger', { outcome, unit: entry.unit, day: entry.day, paymentId: entry.paymentId });
  },
  { consumer: PAYMENT_LEDGER_CONSUMER },
);
