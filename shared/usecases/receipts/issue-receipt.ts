// On DossierPaid, the e-receipt for what the payment paid of the dossier's fees (Decree 123/2020 Art. 32 as amended by
// Decree 70/2025), issued out of the request path: the next number of the book's counter for the year of issue, then
// the receipt and the consumer's mark in one transaction. Nothing is rendered here: the PDF is made on first download.
import type { DomainEvent } from '../../domain/events';
import {
  type CollectorBook,
  type IssuedReceipt,
  paidItems,
  providerName,
} from '../../domain/issued-receipts';
import { paymentOf } from '../../domain/payments';
import {
  buildReceiptData,
  maskPayerId,
  type ReceiptNumber,
  receiptCounterKey,
  receiptNumberSchema,
  receiptSeries,
  receiptYear,
} from '../../domain/receipts';
import type { CatalogueRepository } from '../../ports/catalogue-repository';
import type { DossierRepository } from '../../ports/dossier-repository';
import type { ReceiptStore } from '../../ports/receipts';

export const RECEIPT_ISSUER_CONSUMER = 'receipt-issuer';

export interface IssueReceiptDeps {
  dossiers: Pick<DossierRepository, 'get'>;
  catalogue: Pick<CatalogueRepository, 'branch'>;
  receipts: ReceiptStore;
  book: CollectorBook;
  clock: () => Date;
}

export type IssueOutcome =
  | { outcome: 'issued'; receipt: IssuedReceipt }
  | { outcome: 'duplicate' }
  | { outcome: 'nothing-applied' };

// The content is checked before it takes a number; the real verification URL (the public host) is added when the
// PDF is made, so this stand-in only satisfies the shape.
const STAND_IN_URL = 'https://receipt.invalid/verify';

export async function issueReceipt(
  event: DomainEvent<'DossierPaid'>,
  deps: IssueReceiptDeps,
): Promise<IssueOutcome> {
  const { paymentId, amountVnd, refundDueVnd, outstandingVnd } = event.payload;
  // Money the dossier did not owe is refund-due, not a fee collected: no receipt for it.
  const appliedVnd = amountVnd - refundDueVnd;
  if (appliedVnd <= 0) return { outcome: 'nothing-applied' };
  // Asked before a number is taken, so a redelivered event leaves no gap.
  if (await deps.receipts.consumed(RECEIPT_ISSUER_CONSUMER, event.id)) return { outcome: 'duplicate' };

  // The event was written with the dossier: a missing dossier, payment or branch is a broken invariant, thrown so the
  // stream retries it and then dead-letters it where someone will look.
  const dossier = await deps.dossiers.get(event.dossierCode);
  if (!dossier?.fees) throw new Error(`dossier ${event.dossierCode} of event ${event.id} has no fees`);
  const payment = paymentOf(dossier, paymentId);
  if (payment?.status !== 'paid' || !payment.providerTransactionNo) {
    throw new Error(`payment ${paymentId} of ${dossier.code} is not recorded as paid`);
  }
  const branch = await deps.catalogue.branch(dossier.unit);
  if (!branch) throw new Error(`branch ${dossier.unit} of ${dossier.code} is not in the catalogue`);

  // After this payment the dossier owed `outstandingVnd`; what it had paid before is the rest.
  const paidBeforeVnd = dossier.fees.totalVnd - outstandingVnd - appliedVnd;
  const items = paidItems(dossier.fees.items, paidBeforeVnd, appliedVnd);
  const issuedAt = deps.clock();
  const year = receiptYear(issuedAt);
  const series = receiptSeries(deps.book.seriesLetters, year);
  const counterKey = receiptCounterKey(deps.book.collectorTaxCode, series, year);
  const content = (receiptNumber: ReceiptNumber) =>
    buildReceiptData({
      receiptNumber,
      issuedAt: issuedAt.toISOString(),
      collector: { name: branch.name.vi, taxCode: deps.book.collectorTaxCode, address: branch.address },
      payer: { name: dossier.applicant.fullName, idNumber: dossier.applicant.citizenId },
      dossierCode: dossier.code,
      items,
      totalVnd: appliedVnd,
      paidAt: payment.payDate ?? payment.settledAt ?? event.at,
      payment: {
        method: 'online',
        provider: providerName(payment.provider),
        providerTransactionNo: payment.providerTransactionNo!,
      },
      verificationUrl: STAND_IN_URL,
    });
  const template = { templateSymbol: deps.book.templateSymbol, series, year };
  // A receipt that could not be printed is refused before it costs a number.
  content({ ...template, number: 1 });

  const number = await deps.receipts.allocate(counterKey);
  const voidIt = (reason: string) =>
    deps.receipts.recordVoid(counterKey, number, {
      reason,
      at: deps.clock().toISOString(),
      dossierCode: dossier.code,
      eventId: event.id,
    });
  const parsed = receiptNumberSchema.safeParse({ ...template, number });
  if (!parsed.success) throw new RangeError(`series ${series} has no number ${number} to give`);
  const data = content(parsed.data);
  const receipt: IssuedReceipt = {
    dossierCode: dossier.code,
    receiptNumber: data.receiptNumber,
    issuedAt: data.issuedAt,
    collector: data.collector,
    payer: { name: data.payer.name, idNumberMasked: maskPayerId(dossier.applicant.citizenId) },
    items: data.items,
    totalVnd: data.totalVnd,
    amountInWords: data.amountInWords,
    paidAt: data.paidAt,
    paymentId,
    payment: data.payment,
    eventId: event.id,
  };
  let outcome: 'issued' | 'duplicate';
  try {
    outcome = await deps.receipts.issue(receipt, {
      consumer: RECEIPT_ISSUER_CONSUMER,
      eventId: event.id,
      at: receipt.issuedAt,
    });
  } catch (error) {
    // The number is spent (the counter never goes back): the void record says why it is on no receipt.
    await voidIt('issue-failed');
    throw error;
  }
  if (outcome === 'duplicate') {
    await voidIt('duplicate-delivery');
    return { outcome };
  }
  return { outcome, receipt };
}
