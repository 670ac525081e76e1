// Sends an agency its task notices as signed webhooks (Standard Webhooks), for every function that tells agencies of
// their tasks: the workflow's `Decide` task (assigned, overdue) and the forward consumer (a step handed to them), and
// sets aside (UndeliveredNotices) the ones given up on, so they are dead-lettered with an alarm, not only counted.
import { LOCAL_STAGE } from '../config';
import type { Logger } from '../logging';
import type { OperationalMetric } from '../observability/metrics';
import type { AgencyEndpoints } from '../ports/agency-endpoints';
import type { AgencyNotice } from '../ports/agency-notices';
import type { AgencyMessage, NotificationOutcome } from '../ports/agency-notifier';
import type { UndeliveredNotice, UndeliveredNotices } from '../ports/undelivered-notices';
import { messageId } from '../webhooks/standard-webhooks';
import {
  AGENCY_WEBHOOKS_SECRET_PREFIX,
  secretsManagerEndpointsFromEnv,
} from './secrets-manager-agency-endpoints';
import { AGENCY_WEBHOOK_DEAD_LETTERS_URL, sqsUndeliveredNoticesFromEnv } from './sqs-undelivered-notices';
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

/** The webhook message of a notice, as sent and as dead-lettered: the same id on every resend. */
export const webhookMessage = (notice: AgencyNotice): AgencyMessage<AgencyNotice> => ({
  id: noticeId(notice),
  type: webhookType(notice),
  timestamp: notice.at,
  data: notice,
});

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
  return (notice) => notifier.notify(notice.agency, webhookMessage(notice));
}

/** The embedded stack's dead-letter folder of the agency webhooks (what `npm run dlq` reads). */
export const AGENCY_WEBHOOK_DEAD_LETTERS_DIR = 'AGENCY_WEBHOOK_DEAD_LETTERS_DIR';

/**
 * Where notices given up on are kept, picked as the endpoints are: the local dead-letter folder on the embedded stack
 * (AGENCY_WEBHOOK_DEAD_LETTERS_DIR, or `<MOTCUA_DATA_DIR>/dead-letters` under STAGE=local), the environment's SQS
 * queue in the cloud (AGENCY_WEBHOOK_DEAD_LETTERS_URL), nowhere otherwise (then they are only logged and counted).
 */
export async function undeliveredNotices(
  env: NodeJS.ProcessEnv = process.env,
): Promise<UndeliveredNotices | undefined> {
  const dir = env[AGENCY_WEBHOOK_DEAD_LETTERS_DIR];
  if (dir || (env.STAGE === LOCAL_STAGE && !env[AGENCY_WEBHOOK_DEAD_LETTERS_URL])) {
    const { deadLetterDir, fileUndeliveredNotices } = await import('../../local/dead-letters');
    return fileUndeliveredNotices(dir || deadLetterDir(env.MOTCUA_DATA_DIR ?? '.local/data'));
  }
  return sqsUndeliveredNoticesFromEnv(env);
}

export interface NoticeReporting {
  /** The function that gives up, the letter's `source` (`routing-assign`, `routing-forwarded`). */
  source: string;
  /** Absent where no dead-letter queue is configured: a failed notice is then only logged and counted. */
  undelivered?: UndeliveredNotices | undefined;
  /**
   * Which failures to keep: all of them (the assign task, whose task succeeds anyway), or only the permanent ones
   * (the forward consumer: a transient failure fails its event, which the stream retries and then dead-letters
   * itself; a letter per retry would only repeat the same webhook).
   */
  keep: 'every-failure' | 'permanent-failures';
  log: Logger;
  metrics: { countOperational(metric: OperationalMetric): void };
  clock?: () => Date;
}

/** The letter of a notice given up on: the message, why, the attempts; nothing of the endpoint. */
export function undeliveredLetter(
  notice: AgencyNotice,
  outcome: NotificationOutcome,
  source: string,
  at: Date,
): UndeliveredNotice {
  const refused = outcome.refused && outcome.refused !== 'no-endpoint' ? outcome.refused : undefined;
  return {
    message: webhookMessage(notice),
    agency: notice.agency,
    source,
    reason: refused || outcome.permanent ? 'refused' : 'failed',
    ...(refused ? { refused } : {}),
    permanent: outcome.permanent,
    attempts: outcome.attempts.length,
    deliveries: outcome.attempts,
    at: at.toISOString(),
  };
}

/**
 * The sender with what a failed notice costs: an agency without an endpoint is logged (it pulls its queue, nothing
 * failed); any other failure counts `NotificationsFailed`, is logged and kept as a letter. A letter that cannot be kept
 * is logged and counted (`UndeliveredNoticesLost`) and never fails the caller: the agency's queue has the task anyway.
 */
export function reportingSender(send: SendNotice, reporting: NoticeReporting): SendNotice {
  const clock = reporting.clock ?? (() => new Date());
  return async (notice) => {
    const outcome = await send(notice);
    const keys = { agency: notice.agency, taskId: notice.taskId, webhookId: outcome.messageId };
    if (outcome.status === 'delivered') return outcome;
    if (outcome.refused === 'no-endpoint') {
      reporting.log.info('agency has no webhook endpoint', keys);
      return outcome;
    }
    reporting.metrics.countOperational('NotificationsFailed');
    reporting.log.error('agency not notified', {
      ...keys,
      refused: outcome.refused,
      permanent: outcome.permanent,
      attempts: outcome.attempts.length,
    });
    const keep = reporting.keep === 'every-failure' || outcome.permanent;
    if (keep && reporting.undelivered) {
      try {
        await reporting.undelivered.keep(undeliveredLetter(notice, outcome, reporting.source, clock()));
        reporting.log.info('undelivered notice kept', keys);
      } catch (error) {
        reporting.metrics.countOperational('UndeliveredNoticesLost');
        reporting.log.error('undelivered notice not kept', { ...keys, error });
      }
    }
    return outcome;
  };
}
