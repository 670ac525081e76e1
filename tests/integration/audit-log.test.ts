// The audit log on DynamoDB Local: one unbroken chain under appends from several processes, and tampering with a
// stored entry found by the verifier and by `npm run audit:verify`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDocumentClient } from '../../shared/adapters/aws';
import { auditEntryKey } from '../../shared/adapters/dynamo/audit-log';
import { dynamoConsumedEvents } from '../../shared/adapters/dynamo/consumed-events';
import { auditDeps, auditLog } from '../../shared/adapters/event-deps';
import { auditEvent } from '../../shared/usecases/audit/append-audit';
import { verifyAuditLog } from '../../shared/usecases/audit/verify-audit-log';
import { sampleEvent } from '../unit/support/stream';
import { startTestStack, type TestStack } from './support/stack';

const run = promisify(execFile);
let stack: TestStack;
const client = () => dynamoDocumentClient();
const table = () => process.env.TABLE_AUDIT!;

async function verifyScript() {
  try {
    const { stdout } = await run('npx', ['tsx', 'scripts/audit-verify.ts'], { env: process.env });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, output: failed.stderr };
  }
}

beforeAll(async () => {
  stack = await startTestStack({ seed: false });
});
afterAll(async () => {
  await stack?.stop();
});

describe('the audit log', () => {
  it('stays one unbroken chain while several processes append at once', async () => {
    await Promise.all(
      [1, 2].map(() =>
        run('npx', ['tsx', 'tests/integration/support/append-audit-child.ts'], {
          env: { ...process.env, COUNT: '12' },
        }),
      ),
    );
    const deps = auditDeps();
    await Promise.all(Array.from({ length: 6 }, () => auditEvent(sampleEvent('DossierReceived'), deps)));
    expect(await verifyAuditLog({ audit: auditLog() })).toEqual({ ok: true, count: 30 });
  });

  it('appends an event redelivered to it only once', async () => {
    const event = sampleEvent('DossierWithdrawn');
    const deps = auditDeps();
    await auditEvent(event, deps);
    expect((await auditEvent(event, deps)).outcome).toBe('duplicate');
    expect(await verifyAuditLog({ audit: auditLog() })).toEqual({ ok: true, count: 31 });
  });

  it('passes npm run audit:verify with the count', async () => {
    const { code, output } = await verifyScript();
    expect(code).toBe(0);
    expect(output).toMatch(/31 entries, chain intact/);
  });

  it('names an altered entry', async () => {
    const key = auditEntryKey(12);
    const { Item } = await client().send(new GetCommand({ TableName: table(), Key: key }));
    await client().send(
      new UpdateCommand({
        TableName: table(),
        Key: key,
        UpdateExpression: 'SET #entry.#result.#code = :code',
        ExpressionAttributeNames: { '#entry': 'entry', '#result': 'result', '#code': 'code' },
        ExpressionAttributeValues: { ':code': 'OK' },
      }),
    );
    try {
      expect(await verifyAuditLog({ audit: auditLog() })).toMatchObject({
        ok: false,
        count: 11,
        problem: { kind: 'altered', seq: 12 },
      });
      const { code, output } = await verifyScript();
      expect(code).toBe(1);
      expect(output).toMatch(/entry 12 was altered/);
    } finally {
      await client().send(new PutCommand({ TableName: table(), Item: Item }));
    }
  });

  it('names a deleted entry', async () => {
    const key = auditEntryKey(20);
    const { Item } = await client().send(new GetCommand({ TableName: table(), Key: key }));
    await client().send(new DeleteCommand({ TableName: table(), Key: key }));
    try {
      expect(await verifyAuditLog({ audit: auditLog() })).toMatchObject({
        ok: false,
        problem: { kind: 'missing', seq: 20 },
      });
      const { code, output } = await verifyScript();
      expect(code).toBe(1);
      expect(output).toMatch(/entry 20 missing/);
    } finally {
      await client().send(new PutCommand({ TableName: table(), Item: Item }));
    }
    expect(await verifyAuditLog({ audit: auditLog() })).toEqual({ ok: true, count: 31 });
  });

  it('stays one chain with each event once while processes append stream batches and single entries at once', async () => {
    await Promise.all([
      // 49 events fill one transaction (100 items: the head, an entry and a mark each).
      ...[
        { COUNT: '60', BATCH: '49' },
        { COUNT: '20', BATCH: '7' },
      ].map((counts) =>
        run('npx', ['tsx', 'tests/integration/support/append-audit-child.ts'], {
          env: { ...process.env, ...counts },
        }),
      ),
      run('npx', ['tsx', 'tests/integration/support/append-audit-child.ts'], {
        env: { ...process.env, COUNT: '9' },
      }),
    ]);
    expect(await verifyAuditLog({ audit: auditLog() })).toEqual({ ok: true, count: 31 + 60 + 20 + 9 });
    const events: string[] = [];
    for await (const page of auditLog().entries()) {
      events.push(...page.filter((e) => e.source.kind === 'event').map((e) => e.source.id));
    }
    expect(events).toHaveLength(new Set(events).size);
  });
});

describe('consumed-event marks', () => {
  it('are recorded once: a second delivery of the same event finds the mark', async () => {
    const marks = dynamoConsumedEvents(client(), table());
    const mark = { consumer: 'notifications', eventId: 'e-1', at: new Date().toISOString() };
    expect(await marks.has('notifications', 'e-1')).toBe(false);
    expect(await marks.record(mark)).toBe(true);
    expect(await marks.record(mark)).toBe(false);
    expect(await marks.has('notifications', 'e-1')).toBe(true);
    // In one read: the marks that exist, of this consumer only.
    expect(await marks.taken('notifications', ['e-1', 'e-2', 'e-1'])).toEqual(new Set(['e-1']));
    expect(await marks.taken('audit-log', ['e-1'])).toEqual(new Set());
    expect(await marks.taken('notifications', [])).toEqual(new Set());
  });

  it('of effects already taken are written together, and writing them again changes nothing', async () => {
    const marks = dynamoConsumedEvents(client(), table());
    const at = new Date().toISOString();
    const taken = Array.from({ length: 30 }, (_, i) => ({
      consumer: 'notifications',
      eventId: `batch-${i}`,
      at,
    }));
    await marks.recordAll(taken);
    await marks.recordAll(taken.slice(0, 2));
    const ids = taken.map((m) => m.eventId);
    expect(await marks.taken('notifications', [...ids, 'batch-none'])).toEqual(new Set(ids));
    expect(await marks.record(taken[0]!)).toBe(false);
  });
});
