// Whom a dossier's messages go to, on which channels and in which language, and how a recipient is shown masked.
import type { Applicant } from '../domain/dossier';
import { type Channel, channels, type Language } from './messages';

export interface Recipients {
  language: Language;
  targets: { channel: Channel; to: string }[];
  /** Channels not used, and why: the applicant chose otherwise, or gave no contact for it. */
  skipped: { channel: Channel; reason: 'not-chosen' | 'no-contact' }[];
}

/**
 * The applicant's preference (`applicant.notify`), or by default every channel they gave a contact for, in
 * Vietnamese. A chosen channel without its contact is skipped, never an error.
 */
export function recipientsOf(applicant: Applicant): Recipients {
  const chosen = new Set<Channel>(applicant.notify?.channels ?? channels);
  const contact: Record<Channel, string | undefined> = { email: applicant.email, sms: applicant.phone };
  const result: Recipients = { language: applicant.notify?.language ?? 'vi', targets: [], skipped: [] };
  for (const channel of channels) {
    const to = contact[channel];
    if (!chosen.has(channel)) result.skipped.push({ channel, reason: 'not-chosen' });
    else if (!to) result.skipped.push({ channel, reason: 'no-contact' });
    else result.targets.push({ channel, to });
  }
  return result;
}

/** `c***@example.com`: the first letter of the mailbox and the whole domain. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

/** `09*****678`: in the national form (`+84…` shown as `0…`), the first two digits and the last three. */
export function maskPhone(phone: string): string {
  const national = phone.startsWith('+84') ? `0${phone.slice(3)}` : phone;
  if (national.length <= 5) return '*'.repeat(national.length);
  return `${national.slice(0, 2)}${'*'.repeat(national.length - 5)}${national.slice(-3)}`;
}

/** `+84912345678`: the E.164 form SNS wants, from the national form the applicant gave. */
export function e164(phone: string): string {
  return phone.startsWith('0') ? `+84${phone.slice(1)}` : phone;
}

export const maskRecipient = (channel: Channel, to: string) =>
  channel === 'email' ? maskEmail(to) : maskPhone(to);
