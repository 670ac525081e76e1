// E-receipts for fees and charges (biên lai điện tử thu phí, lệ phí; Decree 123/2020/NĐ-CP Art. 32 as amended by
// Decree 70/2025/NĐ-CP): the numbering rule and the validated content of one receipt. Pure: the counter that makes
// numbers unique lives in the caller's store (an atomic counter at `receiptCounterKey`), the PDF in shared/forms.
//
// What the symbols look like. The legal text of the current template-symbol rule was not found in the reference
// corpora this was written from, so the shapes below are those seen in public e-receipt integrations (clients of
// VNPT's and other providers' receipt services: template `01BLP0-001`, series `AA-22E`, `BT-23E`, `DT-20E`) and are
// checked loosely:
// - ký hiệu mẫu biên lai (template symbol), e.g. `01BLP0-001`: receipt kind (01: without a printed face value),
//   `BLP` (biên lai phí, lệ phí), the copy digit (0 for an electronic receipt), then the template's sequence number.
//   It is whatever the collector registered with the tax authority: configuration (`ReceiptBook`), never derived.
// - ký hiệu biên lai (series), e.g. `BL-26E`: two capital letters the collector chose, the last two digits of the
//   year of issue, `E` for electronic. The year digits change on 1 January, so the series does too.
// - số biên lai (number): 1 to 9 999 999, printed as 7 digits (`0000042`), restarting at 1 on 1 January.
import * as z from '../schemas/zod';
import { localParts, yearOf } from './calendar-core';
import { isTaxCode } from './identity-numbers';
import { vndInWords } from './vnd-words';

/** The name of the receipt kind, printed as the title (Decree 123/2020 Art. 32: tên loại biên lai). */
export const RECEIPT_TITLE = 'Biên lai thu phí, lệ phí';
/** Printed width of a receipt number (Decree 123/2020 Art. 32: at most 7 digits). */
export const RECEIPT_NUMBER_DIGITS = 7;
export const RECEIPT_NUMBER_MAX = 10 ** RECEIPT_NUMBER_DIGITS - 1;
/** The template symbol receipt software most often registers for fee receipts; a collector's own comes from config. */
export const DEFAULT_TEMPLATE_SYMBOL = '01BLP0-001';

export const TEMPLATE_SYMBOL_PATTERN = /^\d{2}[A-Z]{3}\d-\d{3}$/;
export const SERIES_LETTERS_PATTERN = /^[A-Z]{2}$/;
const SERIES_PATTERN = /^[A-Z]{2}-(\d{2})E$/;
// A provider's clock and ours may disagree by seconds; a payment minutes after its own receipt is a bug.
const PAID_AFTER_ISSUE_TOLERANCE_MS = 5 * 60_000;

/** The receipt book a collector registered: its template symbol and the letters of its series. */
export interface ReceiptBook {
  /** e.g. `01BLP0-001`. */
  templateSymbol: string;
  /** The two letters before the year in the series, e.g. `BL` for `BL-26E`. */
  seriesLetters: string;
}

export const receiptNumberSchema = z
  .strictObject({
    templateSymbol: z
      .string()
      .check(
        z.regex(TEMPLATE_SYMBOL_PATTERN, 'a template symbol looks like 01BLP0-001'),
        z.describe('Ký hiệu mẫu biên lai, as registered by the collector'),
      ),
    series: z
      .string()
      .check(
        z.regex(SERIES_PATTERN, 'a series looks like BL-26E'),
        z.describe('Ký hiệu biên lai: two letters, the two-digit year, E'),
      ),
    year: z
      .number()
      .check(z.int(), z.minimum(2000), z.maximum(2099), z.describe('Year of issue in Vietnam time (GMT+7)')),
    number: z
      .number()
      .check(
        z.int(),
        z.minimum(1),
        z.maximum(RECEIPT_NUMBER_MAX),
        z.describe('Số biên lai, restarting at 1 each year'),
      ),
  })
  .check(
    z.refine((n) => seriesYear(n.series) === n.year % 100, {
      message: 'the series does not carry the two last digits of the year',
      path: ['series'],
    }),
  );
export type ReceiptNumber = z.infer<typeof receiptNumberSchema>;

/** `BL` and 2026 → `BL-26E`. */
export function receiptSeries(seriesLetters: string, year: number): string {
  if (!SERIES_LETTERS_PATTERN.test(seriesLetters)) {
    throw new RangeError(`series letters must be two capital letters, got ${JSON.stringify(seriesLetters)}`);
  }
  if (!Number.isInteger(year) || year < 2000 || year > 2099)
    throw new RangeError(`not a year of issue: ${year}`);
  return `${seriesLetters}-${String(year % 100).padStart(2, '0')}E`;
}

/** The year a receipt issued at this instant belongs to: the calendar year in Vietnam (GMT+7, no DST). */
export function receiptYear(issuedAt: Date): number {
  return yearOf(localParts(issuedAt).day);
}

/** 42 → `0000042`. */
export function formatReceiptNumber(number: number): string {
  if (!Number.isInteger(number) || number < 1 || number > RECEIPT_NUMBER_MAX) {
    throw new RangeError(`not a receipt number (1..${RECEIPT_NUMBER_MAX}): ${number}`);
  }
  return String(number).padStart(RECEIPT_NUMBER_DIGITS, '0');
}

/**
 * The key of the counter item that holds a collector's last number in one series and year. The series carries the
 * year's last two digits and the key the whole year, so a counter never spans a 1 January and a century never
 * folds onto another. One counter per collector, series and year is what keeps numbers from repeating.
 */
export function receiptCounterKey(collectorTaxCode: string, series: string, year: number): string {
  if (!isTaxCode(collectorTaxCode))
    throw new RangeError(`not a tax code: ${JSON.stringify(collectorTaxCode)}`);
  if (seriesYear(series) !== year % 100) {
    throw new RangeError(`series ${JSON.stringify(series)} is not a series of ${year}`);
  }
  return `RECEIPT_COUNTER#${collectorTaxCode}#${series}#${year}`;
}

/**
 * The number the next receipt takes, given the last one issued in the book (undefined when none was) and the instant
 * of issue. The rule (Decree 123/2020 Art. 32):
 * - the year is the calendar year of `issuedAt` in Vietnam, so 2026-12-31T17:00Z is already 2027;
 * - the first receipt of a year, or of a book, is number 1, in the series of that year;
 * - otherwise it is the previous number + 1: never a repeat, never a gap;
 * - a previous receipt from a later year (a clock gone back), from another book, or the last number of the series
 *   is refused with a RangeError rather than numbered wrongly.
 * The caller reads `previous` from the counter at `receiptCounterKey(...)` and writes the result back on the
 * condition that the counter still holds `previous.number` (or does not exist yet): two concurrent issues then cannot
 * take one number, and the loser retries with the winner's number as its `previous`. The receipt issuer
 * (shared/usecases/receipts/issue-receipt.ts) takes the other way, one atomic increment per receipt (no retries under
 * contention), and records as void a number whose receipt is then not written.
 */
export function nextReceiptNumber(
  previous: ReceiptNumber | undefined,
  issuedAt: Date,
  book: ReceiptBook,
): ReceiptNumber {
  if (!TEMPLATE_SYMBOL_PATTERN.test(book.templateSymbol)) {
    throw new RangeError(`not a template symbol: ${JSON.stringify(book.templateSymbol)}`);
  }
  const year = receiptYear(issuedAt);
  const series = receiptSeries(book.seriesLetters, year);
  const first: ReceiptNumber = { templateSymbol: book.templateSymbol, series, year, number: 1 };
  if (previous === undefined || previous.year < year) return first;
  if (previous.year > year) {
    throw new RangeError(
      `the last receipt is of ${previous.year}, later than the issue instant ${issuedAt.toISOString()} (${year})`,
    );
  }
  if (previous.templateSymbol !== book.templateSymbol || previous.series !== series) {
    throw new RangeError(
      `the last receipt (${previous.templateSymbol} ${previous.series}) is not of this book ` +
        `(${book.templateSymbol} ${series})`,
    );
  }
  if (previous.number >= RECEIPT_NUMBER_MAX) {
    throw new RangeError(`series ${series} has used its last number ${RECEIPT_NUMBER_MAX} in ${year}`);
  }
  return { ...previous, number: previous.number + 1 };
}

/** All but the last 4 characters starred, as a receipt prints the payer's ID number (`********2345`). */
export function maskPayerId(idNumber: string): string {
  const visible = idNumber.length > 4 ? idNumber.slice(-4) : '';
  return `${'*'.repeat(idNumber.length - visible.length)}${visible}`;
}

const textSchema = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const instant = z.iso.datetime({ offset: true });
const vnd = z.number().check(z.int(), z.positive(), z.maximum(Number.MAX_SAFE_INTEGER));

export const receiptPaymentSchema = z
  .strictObject({
    method: z.literal('online'),
    /** e.g. `VNPay`, as printed. */
    provider: textSchema(60),
    /** The provider's own id of the transaction (VNPay's vnp_TransactionNo). */
    providerTransactionNo: textSchema(64),
  })
  .check(z.describe('How the money was paid; only online payments through a provider issue receipts today'));
export type ReceiptPayment = z.infer<typeof receiptPaymentSchema>;

export const receiptItemSchema = z.strictObject({
  feeId: textSchema(64),
  /** Tên loại phí, lệ phí, as the catalogue names it. */
  name: textSchema(300),
  /** Integer VND actually collected for this fee; a fee relieved to 0 is not a receipt line. */
  amountVnd: vnd,
});
export type ReceiptItem = z.infer<typeof receiptItemSchema>;

const receiptFields = z.strictObject({
  receiptNumber: receiptNumberSchema,
  /** ISO instant the receipt was issued (ngày lập biên lai); its Vietnam year is the number's year. */
  issuedAt: instant,
  collector: z.strictObject({
    /** Tổ chức thu phí, lệ phí. */
    name: textSchema(300),
    taxCode: z.string().check(z.refine(isTaxCode, 'not a tax code')),
    address: textSchema(300),
  }),
  payer: z.strictObject({
    name: textSchema(200),
    address: z.optional(textSchema(300)),
    /** Whole, as held; printed masked (`maskPayerId`), never logged. */
    idNumber: z.optional(
      z.string().check(z.regex(/^[0-9A-Z]{6,20}$/, 'an ID number is 6 to 20 digits or capital letters')),
    ),
  }),
  dossierCode: textSchema(64),
  items: z.array(receiptItemSchema).check(z.minLength(1), z.maxLength(50)),
  totalVnd: vnd,
  /** ISO instant the provider says the money moved. */
  paidAt: instant,
  payment: receiptPaymentSchema,
  /** Where anyone can check the receipt and its signature; the QR code encodes it. */
  verificationUrl: z.url(),
});

export type ReceiptInput = z.input<typeof receiptFields>;
export type ReceiptData = z.output<typeof receiptFields> & {
  /** `totalVnd` in words (`vndInWords`), as printed. */
  amountInWords: string;
};

/**
 * A receipt's content, validated: the total equals the sum of the items (each fee collected once), the number's year
 * is the Vietnam year of issue, the payment is not after the issue, and the verification URL is https (http only
 * on a loopback host, for the local stack). RangeError listing every problem otherwise.
 */
export function buildReceiptData(input: ReceiptInput): ReceiptData {
  const parsed = receiptFields.safeParse(input);
  if (!parsed.success) {
    throw new RangeError(`invalid receipt: ${describeIssues(parsed.error.issues)}`, { cause: parsed.error });
  }
  const data = parsed.data;
  const problems = consistencyProblems(data);
  if (problems.length > 0) throw new RangeError(`invalid receipt: ${problems.join('; ')}`);
  return { ...data, amountInWords: vndInWords(data.totalVnd) };
}

/** Checks a receipt built elsewhere (read back from storage) before it is printed, words included. */
export function assertReceiptData(data: ReceiptData): ReceiptData {
  const { amountInWords, ...input } = data;
  const built = buildReceiptData(input);
  if (built.amountInWords !== amountInWords) {
    throw new RangeError(`invalid receipt: amountInWords does not read ${data.totalVnd}`);
  }
  return built;
}

function consistencyProblems(data: z.output<typeof receiptFields>): string[] {
  const problems: string[] = [];
  const sum = data.items.reduce((total, item) => total + item.amountVnd, 0);
  if (!Number.isSafeInteger(sum) || sum !== data.totalVnd) {
    problems.push(`totalVnd ${data.totalVnd} is not the sum of the items (${sum})`);
  }
  const feeIds = data.items.map((item) => item.feeId);
  const repeated = feeIds.filter((id, i) => feeIds.indexOf(id) !== i);
  if (repeated.length > 0) problems.push(`fee ${[...new Set(repeated)].join(', ')} appears more than once`);
  const issuedAt = new Date(data.issuedAt);
  const year = receiptYear(issuedAt);
  if (year !== data.receiptNumber.year) {
    problems.push(
      `receiptNumber.year ${data.receiptNumber.year} is not the year of issue in Vietnam (${year})`,
    );
  }
  if (new Date(data.paidAt).getTime() > issuedAt.getTime() + PAID_AFTER_ISSUE_TOLERANCE_MS) {
    problems.push(`paidAt ${data.paidAt} is after issuedAt ${data.issuedAt}`);
  }
  const url = new URL(data.verificationUrl);
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    problems.push('verificationUrl must be https');
  }
  return problems;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

function seriesYear(series: string): number | undefined {
  const match = SERIES_PATTERN.exec(series);
  return match ? Number(match[1]) : undefined;
}
