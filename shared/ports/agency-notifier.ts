// Telling a partner agency that a step of a dossier's route is now theirs (ARCHITECTURE.md §3): a signed outbound
// webhook (Standard Webhooks), retried; the caller dead-letters a failed outcome and may redrive it later.
import type { DeliveryOutcome, EndpointRefusal } from '../webhooks/delivery';

export const STEP_ASSIGNED = 'dossier.step.assigned';

/**
 * A thin payload: what the agency needs to find its task through the partner API, nothing about the applicant
 * (personal data stays behind the authenticated API) and never the workflow's task token.
 */
export interface StepAssignedData {
  dossierCode: string;
  stepId: string;
  stage: number;
  agency: string;
  task: { vi: string; en: string };
  workingDays: number;
  /** ISO instant the step is due. */
  dueAt: string;
}

/** One event for one agency; the body sent is `{ type, timestamp, data }` (the spec's payload structure). */
export interface AgencyMessage<T = StepAssignedData> {
  /**
   * `webhook-id`: derive it from what makes the event unique (e.g. `messageId(dossierCode, attempt, stepId)` from
   * shared/webhooks/standard-webhooks), so a re-run task or a redrive sends the same id and the agency drops it.
   */
  id: string;
  /** Full-stop delimited event type, e.g. `dossier.step.assigned` (STEP_ASSIGNED). */
  type: string;
  /** When the event happened (ISO), not when it is sent. */
  timestamp: string;
  data: T;
}

/** Why nothing was sent at all: fix the registration, then redrive. */
export type NotificationRefusal = 'no-endpoint' | 'invalid-secret' | EndpointRefusal;

export type NotificationOutcome = DeliveryOutcome & { refused?: NotificationRefusal };

export interface AgencyNotifier {
  /**
   * Sends the message to the agency's endpoint. Resolves with the outcome in every delivery case (a refused
   * endpoint is a permanent failure with no attempts); rejects only when the endpoint lookup itself fails.
   */
  notify(agency: string, message: AgencyMessage<unknown>): Promise<NotificationOutcome>;
}
