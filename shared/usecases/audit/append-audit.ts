// Appends to the audit log: every domain event (through its stream consumer) and every refused partner or
// provider call (from the HTTP edge). Each entry links to the head it read; losing the head to a concurrent append
// means reading it again, so the chain stays one line without a lock.
import { type AuditFacts, type ChainHead, linkEntry } from '../../domain/audit';
import { actingKind, type Caller, callerId } from '../../domain/caller';
import type { DomainEvent } from '../../domain/events';
import {
  type AuditLink,
  type AuditLog,
  ChainMovedError,
  MAX_LINKS_PER_APPEND,
  RecordedMarksError,
} from '../../ports/audit-log';
import type { ConsumedMark } from '../../ports/consumed-events';
import type { AuditDeps } from './deps';

/** The audit log's consumer id: the name of its consumed-event marks. */
export const AUDIT_CONSUMER = 'audit-log';

// Each lost race costs one read and one transaction; with jittered waits growing to ~0.5 s, 40 attempts ride out
// bursts far above the platform's rate (docs/events.md) before the stream retries the event.
const MAX_ATTEMPTS = 40;

// The head each log's last append here wrote (per warm instance, as module state is): the next append links to it
// without reading the head. The append's condition is the check: if another writer moved the chain meanwhile, it
// fails as any lost race does, and the head is read again. Nothing else moves the head to a seq this instance wrote.
const lastWritten = new WeakMap<AuditLog, ChainHead>();

interface Pending {
  facts: AuditFacts;
  mark?: ConsumedMark;
}

/**
 * Appends consecutive entries in one write, linked from the head. A link whose event is already in the log (its mark
 * exists) is left out and the rest written at once; a lost race reads the head again and relinks them all.
 */
async function appendLinked(items: readonly Pending[], deps: AuditDeps) {
  let pending = items;
  let duplicates = 0;
  for (let race = 1; ; ) {
    if (pending.length === 0) return { appended: [] as number[], duplicates };
    const head = (race === 1 ? lastWritten.get(deps.audit) : undefined) ?? (await deps.audit.head());
    const links: AuditLink[] = [];
    for (const { facts, mark } of pending) {
      const entry = linkEntry(facts, links.at(-1)?.entry ?? head);
      links.push({ entry, ...(mark ? { mark } : {}) });
    }
    try {
      await deps.audit.appendAll(links);
      const last = links.at(-1)!.entry;
      lastWritten.set(deps.audit, { seq: last.seq, hash: last.hash });
      return { appended: links.map((link) => link.entry.seq), duplicates };
    } catch (error) {
      if (error instanceof RecordedMarksError) {
        // Nothing was written and the head did not move: drop the recorded ones and link the rest from the same head.
        const recorded = new Set(error.indexes);
        pending = pending.filter((_, index) => !recorded.has(index));
        duplicates += recorded.size;
        continue;
      }
      lastWritten.delete(deps.audit);
      if (!(error instanceof ChainMovedError) || race >= MAX_ATTEMPTS) throw error;
      await deps.sleep(Math.random() * Math.min(500, 5 * 2 ** race));
      race += 1;
    }
  }
}

async function append(facts: AuditFacts, deps: AuditDeps, mark?: ConsumedMark) {
  const { appended } = await appendLinked([{ facts, ...(mark ? { mark } : {}) }], deps);
  const seq = appended[0];
  return seq === undefined ? { outcome: 'duplicate' as const } : { outcome: 'appended' as const, seq };
}

const eventEntry = (event: DomainEvent, recordedAt: string): Pending => ({
  facts: {
    at: event.at,
    who: { kind: event.caller.kind, ...(event.caller.id ? { id: event.caller.id } : {}) },
    what: { action: event.name, subject: event.dossierCode },
    result: { outcome: 'committed' },
    source: { kind: 'event', id: event.id },
    recordedAt,
  },
  mark: { consumer: AUDIT_CONSUMER, eventId: event.id, at: recordedAt },
});

/** One entry per event, once: the consumed mark is in the same transaction as the entry. */
export function auditEvent(event: DomainEvent, deps: AuditDeps) {
  const { facts, mark } = eventEntry(event, deps.clock().toISOString());
  return append(facts, deps, mark);
}

/**
 * A stream batch's events, each one entry once, in stream order: one write per `MAX_LINKS_PER_APPEND` events rather
 * than one per event. Redelivered events are left out by their marks; if a later write fails, the earlier ones stand
 * and the batch's redelivery finds their marks.
 */
export async function auditEvents(events: readonly DomainEvent[], deps: AuditDeps) {
  const recordedAt = deps.clock().toISOString();
  const entries = events.map((event) => eventEntry(event, recordedAt));
  let appended = 0;
  let duplicates = 0;
  for (let i = 0; i < entries.length; i += MAX_LINKS_PER_APPEND) {
    const written = await appendLinked(entries.slice(i, i + MAX_LINKS_PER_APPEND), deps);
    appended += written.appended.length;
    duplicates += written.duplicates;
  }
  return { appended, duplicates };
}

export interface RefusedCall {
  caller: Caller;
  /** The operation refused, e.g. the route id (`decideStep`) or `POST /v1/partner/tasks/{token}`. */
  action: string;
  /** What it concerned, when known: a dossier code, a task, a payment reference. */
  subject?: string;
  /** The error code it was refused with (FORBIDDEN, SIGNATURE_INVALID…). */
  code: string;
  at: Date;
  requestId: string;
  /**
   * Who, when the call established no caller but presented an identity: an unregistered SigV4 principal is
   * `{ kind: 'principal', id: <its ARN> }`. Without it, who is the caller.
   */
  who?: { kind: string; id?: string };
}

/** For the HTTP edge: records who was refused what, when and why. Not deduplicated: each request is one entry. */
export function appendAudit(call: RefusedCall, deps: AuditDeps) {
  const id = callerId(call.caller);
  return append(
    {
      at: call.at.toISOString(),
      who: call.who ?? { kind: actingKind(call.caller), ...(id ? { id } : {}) },
      what: { action: call.action, ...(call.subject ? { subject: call.subject } : {}) },
      result: { outcome: 'refused', code: call.code },
      source: { kind: 'request', id: call.requestId },
      recordedAt: deps.clock().toISOString(),
    },
    deps,
  );
}

export interface ProviderCall {
  provider: string;
  /** The operation, e.g. `vnpayIpn`. */
  action: string;
  /** Our payment id, when the message named one (a forged message's is recorded as given, nothing more). */
  subject?: string;
  /** What we answered (the provider's code: 00, 01, 02, 04, 97, 99). */
  code: string;
  /** Whether the call changed anything (a payment settled). */
  recorded: boolean;
  at: Date;
  requestId: string;
}

/** For a provider's callback: every call, good or bad, is one entry (ARCHITECTURE.md §2 "Payment"). */
export function appendProviderCall(call: ProviderCall, deps: AuditDeps) {
  return append(
    {
      at: call.at.toISOString(),
      who: { kind: 'provider', id: call.provider },
      what: { action: call.action, ...(call.subject ? { subject: call.subject } : {}) },
      result: { outcome: call.recorded ? 'committed' : 'refused', code: call.code },
      source: { kind: 'request', id: call.requestId },
      recordedAt: deps.clock().toISOString(),
    },
    deps,
  );
}
