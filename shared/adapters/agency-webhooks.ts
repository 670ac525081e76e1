// Sends an agency its task notices as signed webhooks (Standard Webhooks), for every function that tells agencies of
// their tasks: the workflow's `Decide` task (assigned, overdue) and the forward consumer (a step handed to them).
import type { AgencyEndpoints } from '../ports/agency-endpoints';
import type { AgencyNotice } from '../ports/agency-notices';
import type { NotificationOutcome } from '../ports/agency-notifier';
import { messageId } from '../webhooks/standard-webhooks';
import {
  AGENCY_WEBHOOKS_SECRET_PREFIX,
  secretsManagerEndpointsFromEnv,
} from './secrets-manager-agency-endpoints';
import { webhookNotifier } from './webhook-notifier';

// Endpoints and secrets are agency data: a git-ignored file on the embedded stack (AGENCY_ENDPOINTS_FILE), one
// Secrets Manager secret per agency in the cloud (AGENCY_WEBHOOKS_SECRET_PREFIX). Without a source, agencies pull
// their queue.
async function endpoints(): Promise<AgencyEndpoints | undefined> {
  const file = process.env.AGENCY_ENDPOINTS_FILE;
  if (file) {
    const { fileAgencyEndpoints } = await import('../../local/agency-endpoints');
    return fileAgencyEndpoints(file);
  }
  if (process.env[AGENCY_WEBHOOKS_SECRET_PREFIX]) return secretsManagerEndpointsFromEnv();
  return undefined;
}

export type SendNotice = (notice: AgencyNotice) => Promise<NotificationOutcome>;

/**
 * The webhook id of a notice. An assignment's: one per task (its round included), kind and due time, so a redelivery
 * repeats it and a new round does not. A forward's: the task, the agency it went to and when (a task forwarded back
 * and forth is announced each time).
 */
export function noticeId(notice: AgencyNotice): string {
  return notice.forwardedFrom
    ? messageId(notice.taskId, 'task.forwarded', notice.agency, notice.at)
    : messageId(notice.taskId, notice.type, notice.dueAt);
}

/** The event type the agency sees: a forwarded task is assigned to it like any other, `forwardedFrom` says why. */
export const webhookType = (notice: AgencyNotice) =>
  notice.type === 'task.overdue' ? 'dossier.step.overdue' : 'dossier.step.assigned';

/**
 * Resolves to the sender, or undefined where no endpoint source is configured. Call once at module scope: the
 * endpoints are read at cold start.
 */
export async function agencyWebhooks(): Promise<SendNotice | undefined> {
  const source = await endpoints();
  if (!source) return undefined;
  const notifier = webhookNotifier(source, {
    attempts: 3,
    baseDelayMs: 500,
    maxDelayMs: 5000,
    allowLoopback: process.env.STAGE === 'local',
  });
  return (notice) =>
    notifier.notify(notice.agency, {
      id: noticeId(notice),
      type: webhookType(notice),
      timestamp: notice.at,
      data: notice,
    });
}
