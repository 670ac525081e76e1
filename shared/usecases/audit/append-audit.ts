// Appends to the audit log: every domain event (through its stream consumer) and every refused partner or
// provider call (from the HTTP edge). Each entry links to the head it read; losing the head to a concurrent append
// means reading it again, so the chain stays one line without a lock.
import { type AuditFacts, type ChainHead, linkEntry } from '../../domain/audit';
import { actingKind, type Caller, callerId } from '../../domain/caller';
import type { DomainEvent } from '../../domain/events';
import { type AuditLog, ChainMovedError } from '../../ports/audit-log';
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

async function append(facts: AuditFacts, deps: AuditDeps, mark?: ConsumedMark) {
  for (let attempt = 1; ; attempt += 1) {
    const head = (attempt === 1 ? lastWritten.get(deps.audit) : undefined) ?? (await deps.audit.head());
    const entry = linkEntry(facts, head);
    try {
      const outcome = await deps.audit.append(entry, mark);
      if (outcome === 'appended') lastWritten.set(deps.audit, { seq: entry.seq, hash: entry.hash });
      else lastWritten.delete(deps.audit);
      return { outcome, seq: entry.seq };
    } catch (error) {
      lastWritten.delete(deps.audit);
      if (!(error instanceof ChainMovedError) || attempt >= MAX_ATTEMPTS) throw error;
      await deps.sleep(Math.random() * Math.min(500, 5 * 2 ** attempt));
    }
  }
}

/** One entry per event, once: the consumed mark is in the same transaction as the entry. */
export function auditEvent(event: DomainEvent, deps: AuditDeps) {
  const recordedAt = deps.clock().toISOString();
  return append(
    {
      at: event.at,
      who: { kind: event.caller.kind, ...(event.caller.id ? { id: event.caller.id } : {}) },
      what: { action: event.name, subject: event.dossierCode },
      result: { outcome: 'committed' },
      source: { kind: 'event', id: event.id },
      recordedAt,
    },
    deps,
    { consumer: AUDIT_CONSUMER, eventId: event.id, at: recordedAt },
  );
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
