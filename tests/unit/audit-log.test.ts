import { describe, expect, it } from 'vitest';
import {
  type AuditEntry,
  canonicalJson,
  chainVerifier,
  GENESIS_HASH,
  linkEntry,
} from '../../shared/domain/audit';
import { MAX_LINKS_PER_APPEND } from '../../shared/ports/audit-log';
import { appendAudit, auditEvent, auditEvents } from '../../shared/usecases/audit/append-audit';
import type { AuditDeps } from '../../shared/usecases/audit/deps';
import { verifyAuditLog } from '../../shared/usecases/audit/verify-audit-log';
import { memoryAuditLog } from './fakes/memory-audit';
import { sampleEvent } from './support/stream';

function setup() {
  const audit = memoryAuditLog();
  const deps: AuditDeps = {
    audit: audit.log,
    clock: () => new Date('2026-11-27T03:00:00.000Z'),
    sleep: async () => undefined,
  };
  return { ...audit, deps };
}

async function filled(count: number) {
  const context = setup();
  for (let i = 0; i < count; i += 1) await auditEvent(sampleEvent('DossierReceived'), context.deps);
  return context;
}

const facts = {
  at: '2026-11-27T02:00:00.000Z',
  who: { kind: 'officer', id: 's1' },
  what: { action: 'DossierReceived', subject: 'c1' },
  result: { outcome: 'committed' as const },
  source: { kind: 'event' as const, id: 'e1' },
  recordedAt: '2026-11-27T02:00:01.000Z',
};

describe('the audit chain', () => {
  it('serializes an entry the same way whatever the key order or undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: undefined, b: null } })).toBe(
      '{"a":{"b":null,"d":[1,"x"]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('links the first entry to the genesis hash and each next one to the hash before it', () => {
    const first = linkEntry(facts, undefined);
    const second = linkEntry({ ...facts, source: { kind: 'event', id: 'e2' } }, first);
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(second.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives a different hash for any changed fact', () => {
    const entry = linkEntry(facts, undefined);
    expect(linkEntry({ ...facts, who: { kind: 'officer', id: 's2' } }, undefined).hash).not.toBe(entry.hash);
  });
});

describe('auditEvent', () => {
  it('appends one entry per event: who, what, when and the result', async () => {
    const { deps, entries } = setup();
    const event = sampleEvent('DossierRefused', { code: '000.00.01.H26-261127-0007' });
    await auditEvent(event, deps);
    expect(entries.get(1)).toMatchObject({
      seq: 1,
      at: event.at,
      who: { kind: 'officer', id: 'sub-officer-1' },
      what: { action: 'DossierRefused', subject: '000.00.01.H26-261127-0007' },
      result: { outcome: 'committed' },
      source: { kind: 'event', id: event.id },
    });
  });

  it('appends nothing for a redelivered event', async () => {
    const { deps, entries } = setup();
    const event = sampleEvent('DossierReceived');
    await auditEvent(event, deps);
    const again = await auditEvent(event, deps);
    expect(again.outcome).toBe('duplicate');
    expect(entries.size).toBe(1);
  });

  it('relinks to the new head when another append took it first', async () => {
    const { deps, entries, beforeAppend } = setup();
    beforeAppend.push(() => auditEvent(sampleEvent('DossierFiled'), deps).then(() => undefined));
    const result = await auditEvent(sampleEvent('DossierReceived'), deps);
    expect(result).toEqual({ outcome: 'appended', seq: 2 });
    expect(entries.get(2)!.prevHash).toBe(entries.get(1)!.hash);
  });

  it('links to the head it wrote without reading it again, and reads it when another writer moved the chain', async () => {
    const { deps, entries, log, otherView, headReads } = setup();
    for (let i = 0; i < 3; i += 1) await auditEvent(sampleEvent('DossierReceived'), deps);
    expect(headReads()).toBe(1);
    // Another instance appends: this one's remembered head is stale, its append is refused, it reads and relinks.
    await auditEvent(sampleEvent('DossierFiled'), { ...deps, audit: otherView() });
    expect(headReads()).toBe(2);
    const after = await auditEvent(sampleEvent('DossierReceived'), deps);
    expect(after).toEqual({ outcome: 'appended', seq: 5 });
    expect(headReads()).toBe(3);
    expect(entries.get(5)!.prevHash).toBe(entries.get(4)!.hash);
    expect(await verifyAuditLog({ audit: log })).toEqual({ ok: true, count: 5 });
  });

  it('keeps one unbroken chain under concurrent appends', async () => {
    const { deps, entries, log } = setup();
    await Promise.all(Array.from({ length: 20 }, () => auditEvent(sampleEvent('DossierReceived'), deps)));
    expect(entries.size).toBe(20);
    expect(await verifyAuditLog({ audit: log })).toEqual({ ok: true, count: 20 });
  });
});

describe('auditEvents', () => {
  const batch = (count: number) =>
    Array.from({ length: count }, (_, i) => sampleEvent(i % 2 ? 'DossierRefused' : 'DossierReceived'));

  it("appends a batch's events in one write, in stream order, one unbroken chain", async () => {
    const { deps, entries, log, appendCalls } = setup();
    const events = batch(5);
    expect(await auditEvents(events, deps)).toEqual({ appended: 5, duplicates: 0 });
    expect(appendCalls()).toBe(1);
    expect([...entries.values()].map((e) => e.source.id)).toEqual(events.map((e) => e.id));
    expect(await verifyAuditLog({ audit: log })).toEqual({ ok: true, count: 5 });
  });

  it('leaves out the events already in the log and appends the others together', async () => {
    const { deps, entries, log, appendCalls } = setup();
    const [a, b, c, d] = batch(4);
    await auditEvent(a!, deps);
    await auditEvent(c!, deps);
    expect(await auditEvents([a!, b!, c!, d!], deps)).toEqual({ appended: 2, duplicates: 2 });
    // The refused write, then the one without the recorded two.
    expect(appendCalls()).toBe(4);
    expect([...entries.values()].map((e) => e.source.id)).toEqual([a!.id, c!.id, b!.id, d!.id]);
    expect(await auditEvents([a!, b!, c!, d!], deps)).toEqual({ appended: 0, duplicates: 4 });
    expect(await verifyAuditLog({ audit: log })).toEqual({ ok: true, count: 4 });
  });

  it('splits a batch larger than one transaction holds', async () => {
    const { deps, log, appendCalls } = setup();
    const count = MAX_LINKS_PER_APPEND * 2 + 3;
    expect(await auditEvents(batch(count), deps)).toEqual({ appended: count, duplicates: 0 });
    expect(appendCalls()).toBe(3);
    expect(await verifyAuditLog({ audit: log })).toEqual({ ok: true, count });
  });

  it('relinks the whole batch when another append took the head first', async () => {
    const { deps, entries, log, beforeAppend } = setup();
    await auditEvent(sampleEvent('DossierFiled'), deps);
    beforeAppend.push(() => auditEvent(sampleEvent('DossierFiled'), deps).then(() => undefined));
    const events = batch(3);
    expect(await auditEvents(events, deps)).toEqual({ appended: 3, duplicates: 0 });
    expect(entries.get(3)!.source.id).toBe(events[0]!.id);
    expect(entries.get(3)!.prevHash).toBe(entries.get(2)!.hash);
    expect(await verifyAuditLog({ audit: log })).toEqual({ ok: true, count: 5 });
  });
});

describe('appendAudit', () => {
  it('records a refused partner call with the acting role and the refusal code', async () => {
    const { deps, entries } = setup();
    await appendAudit(
      {
        caller: { kind: 'agency', agency: '000.00.20.H26', principalArn: 'arn:aws:iam::1:user/p' },
        action: 'decideStep',
        subject: 'task-1',
        code: 'FORBIDDEN',
        at: new Date('2026-11-27T04:00:00.000Z'),
        requestId: 'req-9',
      },
      deps,
    );
    expect(entries.get(1)).toMatchObject({
      who: { kind: 'agency', id: '000.00.20.H26' },
      what: { action: 'decideStep', subject: 'task-1' },
      result: { outcome: 'refused', code: 'FORBIDDEN' },
      source: { kind: 'request', id: 'req-9' },
      at: '2026-11-27T04:00:00.000Z',
    });
  });

  it('names a staff caller by the role they act in', async () => {
    const { deps, entries } = setup();
    await appendAudit(
      {
        caller: { kind: 'staff', sub: 'sub-7', name: 'Lan', roles: ['supervisor'] },
        action: 'listBranchDossiers',
        code: 'FORBIDDEN',
        at: new Date(),
        requestId: 'r',
      },
      deps,
    );
    expect(entries.get(1)!.who).toEqual({ kind: 'supervisor', id: 'sub-7' });
  });
});

describe('verifyAuditLog', () => {
  it('counts the entries of an intact chain', async () => {
    const { log } = await filled(7);
    expect(await verifyAuditLog({ audit: log })).toEqual({ ok: true, count: 7 });
  });

  it('names an altered entry', async () => {
    const { log, entries } = await filled(7);
    entries.get(4)!.who = { kind: 'officer', id: 'someone-else' };
    const result = await verifyAuditLog({ audit: log });
    expect(result).toMatchObject({ ok: false, count: 3, problem: { kind: 'altered', seq: 4 } });
  });

  it('names a deleted entry', async () => {
    const { log, entries } = await filled(7);
    entries.delete(5);
    expect(await verifyAuditLog({ audit: log })).toMatchObject({
      ok: false,
      problem: { kind: 'missing', seq: 5 },
    });
  });

  it('names a deleted first entry', async () => {
    const { log, entries } = await filled(3);
    entries.delete(1);
    expect(await verifyAuditLog({ audit: log })).toMatchObject({
      ok: false,
      problem: { kind: 'missing', seq: 1 },
    });
  });

  it('notices the newest entries removed, from the head', async () => {
    const { log, entries } = await filled(5);
    entries.delete(5);
    expect(await verifyAuditLog({ audit: log })).toMatchObject({
      ok: false,
      problem: { kind: 'missing', seq: 5 },
    });
  });

  it('notices an entry rewritten with a recomputed hash, at the link after it', async () => {
    const { log, entries } = await filled(5);
    const forged = linkEntry(
      { ...entries.get(3)!, what: { action: 'DossierWithdrawn', subject: 'x' } },
      {
        seq: 2,
        hash: entries.get(2)!.hash,
      },
    );
    entries.set(3, forged);
    expect(await verifyAuditLog({ audit: log })).toMatchObject({
      ok: false,
      problem: { kind: 'relinked', seq: 4 },
    });
  });

  it('leaves entries appended after the head it read for the next run', () => {
    const first = linkEntry(facts, undefined);
    const second = linkEntry(facts, first);
    const verifier = chainVerifier({ seq: 1, hash: first.hash });
    verifier.add([first, second] as AuditEntry[]);
    expect(verifier.result()).toEqual({ ok: true, count: 1 });
  });
});
