import type { Caller } from '../../domain/caller';
import type { Actor } from '../../domain/dossier';
import { unsettledPayments } from '../../domain/payments';
import type { DossierRepository } from '../../ports/dossier-repository';
import type { PaymentProvider } from '../../ports/payment-provider';
import { paymentQuery } from './query-request';
import { settle } from './settle-payment';

export const RECONCILER = 'payment-reconcile';

export interface ReconcileDeps {
  dossiers: DossierRepository;
  provider: PaymentProvider;
  clock: () => Date;
  /** Our server's address, which the provider's query API records. */
  serverIp: string;
}

export interface ReconcileOptions {
  /** Ask about a payment once it has been without a verdict this long (its checkout window is 15 minutes). */
  pendingMinutes: number;
  /**
   * A payment the provider still calls pending (or does not know) this long after its checkout window closed is
   * abandoned: settled as not completed, so the applicant may pay again without a payment left hanging.
   */
  abandonAfterMinutes: number;
  /** Dossiers per page of the index; pages until none is left. */
  pageSize?: number;
}

export interface ReconcileReport {
  checked: number;
  paid: number;
  failed: number;
  /** Settled meanwhile by its callback (or another run): nothing written. */
  alreadySettled: number;
  /** Asked, but not settled this time: pending at the provider, or the provider could not answer. */
  left: number;
  /** Provider answers that were not usable (bad signature, unavailable, refused), by reason. */
  unanswered: Record<string, number>;
}

const system: Actor & { kind: 'system' } = { kind: 'system' };
const caller: Caller = { kind: 'system', process: RECONCILER };

export async function reconcilePayments(
  deps: ReconcileDeps,
  options: ReconcileOptions,
): Promise<ReconcileReport> {
  const now = deps.clock();
  const cutoff = new Date(now.getTime() - options.pendingMinutes * 60_000).toISOString();
  const report: ReconcileReport = {
    checked: 0,
    paid: 0,
    failed: 0,
    alreadySettled: 0,
    left: 0,
    unanswered: {},
  };
  const unanswered = (reason: string) => {
    report.unanswered[reason] = (report.unanswered[reason] ?? 0) + 1;
    report.left += 1;
  };
  let cursor: string | undefined;
  do {
    const page = await deps.dossiers.listUnsettledPayments(cutoff, {
      limit: options.pageSize ?? 25,
      ...(cursor ? { cursor } : {}),
    });
    for (const dossier of page.items) {
      for (const payment of unsettledPayments(dossier.fees).filter((p) => p.createdAt < cutoff)) {
        report.checked += 1;
        const answer = await deps.provider.query(paymentQuery(payment, deps, `Doi soat ${payment.id}`));
        if (!answer.ok) {
          unanswered(answer.reason);
          continue;
        }
        const abandoned =
          now.getTime() > Date.parse(payment.expiresAt) + options.abandonAfterMinutes * 60_000;
        let verdict: Parameters<typeof settle>[0] | undefined;
        if (answer.outcome === 'found' && answer.kind === 'payment') {
          const settledAtProvider = answer.succeeded || answer.transactionStatus !== '01';
          if (settledAtProvider || abandoned) {
            verdict = {
              paymentId: payment.id,
              amountVnd: answer.amountVnd,
              succeeded: answer.succeeded,
              providerTransactionNo: answer.providerTransactionNo,
              responseCode: answer.responseCode,
              transactionStatus: answer.transactionStatus,
              ...(answer.bankCode ? { bankCode: answer.bankCode } : {}),
              ...(answer.payDate ? { payDate: answer.payDate } : {}),
            };
          }
        } else if (answer.outcome === 'not-found' && abandoned) {
          // The citizen never reached the provider: nothing was taken.
          verdict = {
            paymentId: payment.id,
            amountVnd: payment.amountVnd,
            succeeded: false,
            providerTransactionNo: '0',
            responseCode: answer.responseCode,
            transactionStatus: 'not-found',
          };
        } else if (answer.outcome !== 'found' && answer.outcome !== 'not-found') {
          unanswered(answer.outcome);
          continue;
        }
        if (!verdict) {
          report.left += 1;
          continue;
        }
        const { outcome } = await settle(verdict, 'query', { actor: system, caller }, deps);
        if (outcome === 'settled') {
          if (verdict.succeeded) report.paid += 1;
          else report.failed += 1;
        } else if (outcome === 'already-settled') report.alreadySettled += 1;
        // The provider's amount differs from ours: never settled automatically; an operator looks.
        else unanswered(outcome);
      }
    }
    cursor = page.nextCursor;
  } while (cursor);
  return report;
}
