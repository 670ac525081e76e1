// Agency webhooks given up on (every attempt failed, or the endpoint refused the message), set aside where on-call
// sees them and an alarm fires: the dead letters of the notices the assign task and the routing-forwarded consumer
// send. The agency's queue has the task whatever happens here; a letter is what would let us resend the webhook.
//
// Locally: `<data dir>/dead-letters/agency-webhooks.jsonl` (local/dead-letters.ts), listed by `npm run dlq`.
// In the cloud (shared/adapters/sqs-undelivered-notices.ts): the queue `motcua-<env>-agency-webhooks-dead-letters`,
// alarmed on its depth.
import type { DeliveryAttempt } from '../webhooks/delivery';
import type { AgencyNotice } from './agency-notices';
import type { AgencyMessage, NotificationRefusal } from './agency-notifier';

export interface UndeliveredNotice {
  /**
   * The webhook message as it was (or would have been) sent: its id, type, timestamp and the notice. Never the
   * endpoint's URL or signing secrets (a resend signs again with the secrets of the day). Resending it repeats its
   * webhook id, so an agency that did receive it after all drops the copy.
   */
  message: AgencyMessage<AgencyNotice>;
  agency: string;
  /** The function that gave up: `routing-assign` (the workflow's `Decide` task) or `routing-forwarded`. */
  source: string;
  /**
   * `failed`: the endpoint was called and every attempt failed; `refused`: nothing was sent (an invalid secret or
   * endpoint URL in the agency's registration) or the endpoint refused the message for good.
   */
  reason: 'failed' | 'refused';
  /** Why nothing was sent, when nothing was (`no-endpoint` is never a letter: that agency pulls its queue). */
  refused?: Exclude<NotificationRefusal, 'no-endpoint'>;
  /** Retrying later cannot fix it: the registration or the endpoint must change first. */
  permanent: boolean;
  /** Attempts made (0 when refused before sending). */
  attempts: number;
  /** Each attempt: when, the status or error, how long. */
  deliveries: DeliveryAttempt[];
  /** When it was set aside (ISO). */
  at: string;
}

export interface UndeliveredNotices {
  /** Sets the letter aside; rejects when it could not be kept (the caller logs and counts it, never fails on it). */
  keep(letter: UndeliveredNotice): Promise<void>;
}
