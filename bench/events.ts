// Events on the embedded stack: from an event committed to DynamoDB Local to each consumer done with it (through the
// local stream poller, as `npm start` runs it), and the audit chain's verification time per 10,000 entries.
// `npx tsx bench/events.ts` runs it alone; bench/run.ts may call `eventsBench` and print `eventsTables`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createTables, localNames } from '../local/bootstrap';
import { startStack } from '../local/stack';
import { startStreamConsumers } from '../local/stream-poller';
import { dynamoDocumentClient } from '../shared/adapters/aws';
import { catalogueRepository } from '../shared/adapters/deps';
import { auditEntryKey, dynamoAuditLog } from '../shared/adapters/dynamo/audit-log';
import { type AuditEntry, linkEntry } from '../shared/domain/audit';
import { type DomainEvent, domainEvent } from '../shared/domain/events';
import { consumerList } from '../shared/events/consumers';
import { verifyAuditLog } from '../shared/usecases/audit/verify-audit-log';
import { median, table } from './stats';

export interface LatencyRow {
  what: string;
  samples: number;
  p50: number;
  p95: number;
  max: number;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

const row = (what: string, values: number[]): LatencyRow => ({
  what,
  samples: values.length,
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  max: Math.max(...values),
});

const eventItem = (event: DomainEvent) => ({
  pk: `DOSSIER#${event.dossierCode}`,
  sk: `EVENT#${String(event.dossierVersion).padStart(6, '0')}#${event.name}`,
  entity: 'event',
  event,
});

export async function eventsBench(options: { samples: number; burst: number; verifyEntries: number }) {
  process.env.LOG_LEVEL = 'silent';
  const s3Dir = mkdtempSync(join(tmpdir(), 'motcua-bench-events-'));
  const stack = await startStack({
    ports: { gateway: 0, dynamodb: 0, s3: 0 },
    s3Dir,
    prefix: 'bench-events',
    // The bench runs the consumers itself, to time each batch.
    consumers: false,
  });
  const done = new Map<string, Map<string, number>>();
  const committed = new Map<string, number>();
  const poller = await startStreamConsumers({
    dynamodb: stack.urls.dynamodb,
    tableName: process.env.TABLE_DOSSIERS!,
    // The two it times. The others take DossierReceived too, and fail on this synthetic dossier (no route to start,
    // no applicant to notify): their retries would hold `settled()` for minutes and inflate the burst's time.
    consumers: consumerList.filter((c) => c.id === 'audit-log' || c.id === 'personal-store-feed'),
    onBatch: (report) => {
      if (report.outcome !== 'ok') return;
      const now = performance.now();
      for (const record of report.records) {
        const id = record.dynamodb?.NewImage?.event?.M?.id?.S;
        if (id) done.get(id)?.set(report.consumer, now);
      }
    },
  });
  const client = dynamoDocumentClient();
  try {
    // A received birth-registration dossier with its ID card uploaded: each DossierReceived feeds the store.
    const birth = (await catalogueRepository().procedure('1.001193'))!;
    const code = '000.00.01.H26-261127-0001';
    const cccd = {
      requirementId: 'cccd',
      name: { vi: 'CCCD', en: 'ID card' },
      source: 'upload' as const,
      documentId: 'bench-id',
      fileName: 'cccd.pdf',
      contentType: 'application/pdf',
      sizeBytes: 1000,
      sha256: 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8M=',
      s3Key: 'filed/bench-id',
    };
    await client.send(
      new PutCommand({
        TableName: process.env.TABLE_DOSSIERS,
        Item: {
          pk: `DOSSIER#${code}`,
          sk: 'META',
          version: 1,
          data: {
            code,
            procedure: { code: birth.code, version: birth.version, name: birth.name, processingDays: 0 },
            applicantKey: 'bench',
            documents: [cccd],
            version: 1,
          },
        },
      }),
    );
    let version = 1;
    const commit = async () => {
      version += 1;
      const event = domainEvent(
        'DossierReceived',
        {
          unit: '000.00.01.H26',
          procedureCode: birth.code,
          procedureVersion: birth.version,
          channel: 'online',
          appointmentDay: '2026-12-04',
          applicantKey: 'bench',
          documents: [{ requirementId: 'cccd', documentId: 'bench-id', source: 'upload' }],
        },
        {
          dossierCode: code,
          dossierVersion: version,
          at: new Date(),
          caller: { kind: 'officer', id: 'bench' },
        },
      );
      done.set(event.id, new Map());
      await client.send(new PutCommand({ TableName: process.env.TABLE_DOSSIERS, Item: eventItem(event) }));
      committed.set(event.id, performance.now());
      // As on the stack, where the function pool wakes the consumers when the invocation that wrote it ends.
      poller.wake();
      return event.id;
    };
    const latencies = (ids: string[], consumer?: string) =>
      ids.map((id) => {
        const times = [...done.get(id)!.entries()]
          .filter(([c]) => !consumer || c === consumer)
          .map(([, t]) => t);
        return Math.max(...times) - committed.get(id)!;
      });

    // One at a time, with a pause so each event meets an idle poller (the latency a user's action sees).
    const single: string[] = [];
    for (let i = 0; i < options.samples; i += 1) {
      single.push(await commit());
      await poller.settled();
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 100));
    }
    // A burst, 8 commits in flight: batches form, and the audit chain's appends queue behind one another.
    const burst: string[] = [];
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next++ < options.burst) burst.push(await commit());
      }),
    );
    await poller.settled();
    const burstSeconds = (performance.now() - started) / 1000;
    const rows = [
      row('one at a time: audit log', latencies(single, 'audit-log')),
      row('one at a time: personal store feed', latencies(single, 'personal-store-feed')),
      row('one at a time: both consumers done', latencies(single)),
      row(`burst of ${options.burst}, 8 in flight: audit log`, latencies(burst, 'audit-log')),
      row(
        `burst of ${options.burst}, 8 in flight: personal store feed`,
        latencies(burst, 'personal-store-feed'),
      ),
    ];

    // Verification: a chain of `verifyEntries` entries written straight into a fresh audit table.
    const names = localNames('bench-verify');
    await createTables(stack.clients.dynamodb, names);
    const auditTable = names.table('audit');
    let head: AuditEntry | undefined;
    const entries: AuditEntry[] = [];
    for (let i = 0; i < options.verifyEntries; i += 1) {
      head = linkEntry(
        {
          at: new Date(Date.UTC(2026, 10, 27, 2, 0, i)).toISOString(),
          who: { kind: 'officer', id: `sub-${i % 40}` },
          what: { action: 'DossierReceived', subject: `000.00.01.H26-261127-${String(i).padStart(4, '0')}` },
          result: { outcome: 'committed' },
          source: { kind: 'event', id: `event-${i}` },
          recordedAt: new Date(Date.UTC(2026, 10, 27, 2, 0, i, 300)).toISOString(),
        },
        head,
      );
      entries.push(head);
    }
    for (let i = 0; i < entries.length; i += 25) {
      const chunk = entries.slice(i, i + 25);
      await client.send(
        new BatchWriteCommand({
          RequestItems: {
            [auditTable]: chunk.map((entry) => ({
              PutRequest: { Item: { ...auditEntryKey(entry.seq), entity: 'audit-entry', entry } },
            })),
          },
        }),
      );
    }
    await client.send(
      new PutCommand({
        TableName: auditTable,
        Item: { pk: 'AUDIT#main', sk: 'HEAD', seq: head!.seq, hash: head!.hash, at: head!.recordedAt },
      }),
    );
    const runs: number[] = [];
    let verified = 0;
    for (let i = 0; i < 3; i += 1) {
      const t0 = performance.now();
      const result = await verifyAuditLog({ audit: dynamoAuditLog(client, auditTable) });
      runs.push(performance.now() - t0);
      if (!result.ok) throw new Error(`bench chain does not verify: ${result.problem.message}`);
      verified = result.count;
    }
    const verifyMs = median(runs);
    return {
      rows,
      burst: { events: options.burst, seconds: burstSeconds },
      verify: { entries: verified, ms: verifyMs, msPer10k: (verifyMs * 10_000) / verified },
    };
  } finally {
    await poller.stop();
    await stack.stop();
    rmSync(s3Dir, { recursive: true, force: true });
  }
}

export function eventsTables(result: Awaited<ReturnType<typeof eventsBench>>) {
  return [
    'Event committed → consumer done, on the embedded stack (DynamoDB Local stream, local poller woken as the write ends, as the function pool does)',
    table(
      ['path', 'samples', 'p50 ms', 'p95 ms', 'max ms'],
      result.rows.map((r) => [r.what, r.samples, r.p50.toFixed(1), r.p95.toFixed(1), r.max.toFixed(1)]),
    ),
    `burst: ${result.burst.events} events consumed by both in ${result.burst.seconds.toFixed(2)} s ` +
      `(${(result.burst.events / result.burst.seconds).toFixed(1)} events/s)`,
    '',
    'Audit chain verification (Query in seq order + SHA-256 per entry, median of 3)',
    table(
      ['entries', 'ms', 'ms per 10,000'],
      [[result.verify.entries, result.verify.ms.toFixed(0), result.verify.msPer10k.toFixed(0)]],
    ),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await eventsBench({
    samples: Number(process.env.BENCH_EVENTS ?? 40),
    burst: Number(process.env.BENCH_EVENT_BURST ?? 200),
    verifyEntries: Number(process.env.BENCH_AUDIT_ENTRIES ?? 10_000),
  });
  console.log(eventsTables(result));
}
