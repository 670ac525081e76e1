// Scheduled functions beyond routing's sweep (shared/workflow/tasks.ts): declared once, built by the events stack
// with an EventBridge schedule in the cloud and run by a timer on the embedded stack (local/schedule-timer.ts).
import type { ResourceId } from './data/resources';
import type { SecretId } from './data/secrets';

export interface ScheduleDefinition {
  /** Stable kebab-case id: the function's name and the local timer's. */
  id: string;
  description: string;
  /** Handler module, relative to the repository root, exporting `handler`. */
  handler: string;
  uses: Partial<Record<ResourceId, 'read' | 'readwrite'>>;
  secrets?: readonly SecretId[];
  everyMinutes: number;
  timeoutSeconds: number;
}

export const paymentReconciliation = {
  id: 'payment-reconcile',
  description:
    'Asks the provider about payments left without a verdict (querydr) and settles them as their callback would',
  handler: 'functions/payments/reconcile.ts',
  uses: { dossiers: 'readwrite' },
  secrets: ['payment-vnpay'],
  everyMinutes: 10,
  timeoutSeconds: 300,
  /** A payment is asked about once it has been without a verdict this long (checkout takes at most 15 minutes). */
  pendingMinutes: 20,
  /** Still pending, or unknown, this long after its checkout closed: abandoned (settled as not completed). */
  abandonAfterMinutes: 60,
} as const satisfies ScheduleDefinition & Record<string, unknown>;

export const scheduleList: readonly ScheduleDefinition[] = [paymentReconciliation];
