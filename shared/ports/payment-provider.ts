// Taking a fee through an external payment provider (ARCHITECTURE.md §2 "Payment"). The port speaks our terms
// (payment id, integer VND, instants as Date, our outcome names) so VNPay today and PayGov or the national portal's
// payment platform later are each one adapter; a provider's parameter names and codes live in its adapter only.
// Nothing here marks a payment paid: that is the use case's decision, on a verified callback or a verified query.

export type PaymentLocale = 'vi' | 'en';

export interface CheckoutRequest {
  /** Our payment id, echoed back by the provider; VNPay wants it unique within the day (FACTS.md). */
  paymentId: string;
  /** Integer VND, greater than 0 (CONVENTIONS.md §13); the adapter converts to the provider's unit. */
  amountVnd: number;
  /** What is being paid for, shown to the citizen on the provider's page. */
  orderInfo: string;
  /** When the payment row was written (before redirecting); a later query must send this same instant. */
  createdAt: Date;
  /** The provider refuses to take money after this; keep our own expiry of the payment longer. */
  expiresAt: Date;
  /** The citizen's IP address, as the provider's fraud checks want it. */
  clientIp: string;
  /** Where the browser comes back to; that page only shows a status and never marks anything paid. */
  returnUrl: string;
  locale: PaymentLocale;
}

/**
 * Why a provider message is not acted on. `bad-signature`: missing or wrong signature (tampered, forged, or signed
 * with another secret). `malformed`: authentic but not the message expected (a required field missing or unreadable,
 * another merchant, another command, another payment).
 */
export type RejectedMessage = { ok: false; reason: 'bad-signature' | 'malformed' };

/** A callback (IPN or return URL) whose signature holds; `succeeded` is the provider's verdict on the payment. */
export interface VerifiedCallback {
  ok: true;
  paymentId: string;
  /** Integer VND, back in our unit; the use case compares it with the payment's amount (reply code 04 if not). */
  amountVnd: number;
  succeeded: boolean;
  /** The provider's own id of the transaction; a refund needs it. */
  providerTransactionNo: string;
  bankCode?: string;
  /** ISO instant the provider says the money moved. */
  payDate?: string;
  /** The provider's raw codes, kept for the audit trail and for support. */
  responseCode: string;
  transactionStatus: string;
}

export type CallbackVerification = RejectedMessage | VerifiedCallback;

/**
 * What we answer a payment callback with. The codes are the ones the architecture names (ARCHITECTURE.md §2);
 * a callback that is authentic but reports a failed payment is still answered `confirmed` (FACTS.md): we recorded it.
 */
export const CALLBACK_OUTCOME = {
  confirmed: '00',
  paymentNotFound: '01',
  alreadyConfirmed: '02',
  amountMismatch: '04',
  badSignature: '97',
  unknownError: '99',
} as const;

export type CallbackOutcomeCode = (typeof CALLBACK_OUTCOME)[keyof typeof CALLBACK_OUTCOME];

/** The acknowledgement body the provider expects; the route serializes it as JSON with status 200. */
export type CallbackReply = Readonly<Record<string, string>>;

/**
 * The subset of `fetch` the adapters use, injected so unit tests run without a network and the local stack can point
 * it at the sandbox provider.
 */
export type HttpTransport = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/** The provider answered with an HTTP error: nothing is known; retry later. */
export type ProviderUnavailable = { ok: false; reason: 'unavailable'; status: number };

export type TransactionKind = 'payment' | 'full-refund' | 'partial-refund';

export interface QueryRequest {
  /** Unique per request within the day; a repeat within 5 minutes is refused as `duplicate-request`. */
  requestId: string;
  paymentId: string;
  /** The payment's `createdAt` exactly as sent at checkout: the provider finds the transaction by it. */
  paymentCreatedAt: Date;
  /** When this query is made. */
  requestedAt: Date;
  /** Our server's IP address (the caller of the API, not the citizen). */
  serverIp: string;
  /** Why we ask, for the provider's logs. */
  description: string;
}

/** The provider has the transaction; `succeeded` is true only for a completed one. */
export interface FoundTransaction {
  ok: true;
  outcome: 'found';
  paymentId: string;
  amountVnd: number;
  succeeded: boolean;
  kind: TransactionKind;
  providerTransactionNo: string;
  bankCode?: string;
  payDate?: string;
  responseCode: string;
  transactionStatus: string;
}

/** An authentic answer that carries no transaction: the request was not served, for the reason named. */
export interface ProviderRefusal<Outcome extends string> {
  ok: true;
  outcome: Outcome;
  responseCode: string;
  message: string;
}

/**
 * `not-found`: the provider has no such transaction (the citizen never reached it, or it expired): the payment may be
 * cancelled. `duplicate-request`: the same request came within the provider's window; ask again later, with a new id.
 * `refused`: any other refusal (bad merchant, bad format, provider error).
 */
export type QueryResult =
  | RejectedMessage
  | ProviderUnavailable
  | FoundTransaction
  | ProviderRefusal<'not-found' | 'duplicate-request' | 'refused'>;

export interface RefundRequest {
  /** Unique per request within the day. */
  requestId: string;
  paymentId: string;
  /** `full` returns the whole payment; `partial` returns `amountVnd` of it. */
  kind: 'full' | 'partial';
  /** Integer VND, greater than 0: the amount returned (the whole amount for a full refund). */
  amountVnd: number;
  /** From the verified callback or query of the payment. */
  providerTransactionNo: string;
  /** The payment's `createdAt` exactly as sent at checkout. */
  paymentCreatedAt: Date;
  requestedAt: Date;
  /** Who asks for the refund (an officer's or the system's id), recorded by the provider. */
  requestedBy: string;
  serverIp: string;
  description: string;
}

export interface AcceptedRefund {
  ok: true;
  outcome: 'accepted';
  paymentId: string;
  amountVnd: number;
  kind: TransactionKind;
  providerTransactionNo: string;
  responseCode: string;
  transactionStatus: string;
}

/**
 * `duplicate-request`: a refund of this payment is already being processed. `not-found`: no such payment at the
 * provider. `full-after-partial`: a full refund after a partial one is not allowed; refund the rest partially.
 */
export type RefundResult =
  | RejectedMessage
  | ProviderUnavailable
  | AcceptedRefund
  | ProviderRefusal<'not-found' | 'duplicate-request' | 'full-after-partial' | 'refused'>;

export interface PaymentProvider {
  /** The signed URL to send the citizen's browser to. Throws RangeError on an amount or date it cannot send. */
  checkoutUrl(request: CheckoutRequest): string;
  /** Verifies a callback's query parameters (IPN or return URL), in constant time, before reading any of them. */
  verifyCallback(params: Readonly<Record<string, string>>): CallbackVerification;
  /** The body that acknowledges a callback with our outcome. */
  ipnReply(code: CallbackOutcomeCode): CallbackReply;
  /** Asks the provider for a payment's state (reconciliation); the answer's signature is verified. */
  query(request: QueryRequest): Promise<QueryResult>;
  /** Asks the provider to return money; the answer's signature is verified. */
  refund(request: RefundRequest): Promise<RefundResult>;
}
