// The e-receipts the platform has issued (receipts.ts holds the numbering rule and the printed content): the record
// kept per receipt, the book the center issues from, and which fees a payment paid. Pure.
import type { FeeDueItem } from './fees';
import { isTaxCode } from './identity-numbers';
import {
  DEFAULT_TEMPLATE_SYMBOL,
  formatReceiptNumber,
  type ReceiptBook,
  type ReceiptItem,
  type ReceiptNumber,
  type ReceiptPayment,
  SERIES_LETTERS_PATTERN,
  TEMPLATE_SYMBOL_PATTERN,
} from './receipts';

/** A receipt book with the collector that registered it: its tax code is part of every number's counter. */
export interface CollectorBook extends ReceiptBook {
  collectorTaxCode: string;
}

/**
 * A placeholder tax code with a valid check digit: the center's own registration with the tax authority was not in
 * the sources this was written from. Every environment's configuration names its book (infra/config/environments.ts
 * `receipts`); a prod synth with this code warns, and it must be replaced before the first real receipt.
 */
export const PLACEHOLDER_COLLECTOR_TAX_CODE = '0101234565';

/**
 * The book the embedded stack and the tests issue from. The template symbol is the one receipt software most often
 * registers. A changed tax code or template starts a new counter, as a newly registered book does.
 */
export const centerReceiptBook: CollectorBook = {
  templateSymbol: DEFAULT_TEMPLATE_SYMBOL,
  seriesLetters: 'BL',
  collectorTaxCode: PLACEHOLDER_COLLECTOR_TAX_CODE,
};

/** A book from configuration, checked: the shapes the numbering rule needs (receipts.ts), a tax code with its check digit. */
export function parseCollectorBook(raw: CollectorBook): CollectorBook {
  if (!TEMPLATE_SYMBOL_PATTERN.test(raw.templateSymbol))
    throw new RangeError(
      `not a receipt template symbol (e.g. 01BLP0-001): ${JSON.stringify(raw.templateSymbol)}`,
    );
  if (!SERIES_LETTERS_PATTERN.test(raw.seriesLetters))
    throw new RangeError(
      `series letters must be two capital letters, got ${JSON.stringify(raw.seriesLetters)}`,
    );
  if (!isTaxCode(raw.collectorTaxCode))
    throw new RangeError(
      `not a tax code (10 digits with its check digit): ${JSON.stringify(raw.collectorTaxCode)}`,
    );
  return {
    templateSymbol: raw.templateSymbol,
    seriesLetters: raw.seriesLetters,
    collectorTaxCode: raw.collectorTaxCode,
  };
}

/** What was issued, as stored: everything the receipt prints except the payer's whole ID and the verification URL. */
export interface IssuedReceipt {
  dossierCode: string;
  receiptNumber: ReceiptNumber;
  /** ISO instant of issue; its Vietnam year is the number's year. */
  issuedAt: string;
  collector: { name: string; taxCode: string; address: string };
  /** The ID number only masked (`maskPayerId`): the whole one stays on the dossier. */
  payer: { name: string; idNumberMasked?: string };
  items: ReceiptItem[];
  totalVnd: number;
  amountInWords: string;
  paidAt: string;
  paymentId: string;
  payment: ReceiptPayment;
  /** The DossierPaid event it was issued for. */
  eventId: string;
}

/**
 * The fees a payment paid, in the order the dossier lists them: the payment covers the `appliedVnd` that follow the
 * `paidBeforeVnd` earlier payments covered. Fees relieved or exempted to 0 are no line. RangeError when the payment
 * covers more than the fees (an event that does not match its dossier).
 */
export function paidItems(
  fees: readonly Pick<FeeDueItem, 'feeId' | 'name' | 'dueVnd'>[],
  paidBeforeVnd: number,
  appliedVnd: number,
): ReceiptItem[] {
  if (!Number.isSafeInteger(paidBeforeVnd) || paidBeforeVnd < 0) {
    throw new RangeError(`not an amount paid before: ${paidBeforeVnd}`);
  }
  let skip = paidBeforeVnd;
  let left = appliedVnd;
  const items: ReceiptItem[] = [];
  for (const fee of fees) {
    if (fee.dueVnd <= 0) continue;
    const open = Math.max(0, fee.dueVnd - skip);
    skip = Math.max(0, skip - fee.dueVnd);
    const take = Math.min(open, left);
    if (take > 0) items.push({ feeId: fee.feeId, name: fee.name.vi, amountVnd: take });
    left -= take;
  }
  if (left > 0) {
    throw new RangeError(
      `${appliedVnd} VND after ${paidBeforeVnd} paid is more than the fees (${left} over)`,
    );
  }
  return items;
}

/** How a provider's id is printed on the receipt. */
const providerNames: Record<string, string> = { vnpay: 'VNPay' };
export const providerName = (provider: string) => providerNames[provider] ?? provider;

/** The path of the public check the QR code points at (the host is the deployment's public base URL). */
export function verificationPath(receipt: Pick<IssuedReceipt, 'dossierCode' | 'receiptNumber'>): string {
  const query = new URLSearchParams({
    series: receipt.receiptNumber.series,
    number: formatReceiptNumber(receipt.receiptNumber.number),
    code: receipt.dossierCode,
  });
  return `/v1/receipts/verify?${query}`;
}

/** Where the applicant and the branch's staff download the PDF. */
export function receiptHref(receipt: Pick<IssuedReceipt, 'dossierCode' | 'receiptNumber'>): string {
  const { series, number } = receipt.receiptNumber;
  return `/v1/dossiers/${encodeURIComponent(receipt.dossierCode)}/receipts/${formatReceiptNumber(number)}?series=${series}`;
}
