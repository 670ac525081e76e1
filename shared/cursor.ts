// Opaque pagination cursors: base64url JSON that callers hand back unchanged.
import { ValidationError } from './errors';

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T>(
  cursor: string | undefined,
  isValid: (value: unknown) => value is T,
): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isValid(value)) return value;
  } catch {
    // fall through to the same refusal as a well-formed but foreign cursor
  }
  throw new ValidationError('The cursor is not one this list issued', 'INVALID_CURSOR');
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}
