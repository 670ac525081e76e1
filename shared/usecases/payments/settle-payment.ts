// A provider's verdict on a payment, from its signed callback (IPN) or, later, from a reconciliation query: checked in
// the order the provider's codes say (signature 97, payment 01, amount 04, still pending 02), then recorded once in
// one transaction with the dossier's fees, its history and an event. Every callback, good or bad, is audited: a
// settlement through its event, any other answer directly.
import type { Caller } from '../../domain/caller';
import type { Actor } from '../../domain/dossier';
import { paymentOf } from '../../domain/payments';
import { type PaymentVerdict, settlePayment } from '../../domain/transitions';
import { isVersionConflict } from '../../errors';
import {
  CALLBACK_OUTCOME,
  type CallbackOutcomeCode,
  type CallbackReply,
  type VerifiedCallback,
} from '../../ports/payment-provider';
import { appendProviderCall } from '../audit/append-audit';
import type { CallbackDeps } from './deps';

export type SettleOutcome = 'settled' | 'not-found' | 'amount-mismatch' | 'already-settled';

// Only a lost race retries: the next read shows what the other writer did (usually: settled, answered 02).
const MAX_ATTEMPTS = 5;

/** Records a verified verdict; the checks the provider's reply codes name come first, and nothing is written for them. */
export async function settle(
  verdict: Omit<PaymentVerdict, 'settledBy'> & { amountVnd: number },
  settledBy: PaymentVerdict['settledBy'],
  by: { actor: Actor & { kind: 'provider' | 'system' }; caller: Caller },
  deps: Pick<CallbackDeps, 'dossiers' | 'clock'>,
): Promise<{ outcome: SettleOutcome; dossierCode?: string }> {
  const code = await deps.dossiers.dossierOfPayment(verdict.paymentId);
  if (!code) return { outcome: 'not-found' };
  for (let attempt = 1; ; attempt += 1) {
    const dossier = await deps.dossiers.get(code);
    const payment = dossier && paymentOf(dossier, verdict.paymentId);
    if (!dossier || !payment) return { outcome: 'not-found', dossierCode: code };
    if (payment.amountVnd !== verdict.amountVnd) return { outcome: 'amount-mismatch', dossierCode: code };
    if (payment.status === 'paid' || payment.status === 'failed') {
      return { outcome: 'already-settled', dossierCode: code };
    }
    const { amountVnd: _checked, ...facts } = verdict;
    const moved = settlePayment(dossier, by, deps.clock(), { ...facts, settledBy });
    try {
      await deps.dossiers.update({
        dossier: moved.dossier,
        expectedVersion: dossier.version,
        entry: moved.entry,
        events: moved.events,
      });
      return { outcome: 'settled', dossierCode: code };
    } catch (error) {
      if (!isVersionConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

const replyCodes: Record<SettleOutcome, CallbackOutcomeCode> = {
  settled: CALLBACK_OUTCOME.confirmed,
  'not-found': CALLBACK_OUTCOME.paymentNotFound,
  'amount-mismatch': CALLBACK_OUTCOME.amountMismatch,
  'already-settled': CALLBACK_OUTCOME.alreadyConfirmed,
};

export interface CallbackInput {
  /** The query parameters exactly as received, signature included. */
  params: Readonly<Record<string, string>>;
  requestId: string;
}

export interface CallbackAnswer {
  code: CallbackOutcomeCode;
  reply: CallbackReply;
  /** Set when the audit entry could not be written (the reply stands; the settlement's event is audited anyway). */
  auditError?: unknown;
  /** Set when the callback failed on our side (answered 99, so the provider calls again). */
  error?: unknown;
}

/**
 * The provider's server-to-server callback. It never throws: a fault on our side is answered 99 (the provider calls
 * again), and every call is appended to the audit log with the code it got.
 */
export async function handleCallback(input: CallbackInput, deps: CallbackDeps): Promise<CallbackAnswer> {
  const provider = deps.providerName;
  const caller: Caller = { kind: 'provider', provider };
  let code: CallbackOutcomeCode;
  let subject: string | undefined;
  let error: unknown;
  try {
    const verified = deps.provider.verifyCallback(input.params);
    if (!verified.ok) {
      code =
        verified.reason === 'bad-signature' ? CALLBACK_OUTCOME.badSignature : CALLBACK_OUTCOME.unknownError;
    } else {
      subject = verified.paymentId;
      const { outcome } = await settle(
        verdictOf(verified),
        'callback',
        { actor: { kind: 'provider', provider }, caller },
        deps,
      );
      code = replyCodes[outcome];
    }
  } catch (caught) {
    error = caught;
    code = CALLBACK_OUTCOME.unknownError;
  }
  // A settled payment's audit entry is its event's (DossierPaid or DossierPaymentFailed, by the provider, written in
  // the settlement's transaction and appended by the audit consumer): appending here too would put every payment
  // through the one chain's head in the request path. Every other answer changed nothing and is appended here.
  let auditError: unknown;
  if (code !== CALLBACK_OUTCOME.confirmed || error) {
    try {
      await appendProviderCall(
        {
          provider,
          action: 'paymentCallback',
          ...(subject ? { subject } : {}),
          code,
          recorded: false,
          at: deps.clock(),
          requestId: input.requestId,
        },
        deps.audit,
      );
    } catch (caught) {
      auditError = caught;
    }
  }
  return {
    code,
    reply: deps.provider.ipnReply(code),
    ...(auditError ? { auditError } : {}),
    ...(error ? { error } : {}),
  };
}

function verdictOf(verified: VerifiedCallback) {
  return {
    paymentId: verified.paymentId,
    amountVnd: verified.amountVnd,
    succeeded: verified.succeeded,
    providerTransactionNo: verified.providerTransactionNo,
    responseCode: verified.responseCode,
    transactionStatus: verified.transactionStatus,
    ...(verified.bankCode ? { bankCode: verified.bankCode } : {}),
    ...(verified.payDate ? { payDate: verified.payDate } : {}),
  };
}

export interface ReturnView {
  /** Whether the provider's signature on the return held; an unverified return shows nothing of any payment. */
  verified: boolean;
  dossierCode?: string;
  paymentId?: string;
  amountVnd?: number;
  /** Our record, never the return's say-so: `pending` until the callback or a query settles it. */
  status?: 'pending' | 'paid' | 'failed' | 'expired';
  /** What the provider told the browser (the citizen's own view of it). */
  providerSays?: 'succeeded' | 'failed';
}

/** The citizen's browser comes back: shows where things stand, and never marks anything paid. */
export async function describeReturn(
  params: Readonly<Record<string, string>>,
  deps: Pick<CallbackDeps, 'provider' | 'dossiers'>,
): Promise<ReturnView> {
  const verified = deps.provider.verifyCallback(params);
  if (!verified.ok) return { verified: false };
  const code = await deps.dossiers.dossierOfPayment(verified.paymentId);
  const dossier = code ? await deps.dossiers.get(code) : undefined;
  const payment = dossier && paymentOf(dossier, verified.paymentId);
  return {
    verified: true,
    paymentId: verified.paymentId,
    providerSays: verified.succeeded ? 'succeeded' : 'failed',
    ...(payment && dossier
      ? { dossierCode: dossier.code, amountVnd: payment.amountVnd, status: payment.status }
      : {}),
  };
}
