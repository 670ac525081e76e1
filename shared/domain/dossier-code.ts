// Dossier codes and lookup keys: `<unit>-YYMMDD-NNNN`, and an 8-character key printed on the receipt.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/** `YYMMDD` of an instant in Asia/Ho_Chi_Minh: the day the dossier counts under. */
export function localDayCode(at: Date): string {
  const local = new Date(at.getTime() + 7 * 3_600_000).toISOString();
  return `${local.slice(2, 4)}${local.slice(5, 7)}${local.slice(8, 10)}`;
}

export function formatDossierCode(unit: string, day: string, sequence: number): string {
  return `${unit}-${day}-${String(sequence).padStart(4, '0')}`;
}

// Crockford's base32 without I, L, O, U: nothing a citizen can misread when typing it from paper.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newLookupKey(): string {
  return Array.from({ length: 8 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

export function sameKey(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/** The index key that lists a citizen's dossiers, whoever filed them; a hash, so the index holds no ID number. */
export function applicantKey(citizenId: string): string {
  return createHash('sha256').update(`motcua:applicant:${citizenId}`).digest('base64url');
}
