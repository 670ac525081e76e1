// What the applicant is told, as data: one message per fact worth telling, before any language or channel is chosen.
import type { Localized } from '../domain/dossier';

export type Language = 'vi' | 'en';
export type Channel = 'email' | 'sms';
export const channels: readonly Channel[] = ['email', 'sms'];

/** Every message the notifications consumer sends; the key names its marks and its `kind` tag. */
export type MessageFacts =
  | { kind: 'received'; appointmentDay: string; trackingUrl: string }
  | { kind: 'awaiting-payment'; outstandingVnd: number; trackingUrl: string }
  | { kind: 'supplement-requested'; items: { name: string; reason: string }[]; trackingUrl: string }
  | { kind: 'refused'; reason: string }
  | {
      kind: 'payment-confirmed';
      amountVnd: number;
      paymentId: string;
      outstandingVnd: number;
      /** Where the dossier lists its e-receipts (the receipt-issuer consumer issues them alongside). */
      receiptsUrl: string;
    }
  | { kind: 'overdue'; previousAppointmentDay: string; newAppointmentDay: string; trackingUrl: string }
  | { kind: 'result-ready'; downloadUrl: string; trackingUrl: string }
  | { kind: 'result-dispatched'; carrier: string; trackingNumber: string }
  | { kind: 'returned'; method: 'electronic' | 'post' | 'counter' }
  | { kind: 'rejected'; reason: string }
  | { kind: 'stopped'; reason: string }
  | { kind: 'rate'; ratingUrl: string };

export type MessageKind = MessageFacts['kind'];

/** What every message names: the dossier, its procedure and whom it is addressed to. */
export interface MessageContext {
  dossierCode: string;
  procedureName: Localized;
  applicantName: string;
}

export interface RenderedMessage {
  email: { subject: string; text: string };
  sms: { text: string };
}
