// The consumers on DynamoDB Local's real stream, driven by the local poller: effects, once each, across restarts.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterDir, readDeadLetters } from '../../local/dead-letters';
import { checkpointDir } from '../../local/stream-checkpoints';
import { type BatchReport, type StreamPoller, startStreamConsumers } from '../../local/stream-poller';
import { dynamoDocumentClient } from '../../shared/adapters/aws';
import { catalogueRepository } from '../../shared/adapters/deps';
import { personalDocumentStore } from '../../shared/adapters/document-deps';
import { auditLog } from '../../shared/adapters/event-deps';
import type { AuditEntry } from '../../shared/domain/audit';
import type { EventName } from '../../shared/domain/events';
import { type ConsumerDefinition, consumer, consumerList } from '../../shared/events/consumers';
import { onEvents } from '../../shared/events/handler';
import { verifyAuditLog } from '../../shared/usecases/audit/verify-audit-log';
import { birthDossier, refs } from '../unit/support/dossier';
import { sampleEvent } from '../unit/support/stream';
import { putDossier, putEvent } from './support/events';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
const dataDir = mkdtempSync(join(tmpdir(), 'motcua-consumers-'));
const batches: BatchReport[] = [];

// The consumers under test here; routing and notifications have their own tests (routing.test.ts,
// notifications.test.ts) and read the dossier these sample events name, which no one filed here.
const underTest = consumerList.filter((c) => !c.id.startsWith('routing-') && c.id !== 'notifications');
/** The consumers under test that take events of this name, by id. */
const subscribers = (name: EventName) =>
  underTest
    .filter((c) => (c.events as readonly EventName[]).includes(name))
    .map((c) => c.id)
    .sort();

async function startConsumers(options: Partial<Parameters<typeof startStreamConsumers>[0]> = {}) {
  return startStreamConsumers({
    dynamodb: stack.urls.dynamodb,
    tableName: process.env.TABLE_DOSSIERS!,
    dataDir,
    pollMs: 20,
    onBatch: (report) => batches.push(report),
    consumers: underTest,
    ...options,
  });
}

async function auditEntries() {
  const all: AuditEntry[] = [];
  for await (const page of auditLog().entries()) all.push(...page);
  return all;
}

const storeOf = async (owner: string) => (await personalDocumentStore().list(owner, { limit: 50 })).items;
const invokedWith = (eventId: string) =>
  batches.filter((b) => b.records.some((r) => r.dynamodb?.NewImage?.event?.M?.id?.S === eventId));

let poller: StreamPoller;
const first = { filed: sampleEvent('DossierFiled'), refused: sampleEvent('DossierRefused') };
let dossier = birthDossier();
let received = sampleEvent('DossierReceived');

beforeAll(async () => {
  stack = await startTestStack({ routing: false });
  const birth = await catalogueRepository().procedure('1.001193');
  dossier = birthDossier('000.00.01.H26-261127-0042', birth!.version);
  received = sampleEvent('DossierReceived', {
    code: dossier.code,
    payload: { applicantKey: 'ak-stream', documents: refs(dossier) },
  });
  poller = await startConsumers();
});

afterAll(async () => {
  await poller?.stop();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('stream consumers on the embedded stack', () => {
  it('append every committed event to the audit log, and nothing for the other items of the table', async () => {
    await putEvent(first.filed);
    await dynamoDocumentClient().send(
      new PutCommand({
        TableName: process.env.TABLE_DOSSIERS,
        Item: { pk: 'DOSSIER#x', sk: 'H#0001', data: {} },
      }),
    );
    await putEvent(first.refused);
    await poller.settled();
    const entries = await auditEntries();
    expect(entries.map((e) => [e.seq, e.what.action, e.source.id])).toEqual([
      [1, 'DossierFiled', first.filed.id],
      [2, 'DossierRefused', first.refused.id],
    ]);
    expect(await verifyAuditLog({ audit: auditLog() })).toEqual({ ok: true, count: 2 });
  });

  it("fill the applicant's personal store when a dossier is received", async () => {
    await putDossier(dossier);
    await putEvent(received);
    await poller.settled();
    const stored = await storeOf('ak-stream');
    expect(stored).toEqual([
      expect.objectContaining({ id: 'up-id', requirementId: 'cccd', sourceDossier: dossier.code }),
    ]);
    expect((await auditEntries()).at(-1)?.source.id).toBe(received.id);
  });

  it('have no second effect when the stream is delivered again from its oldest record', async () => {
    await poller.stop();
    const before = { audit: (await auditEntries()).length, store: await storeOf('ak-stream') };
    // A lost checkpoint: every consumer reads the stream again from TRIM_HORIZON.
    await rm(checkpointDir(dataDir), { recursive: true, force: true });
    batches.length = 0;
    poller = await startConsumers();
    await poller.settled();
    expect(
      invokedWith(received.id)
        .map((b) => b.consumer)
        .sort(),
    ).toEqual(subscribers('DossierReceived'));
    expect(subscribers('DossierReceived')).toEqual(
      expect.arrayContaining(['audit-log', 'personal-store-feed']),
    );
    expect((await auditEntries()).length).toBe(before.audit);
    expect(await storeOf('ak-stream')).toEqual(before.store);
    expect(await verifyAuditLog({ audit: auditLog() })).toMatchObject({ ok: true, count: before.audit });
  });

  it('resume from their checkpoints after a restart', async () => {
    await poller.stop();
    const later = sampleEvent('DossierWithdrawn');
    await putEvent(later);
    batches.length = 0;
    poller = await startConsumers();
    await poller.settled();
    // Each consumer that takes it gets the new event once, and nothing it had consumed before the restart.
    expect(batches.map((b) => b.consumer).sort()).toEqual(subscribers('DossierWithdrawn'));
    for (const batch of batches)
      expect(batch.records.map((r) => r.dynamodb?.NewImage?.event?.M?.id?.S)).toEqual([later.id]);
    expect((await auditEntries()).at(-1)?.source.id).toBe(later.id);
  });

  it('dead-letter what a failing consumer cannot take after its retries, while the others go on', async () => {
    await poller.stop();
    const failing: ConsumerDefinition = {
      ...consumer('audit-log'),
      id: 'always-failing',
      events: ['DossierRefused'],
    };
    const poison = sampleEvent('DossierRefused', { code: '000.00.01.H26-261127-0099' });
    poller = await startConsumers({
      consumers: [consumer('audit-log'), failing],
      settings: { maxRetries: 2 },
      retryBaseMs: 10,
      loadHandler: async (definition) => {
        if (definition.id !== failing.id)
          return (await import('../../functions/audit/on-dossier-event')).handler;
        return onEvents(
          ['DossierRefused'],
          async (event) => {
            if (event.id === poison.id) throw new Error('downstream refuses this one');
          },
          { consumer: failing.id },
        );
      },
    });
    await putEvent(poison);
    await poller.settled();
    const letters = (await readDeadLetters(deadLetterDir(dataDir))).get('always-failing') ?? [];
    expect(letters).toEqual([
      expect.objectContaining({
        attempts: 3,
        reason: 'reported',
        event: { id: poison.id, name: 'DossierRefused', dossierCode: poison.dossierCode },
      }),
    ]);
    expect((await auditEntries()).at(-1)?.source.id).toBe(poison.id);
    expect(await readdir(checkpointDir(dataDir))).toContain('always-failing.json');
  });

  it('list their dead letters with npm run dlq', async () => {
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/dlq.ts'], {
      env: { ...process.env, MOTCUA_DATA_DIR: dataDir },
    });
    expect(stdout).toMatch(/always-failing: 1 dead-lettered/);
    expect(stdout).toMatch(/DossierRefused 000\.00\.01\.H26-261127-0099/);
  });
});
