// On a dossier event, the applicant's messages, each on each of their channels once: a mark per event, message and
// channel, written (all of the event's in one request) after the providers took them, so a redelivery after one
// channel succeeded sends only the others.
// A channel that fails does not stop the others; the event (or the batch) then throws, to be retried and finally
// dead-lettered.
// (A crash between a send and the marks sends that one again: at least once, which SES and SNS cannot dedupe.)

import type { ConsumedEvents, ConsumedMark } from '../ports/consumed-events';
import type { DossierRepository } from '../ports/dossier-repository';
import type { Notifier } from '../ports/notifier';
import type { Channel, MessageKind } from './messages';
import { type NotifiedEvent, planMessages } from './plan';
import { recipientsOf } from './recipients';
import { renderMessage } from './templates';

export const NOTIFICATIONS_CONSUMER = 'notifications';

export interface NotifyDeps {
  dossiers: Pick<DossierRepository, 'getMany'>;
  notifier: Notifier;
  marks: ConsumedEvents;
  publicBaseUrl: string;
  clock: () => Date;
}

export interface Delivery {
  kind: MessageKind;
  channel: Channel;
  outcome: 'sent' | 'already-sent' | 'failed' | 'skipped';
  reason?: 'not-chosen' | 'no-contact';
  messageId?: string;
}

export class NotificationFailedError extends Error {
  override name = 'NotificationFailedError';
  constructor(
    readonly deliveries: Delivery[],
    readonly causes: unknown[],
    /** Events whose dossier is missing (a broken invariant): nothing could be sent for them. */
    readonly missing: string[] = [],
  ) {
    const failed = deliveries.filter((d) => d.outcome === 'failed').map((d) => `${d.kind}/${d.channel}`);
    super([...(failed.length ? [`could not send ${failed.join(', ')}`] : []), ...missing].join('; '), {
      cause: causes[0],
    });
  }
}

/** The mark of one message on one channel: `<event id>#<kind>#<channel>` under the consumer's name. */
export const deliveryMark = (eventId: string, kind: MessageKind, channel: Channel) =>
  `${eventId}#${kind}#${channel}`;

export async function notifyApplicant(event: NotifiedEvent, deps: NotifyDeps): Promise<Delivery[]> {
  return (await notifyApplicants([event], deps))[0]!.deliveries;
}

/**
 * A stream batch's events at once: their dossiers in one read, every mark their messages could have in one more, the
 * messages not yet sent, then the marks of all that went through in one write. An event whose dossier is missing, or
 * a message a channel refused, does not stop the others; the batch then throws (after the marks are written), to be
 * retried and finally dead-lettered, and the redelivery sends only what did not go through.
 */
export async function notifyApplicants(
  events: readonly NotifiedEvent[],
  deps: NotifyDeps,
): Promise<{ event: NotifiedEvent; deliveries: Delivery[] }[]> {
  const dossiers = await deps.dossiers.getMany([...new Set(events.map((event) => event.dossierCode))]);
  const plans = events.map((event) => {
    const dossier = dossiers.get(event.dossierCode);
    return {
      event,
      dossier,
      recipients: dossier && recipientsOf(dossier.applicant),
      planned: dossier ? planMessages(event, dossier, deps.publicBaseUrl) : [],
    };
  });
  const sent = await deps.marks.taken(
    NOTIFICATIONS_CONSUMER,
    plans.flatMap(({ event, recipients, planned }) =>
      planned.flatMap((facts) =>
        (recipients?.targets ?? []).map(({ channel }) => deliveryMark(event.id, facts.kind, channel)),
      ),
    ),
  );
  const taken: ConsumedMark[] = [];
  const causes: unknown[] = [];
  const missing: string[] = [];
  const results: { event: NotifiedEvent; deliveries: Delivery[] }[] = [];
  for (const { event, dossier, recipients, planned } of plans) {
    const deliveries: Delivery[] = [];
    results.push({ event, deliveries });
    // The event was written with the dossier: a missing one is a broken invariant, retried and then dead-lettered.
    if (!dossier || !recipients) {
      missing.push(`dossier ${event.dossierCode} of event ${event.id} is not found`);
      continue;
    }
    const context = {
      dossierCode: dossier.code,
      procedureName: dossier.procedure.name,
      applicantName: dossier.applicant.fullName,
    };
    for (const facts of planned) {
      for (const { channel, reason } of recipients.skipped)
        deliveries.push({ kind: facts.kind, channel, outcome: 'skipped', reason });
      if (recipients.targets.length === 0) continue;
      const rendered = renderMessage(facts, context, recipients.language);
      const tags = {
        event: event.name,
        eventId: event.id,
        dossierCode: dossier.code,
        kind: facts.kind,
        language: recipients.language,
      };
      for (const { channel, to } of recipients.targets) {
        const mark = deliveryMark(event.id, facts.kind, channel);
        if (sent.has(mark)) {
          deliveries.push({ kind: facts.kind, channel, outcome: 'already-sent' });
          continue;
        }
        try {
          const { messageId } =
            channel === 'email'
              ? await deps.notifier.sendEmail({ to, ...rendered.email, tags })
              : await deps.notifier.sendSms({ to, text: rendered.sms.text, tags });
          taken.push({ consumer: NOTIFICATIONS_CONSUMER, eventId: mark, at: deps.clock().toISOString() });
          deliveries.push({ kind: facts.kind, channel, outcome: 'sent', messageId });
        } catch (error) {
          deliveries.push({ kind: facts.kind, channel, outcome: 'failed' });
          causes.push(error);
        }
      }
    }
  }
  // The marks of what was sent, in one write, before a failure is reported: a redelivery sends only the rest.
  if (taken.length > 0) await deps.marks.recordAll(taken);
  if (causes.length > 0 || missing.length > 0)
    throw new NotificationFailedError(
      results.flatMap((r) => r.deliveries),
      causes,
      missing,
    );
  return results;
}
