// The audit log's chain rule: each entry's hash covers its canonical facts and the previous entry's hash, so
// altering, removing or reordering any stored entry breaks every link after it.
import { createHash } from 'node:crypto';

/** What one entry says happened: who did what to which subject, when, with what result. */
export interface AuditFacts {
  /** When it happened (the event's time, or the refused request's). */
  at: string;
  /** Who acted: the caller kind as events name it, and a stable id (never a citizen ID). */
  who: { kind: string; id?: string };
  /** The event name or the refused operation, and what it concerned (a dossier code, a route). */
  what: { action: string; subject?: string };
  result: { outcome: 'committed' | 'refused'; code?: string };
  /** Where the fact came from: the event's id, or the request's id. */
  source: { kind: 'event' | 'request'; id: string };
  /** When it was appended; later than `at` by the consumer's lag. */
  recordedAt: string;
}

export interface AuditEntry extends AuditFacts {
  /** 1, 2, 3… with no gap: a missing number is a removed entry. */
  seq: number;
  prevHash: string;
  hash: string;
}

/** The newest entry's position, kept beside the entries and moved in the same write as each append. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** What the first entry links to. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with keys sorted at every level and undefined dropped: one byte string per value, whatever the store did. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 (hex) over the canonical entry without its hash and prevHash, a newline, then the previous hash. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { prevHash, ...body } = entry;
  return createHash('sha256')
    .update(`${canonicalJson(body)}\n${prevHash}`)
    .digest('hex');
}

/** The next entry of a chain whose newest entry is `head` (undefined for an empty chain). */
export function linkEntry(facts: AuditFacts, head: ChainHead | undefined): AuditEntry {
  // Only the facts' own fields: whatever else a caller's object carries must not slip into the hash.
  const { at, who, what, result, source, recordedAt } = facts;
  const unsigned = {
    at,
    who,
    what,
    result,
    source,
    recordedAt,
    seq: (head?.seq ?? 0) + 1,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  return { ...unsigned, hash: entryHash(unsigned) };
}

export type ChainProblem =
  | { kind: 'missing'; seq: number; message: string }
  | { kind: 'altered'; seq: number; message: string }
  | { kind: 'relinked'; seq: number; message: string }
  | { kind: 'head'; seq: number; message: string };

/**
 * Checks entries in seq order, page by page, so a log of any size is verified in constant memory. `upTo` is the
 * head read before the entries: entries appended meanwhile are left for the next run.
 */
export function chainVerifier(upTo: ChainHead | undefined) {
  let previous: AuditEntry | undefined;
  let count = 0;
  let problem: ChainProblem | undefined;

  function check(entry: AuditEntry): ChainProblem | undefined {
    const expected = (previous?.seq ?? 0) + 1;
    if (entry.seq > expected) {
      const gap = entry.seq === expected + 1 ? `entry ${expected}` : `entries ${expected}–${entry.seq - 1}`;
      return { kind: 'missing', seq: expected, message: `${gap} missing (next stored is ${entry.seq})` };
    }
    if (entry.seq < expected)
      return {
        kind: 'relinked',
        seq: entry.seq,
        message: `entry ${entry.seq} appears twice or out of order`,
      };
    const { hash, ...unsigned } = entry;
    if (entryHash(unsigned) !== hash)
      return {
        kind: 'altered',
        seq: entry.seq,
        message: `entry ${entry.seq} was altered (its hash no longer matches)`,
      };
    if (entry.prevHash !== (previous?.hash ?? GENESIS_HASH)) {
      return {
        kind: 'relinked',
        seq: entry.seq,
        message: `entry ${entry.seq} does not link to entry ${entry.seq - 1}: one of them was rewritten`,
      };
    }
    return undefined;
  }

  return {
    /** Feeds the next entries; returns false once a problem is found (the rest need not be read). */
    add(entries: AuditEntry[]): boolean {
      for (const entry of entries) {
        if (problem) return false;
        if (upTo && entry.seq > upTo.seq) return false;
        problem = check(entry);
        if (problem) return false;
        previous = entry;
        count += 1;
      }
      return true;
    },
    /** The verdict: the first problem, or how many entries link correctly up to the head. */
    result(): { ok: true; count: number } | { ok: false; count: number; problem: ChainProblem } {
      if (problem) return { ok: false, count, problem };
      const last = previous?.seq ?? 0;
      const headSeq = upTo?.seq ?? 0;
      if (last < headSeq) {
        const message =
          last + 1 === headSeq
            ? `entry ${headSeq} missing (the head says ${headSeq})`
            : `entries ${last + 1}–${headSeq} missing (the head says ${headSeq})`;
        return { ok: false, count, problem: { kind: 'missing', seq: last + 1, message } };
      }
      if (upTo && previous && previous.hash !== upTo.hash) {
        const message = `entry ${last} does not match the head's hash: it or the head was rewritten`;
        return { ok: false, count, problem: { kind: 'head', seq: last, message } };
      }
      if (!upTo && previous) {
        const message = `the head is missing but ${count} entries exist`;
        return { ok: false, count, problem: { kind: 'head', seq: last, message } };
      }
      return { ok: true, count };
    },
  };
}
