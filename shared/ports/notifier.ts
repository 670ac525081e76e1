// Sending the applicant a message: an email or an SMS, each carrying its origin as tags. A refusal or an outage throws.
import type { MessageTags } from '../notifications/tags';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  tags: MessageTags;
}

export interface OutgoingSms {
  /** A Vietnamese number as the applicant gave it (`0912345678` or `+84912345678`). */
  to: string;
  text: string;
  tags: MessageTags;
}

export interface Notifier {
  sendEmail(message: OutgoingEmail): Promise<{ messageId: string }>;
  sendSms(message: OutgoingSms): Promise<{ messageId: string }>;
}
