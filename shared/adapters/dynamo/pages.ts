// DynamoDB pagination behind opaque cursors: the LastEvaluatedKey, encoded.
import { decodeCursor, encodeCursor } from '../../cursor';

const isKey = (value: unknown): value is Record<string, string> =>
  !!value &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.values(value as Record<string, unknown>).every(
    (v) => typeof v === 'string' || typeof v === 'number',
  );

export function startKey(cursor: string | undefined): Record<string, string> | undefined {
  return decodeCursor(cursor, isKey);
}

export function nextCursor(lastKey: Record<string, unknown> | undefined): string | undefined {
  return lastKey ? encodeCursor(lastKey) : undefined;
}
