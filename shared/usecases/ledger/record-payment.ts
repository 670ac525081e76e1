// The `payment-ledger` consumer: every settled payment (paid or failed) becomes one ledger entry under its branch and
// the Vietnam-local day of its settlement, with the consumed mark in the same write, so a redelivery writes nothing.
import { type LedgerEntry, ledgerEntry, type SettlementEvent } from '../../domain/ledger';
import type { DossierRepository } from '../../ports/dossier-repository';
import type { PaymentLedger } from '../../ports/payment-ledger';

export const PAYMENT_LEDGER_CONSUMER = 'payment-ledger';

export interface RecordPaymentDeps {
  dossiers: Pick<DossierRepository, 'get'>;
  ledger: Pick<PaymentLedger, 'record'>;
  clock: () => Date;
}

export async function recordSettledPayment(
  event: SettlementEvent,
  deps: RecordPaymentDeps,
): Promise<{ outcome: 'recorded' | 'duplicate'; entry: LedgerEntry }> {
  // The event was written with the dossier: a missing one is a broken invariant, for the retries and the DLQ.
  const dossier = await deps.dossiers.get(event.dossierCode);
  if (!dossier) throw new Error(`dossier ${event.dossierCode} of event ${event.id} is missing`);
  const entry = ledgerEntry(dossier, event);
  const outcome = await deps.ledger.record(entry, {
    consumer: PAYMENT_LEDGER_CONSUMER,
    eventId: event.id,
    at: deps.clock().toISOString(),
  });
  return { outcome, entry };
}
