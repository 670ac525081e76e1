// Runs a create-or-move once per Idempotency-Key: same key and body replays, same key and other body is a 422.
import { createHash } from 'node:crypto';
import { IdempotencyKeyReusedError } from '../errors';
import {
  IdempotencyRaceError,
  type IdempotencyRecord,
  type IdempotencyStore,
  type StoredAnswer,
} from '../ports/idempotency-store';

export interface IdempotencyInput {
  /** The caller's key space (`callerScope`): keys of different callers never meet. */
  scope: string;
  operation: string;
  key?: string;
  request: unknown;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

export function requestHash(request: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(request)))
    .digest('base64url');
}

/**
 * When the stored answer is looked for:
 * - `before` acting (the default): for an act with effects outside its transaction, which a retry must not repeat
 *   (a filing's code from the counter, a provider's order);
 * - `on-failure`: for an act whose only effect is its transaction, one read fewer for every first request. A retry
 *   of a committed request fails in it (the dossier moved on, or the record's condition does), and then finds the
 *   first answer; with another body, its 422.
 */
export type IdempotencyLookup = 'before' | 'on-failure';

/**
 * `act` receives a function that turns its answer into the record to write in its own transaction,
 * so the change and the remembered answer land together or not at all.
 */
export async function idempotent<T>(
  store: IdempotencyStore,
  input: IdempotencyInput,
  act: (remember: (answer: T) => IdempotencyRecord | undefined) => Promise<T>,
  lookup: IdempotencyLookup = 'before',
): Promise<T> {
  if (!input.key) return act(() => undefined);
  const id = requestHash([input.scope, input.operation, input.key]);
  const hash = requestHash(input.request);
  const replay = async () => {
    const prior = await store.find(id);
    if (!prior) return undefined;
    if (prior.requestHash !== hash) {
      throw new IdempotencyKeyReusedError('This Idempotency-Key was used with a different request');
    }
    // The stored answer is the one this operation wrote for this key: the same shape as `act` returns.
    return (prior.answer as StoredAnswer<T>).body;
  };
  if (lookup === 'before') {
    const earlier = await replay();
    if (earlier !== undefined) return earlier;
  }
  try {
    return await act((body) => ({ id, requestHash: hash, answer: { body } }));
  } catch (error) {
    if (!(error instanceof IdempotencyRaceError) && lookup === 'before') throw error;
    // A lost race, or (looking up on failure) any refusal: an answer stored for this key is the answer.
    const earlier = await replay().catch((lookupError: unknown) => {
      // A key reused with another body is the caller's mistake to hear of; a failed read leaves the act's error.
      if (lookupError instanceof IdempotencyKeyReusedError) throw lookupError;
      throw error;
    });
    if (earlier === undefined) throw error;
    return earlier;
  }
}
