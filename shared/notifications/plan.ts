// Which messages an event makes for the applicant, read from the event and the dossier as it is now (pure).
import type { Dossier } from '../domain/dossier';
import type { DomainEvent } from '../domain/events';
import { awaitingPayment, outstandingVnd } from '../domain/payments';
import type { MessageFacts } from './messages';

/** The events the applicant hears of (the consumer's filter). */
export const notifiedEvents = [
  'DossierReceived',
  'DossierSupplementRequested',
  'DossierRefused',
  'DossierPaid',
  'DossierOverdue',
  'DossierResultReady',
  'DossierResultDispatched',
  'DossierReturned',
  'DossierRejected',
  'DossierStopped',
] as const;

type Notified = (typeof notifiedEvents)[number];
/** One of them, narrowed by `name` (as shared/events/handler.ts `EventOf`). */
export type NotifiedEvent = Notified extends infer N ? (N extends Notified ? DomainEvent<N> : never) : never;

/** The public links a message carries; `base` is the API's public URL. */
export function dossierLinks(base: string, dossier: Pick<Dossier, 'code' | 'lookupKey'>) {
  const code = encodeURIComponent(dossier.code);
  return {
    // The same link as slip 01's (shared/usecases/dossiers/forms.ts `trackingUrl`).
    tracking: `${base}/v1/tracking/${code}?key=${dossier.lookupKey}`,
    dossier: `${base}/v1/dossiers/${code}`,
    result: `${base}/v1/dossiers/${code}/result`,
    rating: `${base}/v1/dossiers/${code}/rating`,
  };
}

/**
 * The messages of one event. Facts come from the event (what happened then); the dossier adds the contact-free parts
 * the event does not carry (its lookup key, whether it still waits for its fees). A dossier that ended with an outcome
 * is also asked to be rated.
 */
export function planMessages(event: NotifiedEvent, dossier: Dossier, base: string): MessageFacts[] {
  const links = dossierLinks(base, dossier);
  const fees = (): MessageFacts[] =>
    awaitingPayment(dossier)
      ? [
          {
            kind: 'awaiting-payment',
            outstandingVnd: outstandingVnd(dossier.fees),
            trackingUrl: links.tracking,
          },
        ]
      : [];
  const rate: MessageFacts = { kind: 'rate', ratingUrl: links.rating };
  switch (event.name) {
    case 'DossierReceived':
      return [
        { kind: 'received', appointmentDay: event.payload.appointmentDay, trackingUrl: links.tracking },
        ...fees(),
      ];
    case 'DossierSupplementRequested':
      return [
        {
          kind: 'supplement-requested',
          items: event.payload.items.map(({ name, reason }) => ({ name, reason })),
          trackingUrl: links.tracking,
        },
      ];
    case 'DossierRefused':
      return [{ kind: 'refused', reason: event.payload.reason }];
    case 'DossierPaid':
      return [
        {
          kind: 'payment-confirmed',
          amountVnd: event.payload.amountVnd,
          paymentId: event.payload.paymentId,
          outstandingVnd: event.payload.outstandingVnd,
          receiptsUrl: links.dossier,
        },
      ];
    case 'DossierOverdue':
      return [
        {
          kind: 'overdue',
          previousAppointmentDay: event.payload.previousAppointmentDay,
          newAppointmentDay: event.payload.newAppointmentDay,
          trackingUrl: links.tracking,
        },
      ];
    case 'DossierResultReady':
      return [{ kind: 'result-ready', downloadUrl: links.result, trackingUrl: links.tracking }, ...fees()];
    case 'DossierResultDispatched':
      return [
        {
          kind: 'result-dispatched',
          carrier: event.payload.carrier,
          trackingNumber: event.payload.trackingNumber,
        },
      ];
    case 'DossierReturned':
      return [{ kind: 'returned', method: event.payload.method }, rate];
    case 'DossierRejected':
      return [{ kind: 'rejected', reason: event.payload.reason }, rate];
    case 'DossierStopped':
      return [{ kind: 'stopped', reason: event.payload.reason }, rate];
  }
}
