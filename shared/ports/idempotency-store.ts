// First answers of retried POSTs, keyed by caller, route and Idempotency-Key. The route declares the status.
export interface StoredAnswer<T = unknown> {
  body: T;
}

export interface IdempotencyRecord {
  /** caller + route + key */
  id: string;
  requestHash: string;
  answer: StoredAnswer;
}

export interface IdempotencyStore {
  find(id: string): Promise<{ requestHash: string; answer: StoredAnswer } | undefined>;
}

/** A concurrent request with the same key won the race; the caller should replay its answer. */
export class IdempotencyRaceError extends Error {}
