// Which events each consumer has already had its effect for: what makes a redelivered event harmless.

/** A consumer's record that it took its effect for one event, written at most once. */
export interface ConsumedMark {
  consumer: string;
  eventId: string;
  at: string;
}

/**
 * For effects that cannot share a write with the mark (a message sent, a workflow started). Effects that are
 * DynamoDB writes put the mark in their own transaction instead (see the audit log and the personal store feed).
 */
export interface ConsumedEvents {
  has(consumer: string, eventId: string): Promise<boolean>;
  /** Which of `eventIds` the consumer has marks for, in one read (strongly consistent, as `has`). */
  taken(consumer: string, eventIds: readonly string[]): Promise<Set<string>>;
  /** False when the mark was already there: another delivery of the same event got there first. */
  record(mark: ConsumedMark): Promise<boolean>;
  /**
   * Marks for effects already taken, in one request: unconditional, since a mark written twice is the same mark
   * (for a consumer that took several effects for one event and checked them with `taken`).
   */
  recordAll(marks: readonly ConsumedMark[]): Promise<void>;
}
