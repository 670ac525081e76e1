// Refunds: a supervisor of the dossier's branch approves sending back what is due (a dossier refused, withdrawn or
// stopped after paying, or paid twice). Three steps, each its own write: the refund is reserved on the dossier
// (a second approval finds it), the provider is asked, its answer is recorded. A reserved refund the provider has not
// answered (unreachable, or a crash in between) is asked about again by the next approval, never reserved twice: first
// with a querydr (was it refunded after all?), then, if not, with the refund itself.
import { randomBytes } from 'node:crypto';
import { type Caller, callerScope } from '../../domain/caller';
import type { Actor, Dossier } from '../../domain/dossier';
import { localDayCode } from '../../domain/dossier-code';
import { pendingRefund, type Refund } from '../../domain/payments';
import { requestRefund, settleRefund } from '../../domain/transitions';
import { ForbiddenError, isVersionConflict, NotFoundError } from '../../errors';
import type { DossierRepository } from '../../ports/dossier-repository';
import type { IdempotencyStore } from '../../ports/idempotency-store';
import type { AcceptedRefund, PaymentProvider } from '../../ports/payment-provider';
import { idempotent } from '../idempotent';
import { paymentQuery } from './query-request';

export interface RefundDeps {
  dossiers: DossierRepository;
  idempotency: IdempotencyStore;
  provider: PaymentProvider;
  clock: () => Date;
  serverIp: string;
}

export interface RefundInput {
  code: string;
  caller: Caller;
  idempotencyKey?: string;
  reason: string;
}

export interface RefundAnswer {
  refund: Pick<Refund, 'id' | 'paymentId' | 'amountVnd' | 'kind' | 'status'> & { responseCode?: string };
  /** What is still due back after it. */
  refundDueVnd: number;
}

/** Refunds are a supervisor's decision, in their own branch; anyone else learns nothing of the dossier. */
function supervisorOf(
  dossier: Dossier | undefined,
  code: string,
  caller: Caller,
): Actor & { kind: 'officer' } {
  if (!dossier || caller.kind !== 'staff' || caller.branch !== dossier.unit) {
    throw new NotFoundError(`No dossier ${code}`, 'DOSSIER_NOT_FOUND');
  }
  if (!caller.roles.includes('supervisor')) throw new ForbiddenError('Only a supervisor approves refunds');
  return { kind: 'officer', sub: caller.sub, name: caller.name, branch: caller.branch };
}

const newRefundId = (now: Date) => `R${localDayCode(now)}${randomBytes(8).toString('hex').toUpperCase()}`;

const answerOf = (dossier: Dossier, refund: Refund): RefundAnswer => ({
  refund: {
    id: refund.id,
    paymentId: refund.paymentId,
    amountVnd: refund.amountVnd,
    kind: refund.kind,
    status: refund.status,
    ...(refund.responseCode ? { responseCode: refund.responseCode } : {}),
  },
  refundDueVnd: dossier.fees?.refundDueVnd ?? 0,
});

const MAX_ATTEMPTS = 3;
/** VNPay refuses the same refund within 5 minutes as a duplicate; a reservation older than that was left behind. */
const STALE_RESERVATION_MS = 5 * 60_000;

/**
 * Whether the provider's querydr shows this refund made: the payment now reads as refunded in full for a full refund,
 * or in part for a partial one while none of this payment's other refunds is recorded refunded (so the partial
 * refund the provider holds can only be this one). Otherwise (no answer, or not shown) undefined: ask for the refund.
 */
async function refundedAtProvider(
  dossier: Dossier,
  refund: Refund,
  payment: NonNullable<Dossier['fees']>['payments'][number],
  deps: RefundDeps,
): Promise<AcceptedRefund | undefined> {
  const seen = await deps.provider.query(
    paymentQuery(payment, deps, `Kiem tra hoan tien ${refund.id} ho so ${dossier.code}`),
  );
  if (!seen.ok || seen.outcome !== 'found') return undefined;
  const othersRefunded = (dossier.fees?.refunds ?? []).some(
    (r) => r.id !== refund.id && r.paymentId === payment.id && r.status === 'refunded',
  );
  const shown =
    refund.kind === 'full' ? seen.kind === 'full-refund' : seen.kind === 'partial-refund' && !othersRefunded;
  if (!shown) return undefined;
  return {
    ok: true,
    outcome: 'accepted',
    paymentId: payment.id,
    amountVnd: refund.amountVnd,
    kind: seen.kind,
    providerTransactionNo: seen.providerTransactionNo,
    responseCode: seen.responseCode,
    transactionStatus: seen.transactionStatus,
  };
}

export async function refundDossier(input: RefundInput, deps: RefundDeps): Promise<RefundAnswer> {
  return idempotent<RefundAnswer>(
    deps.idempotency,
    {
      scope: callerScope(input.caller),
      operation: 'refundDossier',
      key: input.idempotencyKey,
      request: { code: input.code, reason: input.reason },
    },
    async (remember) => {
      // 1. Reserve (or find the refund already reserved).
      let dossier = await deps.dossiers.get(input.code);
      const actor = supervisorOf(dossier, input.code, input.caller);
      const by = { actor, caller: input.caller };
      let refund = pendingRefund(dossier!.fees);
      // Reserved moments ago by another approval, whose provider call may be under way: asking again now could race
      // its answer. Only a reservation left unanswered past the provider's duplicate window is asked about again.
      if (refund && deps.clock().getTime() - Date.parse(refund.requestedAt) < STALE_RESERVATION_MS) {
        return answerOf(dossier!, refund);
      }
      const reservedBefore = !!refund;
      if (!refund) {
        const now = deps.clock();
        const reserved = requestRefund(dossier!, by, now, { id: newRefundId(now), reason: input.reason });
        await deps.dossiers.update({
          dossier: reserved.dossier,
          expectedVersion: dossier!.version,
          entry: reserved.entry,
          events: reserved.events,
        });
        dossier = reserved.dossier;
        refund = reserved.refund;
      }
      const payment = dossier!.fees!.payments.find((p) => p.id === refund!.paymentId)!;
      // 2a. A reservation left unanswered may have been refunded after all (the provider answered, we crashed before
      // recording it): ask what the provider holds first, or a second refund would be refused and recorded as failed.
      const already = reservedBefore ? await refundedAtProvider(dossier!, refund, payment, deps) : undefined;
      // 2b. Ask the provider; an answer that says nothing definite leaves the refund reserved.
      const result =
        already ??
        (await deps.provider.refund({
          requestId: randomBytes(16).toString('hex'),
          paymentId: payment.id,
          kind: refund.kind,
          amountVnd: refund.amountVnd,
          providerTransactionNo: payment.providerTransactionNo ?? '',
          paymentCreatedAt: new Date(payment.createdAt),
          requestedAt: deps.clock(),
          requestedBy: actor.sub,
          serverIp: deps.serverIp,
          description: `Hoan tien ${refund.id} ho so ${dossier!.code}`,
        }));
      const definite =
        result.ok && result.outcome !== 'duplicate-request'
          ? {
              refunded: result.outcome === 'accepted',
              responseCode: result.responseCode,
              ...(result.outcome === 'accepted'
                ? { providerTransactionNo: result.providerTransactionNo }
                : {}),
            }
          : undefined;
      if (!definite) return answerOf(dossier!, refund);
      // 3. Record the answer, once.
      for (let attempt = 1; ; attempt += 1) {
        const current = (await deps.dossiers.get(input.code))!;
        const still = current.fees?.refunds?.find((r) => r.id === refund.id);
        if (still?.status !== 'pending') return answerOf(current, still ?? refund);
        const settled = settleRefund(current, by, deps.clock(), { refundId: refund.id, ...definite });
        const answer = answerOf(settled.dossier, settled.refund);
        const record = remember(answer);
        try {
          await deps.dossiers.update({
            dossier: settled.dossier,
            expectedVersion: current.version,
            entry: settled.entry,
            events: settled.events,
            ...(record ? { idempotency: record } : {}),
          });
          return answer;
        } catch (error) {
          if (!isVersionConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
        }
      }
    },
  );
}
