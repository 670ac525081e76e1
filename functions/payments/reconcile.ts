// Schedule: payments without a verdict are asked about and settled as their callback would settle them.

import { paymentAdapters } from '../../shared/adapters/payment-deps';
import { ConfigError } from '../../shared/errors';
import { paymentReconciliation } from '../../shared/schedules';
import { reconcilePayments } from '../../shared/usecases/payments/reconcile';
import { workflowTask } from '../../shared/workflow/task-handler';

/** Minutes from the environment (an operator's override), else the schedule's default; checked at cold start. */
function minutes(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new ConfigError(`${name} must be a number of minutes ≥ 0`);
  return value;
}

const options = {
  pendingMinutes: minutes('PAYMENT_RECONCILE_PENDING_MINUTES', paymentReconciliation.pendingMinutes),
  abandonAfterMinutes: minutes(
    'PAYMENT_RECONCILE_ABANDON_MINUTES',
    paymentReconciliation.abandonAfterMinutes,
  ),
};
const adapters = paymentAdapters();

export const handler = workflowTask(
  paymentReconciliation,
  async (_input: { dossierCode?: string }, { log, metrics }) => {
    const report = await reconcilePayments(await adapters.reconciliation(), options);
    log.info('reconciled', { ...report });
    // Payments the provider could not answer for, or answered with another amount: an operator looks (alarmed).
    for (const [, n] of Object.entries(report.unanswered)) {
      for (let i = 0; i < n; i += 1) metrics.countOperational('PaymentsUnreconciled');
    }
    return report;
  },
);
