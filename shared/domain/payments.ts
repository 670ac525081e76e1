// What a dossier owes and what was paid (ARCHITECTURE.md §2 "Payment"). The amount is computed once from the pinned
// procedure version, the filing channel, day and answers (fees.ts), recorded on the dossier, and never taken from a
// request. A payment is an attempt to pay the outstanding amount through a provider; only a verified callback or a
// verified query settles it (transitions.ts `settlePayment`).
import { randomInt } from 'node:crypto';
import type { Dossier, DossierStatus } from './dossier';
import {
  type Answers,
  computeFeesDue,
  type FeeChannel,
  type FeeRuleInput,
  type FeesDue,
  type FeesDueWhen,
} from './fees';

/** `pending`: sent to the provider, no verdict yet. `expired`: its checkout window closed unheard (a late verdict still settles it). */
export type PaymentStatus = 'pending' | 'paid' | 'failed' | 'expired';

export interface Payment {
  /** Ours, sent as the provider's reference (VNPay `vnp_TxnRef`): unique, so unique within any day. */
  id: string;
  provider: string;
  amountVnd: number;
  status: PaymentStatus;
  createdAt: string;
  /** The provider takes no money after this instant. */
  expiresAt: string;
  /** The provider's signed checkout URL, returned again while the payment is pending. */
  redirectUrl: string;
  settledAt?: string;
  settledBy?: 'callback' | 'query';
  providerTransactionNo?: string;
  bankCode?: string;
  payDate?: string;
  responseCode?: string;
  transactionStatus?: string;
}

/** Money sent back through the provider: reserved as `pending` before the provider is asked, so it is asked once. */
export interface Refund {
  id: string;
  paymentId: string;
  amountVnd: number;
  kind: 'full' | 'partial';
  status: 'pending' | 'refunded' | 'failed';
  /** The staff member who approved it, and why. */
  approvedBy: { sub: string; name: string };
  reason: string;
  requestedAt: string;
  settledAt?: string;
  providerTransactionNo?: string;
  responseCode?: string;
}

export interface DossierFees extends FeesDue {
  computedAt: string;
  /** Received and applied to the fees (back to 0 when the dossier closes without a result: it is then refund-due). */
  paidVnd: number;
  /** Money received that the dossier does not owe (paid twice, or paid for a dossier that ended without a result). */
  refundDueVnd: number;
  payments: Payment[];
  /** Absent until the first refund. */
  refunds?: Refund[];
  refundedVnd?: number;
}

/** How long the provider's checkout page takes money; the citizen starts again after it. */
export const CHECKOUT_MINUTES = 15;

/** The fees of a new dossier, as its pinned version, channel, day and answers make them. */
export function assessFees(
  procedure: { fees: readonly FeeRuleInput[]; feesDueWhen?: FeesDueWhen },
  channel: FeeChannel,
  filedAt: Date,
  answers: Answers,
): DossierFees {
  const due = computeFeesDue({
    fees: procedure.fees,
    channel,
    filedAt,
    answers,
    ...(procedure.feesDueWhen ? { dueWhen: procedure.feesDueWhen } : {}),
  });
  return { ...due, computedAt: filedAt.toISOString(), paidVnd: 0, refundDueVnd: 0, payments: [] };
}

export function outstandingVnd(fees: DossierFees | undefined): number {
  if (!fees) return 0;
  return Math.max(0, fees.totalVnd - fees.paidVnd);
}

// Dossiers that ended without a result owe nothing more; a withdrawn one is never charged.
const closed: ReadonlySet<DossierStatus> = new Set([
  'REFUSED',
  'REJECTED',
  'STOPPED',
  'WITHDRAWN',
  'RETURNED',
]);

/** Whether the applicant may pay now: something is outstanding and the dossier is still open. */
export function payable(dossier: Dossier): boolean {
  return outstandingVnd(dossier.fees) > 0 && !closed.has(dossier.status);
}

/**
 * Whether the dossier waits for its fees (the national status "Yêu cầu thực hiện nghĩa vụ tài chính"): received but
 * not yet processed when they are due before processing (thu trước), or with its result ready when they are due
 * before the result is released (thu sau).
 */
export function awaitingPayment(dossier: Dossier): boolean {
  const fees = dossier.fees;
  if (!fees || outstandingVnd(fees) === 0) return false;
  if (fees.dueWhen === 'before-processing') return dossier.status === 'RECEIVED' && !dossier.routing;
  if (fees.dueWhen === 'before-release') return dossier.status === 'RESULT_READY';
  return false;
}

export const awaitingPaymentLabel = {
  vi: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  en: 'Fees to pay',
} as const;

/** The payment still open at `now`: pending, inside its checkout window. */
export function openPayment(fees: DossierFees | undefined, now: Date): Payment | undefined {
  return fees?.payments.find((p) => p.status === 'pending' && Date.parse(p.expiresAt) > now.getTime());
}

/** Payments without a verdict: pending, or expired here unheard (the provider may still have taken the money). */
export function unsettledPayments(fees: DossierFees | undefined): Payment[] {
  return fees?.payments.filter((p) => p.status === 'pending' || p.status === 'expired') ?? [];
}

/** A refund reserved and not yet answered by the provider: no other refund starts meanwhile. */
export function pendingRefund(fees: DossierFees | undefined): Refund | undefined {
  return fees?.refunds?.find((r) => r.status === 'pending');
}

/** What of a paid payment has not been refunded (or reserved for a refund) yet. */
export function refundableVnd(fees: DossierFees, payment: Payment): number {
  if (payment.status !== 'paid') return 0;
  const back = (fees.refunds ?? [])
    .filter((r) => r.paymentId === payment.id && r.status !== 'failed')
    .reduce((sum, r) => sum + r.amountVnd, 0);
  return payment.amountVnd - back;
}

export function paymentOf(dossier: Dossier, paymentId: string): Payment | undefined {
  return dossier.fees?.payments.find((p) => p.id === paymentId);
}

// Crockford's base32 without I, L, O, U: what a support officer may read out on the phone.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A payment id: `P` + the filing day (YYMMDD, Vietnam) + 12 random characters (60 bits). Letters and digits only,
 * as every provider's reference field takes; never reused, so unique within VNPay's day.
 */
export function newPaymentId(day: string): string {
  if (!/^\d{6}$/.test(day)) throw new RangeError('day is YYMMDD');
  return `P${day}${Array.from({ length: 12 }, () => alphabet[randomInt(alphabet.length)]).join('')}`;
}

export const PAYMENT_ID_PATTERN = /^P\d{6}[0-9A-HJKMNP-TV-Z]{12}$/;
