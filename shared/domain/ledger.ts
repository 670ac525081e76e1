// The payment ledger (issue #9): one entry per settled payment, under the branch and the Vietnam-local day of its
// settlement, and the totals a branch reconciles its day with. Pure: the entry follows from the settlement's event and
// the dossier alone, so a redelivered event computes the very same entry.
import type { LedgerEntry, PaymentReportTotals } from '../schemas/ledger';
import { dayString, localParts } from './calendar-core';
import type { Dossier } from './dossier';
import type { DomainEvent } from './events';
import type { FeeDueItem } from './fees';
import { paymentOf } from './payments';

export type { LedgerEntry, PaymentReport, PaymentReportTotals } from '../schemas/ledger';

export type SettlementEvent = DomainEvent<'DossierPaid'> | DomainEvent<'DossierPaymentFailed'>;

/** The Vietnam-local day (YYYY-MM-DD) of an instant: the ledger's day boundary is local midnight. */
export function ledgerDay(at: string | Date): string {
  return dayString(localParts(new Date(at)).day);
}

/**
 * The fees a payment's applied part paid. The dossier's fees are paid in their listed order, so the payment covers the
 * slice from what was paid before it to that plus what it applied; each fee gets its overlap with that slice.
 */
export function paidFeeItems(
  items: readonly FeeDueItem[],
  paidBeforeVnd: number,
  appliedVnd: number,
): LedgerEntry['feeItems'] {
  const from = paidBeforeVnd;
  const to = paidBeforeVnd + appliedVnd;
  const paid: LedgerEntry['feeItems'] = [];
  let start = 0;
  for (const item of items) {
    const end = start + item.dueVnd;
    const overlap = Math.min(end, to) - Math.max(start, from);
    if (overlap > 0) paid.push({ feeId: item.feeId, name: item.name, amountVnd: overlap });
    start = end;
  }
  return paid;
}

/**
 * The entry of one settlement. What the event says wins (outcome, amounts); the payment's record on the dossier adds
 * the provider's transaction number and the settlement time, which never change once settled. A dossier that no
 * longer lists the payment is a broken invariant: it throws, so the stream retries and then dead-letters the event.
 */
export function ledgerEntry(dossier: Dossier, event: SettlementEvent): LedgerEntry {
  const paymentId = event.payload.paymentId;
  const payment = paymentOf(dossier, paymentId);
  if (!payment) throw new Error(`payment ${paymentId} of event ${event.id} is not on ${dossier.code}`);
  const settledAt = payment.settledAt ?? event.at;
  const common = {
    paymentId,
    settledAt,
    day: ledgerDay(settledAt),
    unit: dossier.unit,
    dossierCode: dossier.code,
    procedureCode: dossier.procedure.code,
    channel: dossier.channel,
    provider: event.payload.provider,
    ...(payment.providerTransactionNo ? { providerTransactionNo: payment.providerTransactionNo } : {}),
    ...(payment.responseCode ? { responseCode: payment.responseCode } : {}),
    settledBy: event.payload.settledBy,
    amountVnd: event.payload.amountVnd,
  };
  if (event.name === 'DossierPaymentFailed') {
    return { ...common, outcome: 'failed', appliedVnd: 0, refundDueVnd: 0, feeItems: [] };
  }
  const { amountVnd, refundDueVnd, outstandingVnd } = event.payload;
  const appliedVnd = amountVnd - refundDueVnd;
  const totalVnd = dossier.fees?.totalVnd ?? 0;
  // Paid up to and including this payment, less its own part: read from the event, not from the dossier's current
  // `paidVnd`, which later payments (or a close that makes the payments refund-due) have moved since.
  const paidBeforeVnd = Math.max(0, totalVnd - outstandingVnd - appliedVnd);
  return {
    ...common,
    outcome: 'paid',
    appliedVnd,
    refundDueVnd,
    feeItems: paidFeeItems(dossier.fees?.items ?? [], paidBeforeVnd, appliedVnd),
  };
}

/** A day's totals: money received, what of it is due back, the applied part per fee, the received part per channel. */
export function reportTotals(entries: readonly LedgerEntry[]): PaymentReportTotals {
  const paid = entries.filter((e) => e.outcome === 'paid');
  const byFee = new Map<string, PaymentReportTotals['byFee'][number]>();
  const byChannel = new Map<string, PaymentReportTotals['byChannel'][number]>();
  for (const entry of paid) {
    for (const item of entry.feeItems) {
      const key = `${entry.procedureCode}\u0000${item.feeId}`;
      const total = byFee.get(key) ?? {
        procedureCode: entry.procedureCode,
        feeId: item.feeId,
        name: item.name,
        count: 0,
        amountVnd: 0,
      };
      total.count += 1;
      total.amountVnd += item.amountVnd;
      byFee.set(key, total);
    }
    const channel = byChannel.get(entry.channel) ?? { channel: entry.channel, count: 0, amountVnd: 0 };
    channel.count += 1;
    channel.amountVnd += entry.amountVnd;
    byChannel.set(entry.channel, channel);
  }
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    paidCount: paid.length,
    paidVnd: sum(paid.map((e) => e.amountVnd)),
    failedCount: entries.length - paid.length,
    refundDueVnd: sum(paid.map((e) => e.refundDueVnd)),
    byFee: [...byFee.values()].sort(
      (a, b) => a.procedureCode.localeCompare(b.procedureCode) || a.feeId.localeCompare(b.feeId),
    ),
    byChannel: [...byChannel.values()].sort((a, b) => a.channel.localeCompare(b.channel)),
  };
}
