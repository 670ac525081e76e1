// The statistics on the embedded stack: the consumer's throughput and lag for a Hanoi day's events (committed to
// DynamoDB Local, consumed through the local stream poller as `npm start` runs it), and the read latency of the index,
// the daily trend and the branch comparison over a year of counters. `npm run bench:stats`.
// BENCH_STATS_DOSSIERS (default 1,000) sets the day's dossiers, BENCH_STATS_BRANCHES (30) the year's branches.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startStack } from '../local/stack';
import { startStreamConsumers } from '../local/stream-poller';
import { dynamoDocumentClient } from '../shared/adapters/aws';
import { catalogueRepository } from '../shared/adapters/deps';
import { dynamoStatistics } from '../shared/adapters/dynamo/statistics';
import { dayString, localParts } from '../shared/domain/calendar-core';
import { type DomainEvent, domainEvent } from '../shared/domain/events';
import { CENTER, type Counters, STAT_SHARDS } from '../shared/domain/statistics';
import { consumer } from '../shared/events/consumers';
import type { StoredRow } from '../shared/ports/statistics';
import { getBranchStats, getDailyStats, getServiceIndex } from '../shared/usecases/stats/read-statistics';
import { median, table } from './stats';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

const eventItem = (event: DomainEvent) => ({
  pk: `DOSSIER#${event.dossierCode}`,
  sk: `EVENT#${String(event.dossierVersion).padStart(6, '0')}#${event.name}`,
  entity: 'event',
  event,
});

/** One dossier's day: filed, received, (a supplement for one in ten), paid, finished, returned, rated for one in three. */
function lifecycle(i: number, units: string[], day: string): DomainEvent[] {
  const code = `${units[i % units.length]}-${day.slice(2).replaceAll('-', '')}-${String(i).padStart(4, '0')}`;
  const unit = units[i % units.length]!;
  const channel = i % 3 === 0 ? 'counter' : 'online';
  let version = 0;
  const at = new Date(`${day}T02:00:00.000Z`);
  const event = <N extends Parameters<typeof domainEvent>[0]>(
    name: N,
    payload: Parameters<typeof domainEvent<N>>[1],
  ) =>
    domainEvent(name, payload, {
      dossierCode: code,
      dossierVersion: ++version,
      at,
      caller: { kind: 'officer', id: 'bench' },
    });
  const base = {
    unit,
    procedureCode: i % 2 ? '1.004222' : '1.001193',
    procedureVersion: 1,
    channel,
  } as const;
  const events: DomainEvent[] = [
    event('DossierFiled', { ...base, status: 'SUBMITTED', documents: [] }),
    event('DossierReceived', {
      ...base,
      appointmentDay: day,
      applicantKey: 'bench',
      feeVnd: i % 2 ? 10_000 : 0,
      documents: [{ requirementId: 'r', documentId: `d${i}`, source: 'upload' }],
    }),
  ];
  if (i % 10 === 0) events.push(event('DossierSupplementRequested', { items: [{ name: 'x', reason: 'y' }] }));
  if (i % 2) {
    events.push(
      event('DossierPaid', {
        unit,
        procedureCode: base.procedureCode,
        channel,
        paymentId: `p${i}`,
        provider: 'vnpay',
        amountVnd: 10_000,
        outstandingVnd: 0,
        refundDueVnd: 0,
        settledBy: 'callback',
      }),
    );
  }
  events.push(event('DossierResultReady', { unit, procedureCode: base.procedureCode, documents: 1 }));
  events.push(event('DossierReturned', { unit, procedureCode: base.procedureCode, method: 'electronic' }));
  if (i % 3 === 0) {
    events.push(
      event('DossierRated', { unit, procedureCode: base.procedureCode, score: 4, hasComment: false }),
    );
  }
  return events;
}

async function batchPut(tableName: string, items: Record<string, unknown>[]) {
  const client = dynamoDocumentClient();
  for (let i = 0; i < items.length; i += 25) {
    let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (pending.length) {
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (out.UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
  }
}

export async function statisticsBench(options: { dossiers: number; branches: number; samples: number }) {
  process.env.LOG_LEVEL = 'silent';
  const s3Dir = mkdtempSync(join(tmpdir(), 'motcua-bench-stats-'));
  const stack = await startStack({
    ports: { gateway: 0, dynamodb: 0, s3: 0 },
    s3Dir,
    prefix: `bench-stats-${Date.now().toString(36)}`,
    consumers: false,
  });
  const tableName = process.env.TABLE_DOSSIERS!;
  const done = new Map<string, number>();
  const poller = await startStreamConsumers({
    dynamodb: stack.urls.dynamodb,
    tableName,
    consumers: [consumer('statistics')],
    onBatch: (report) => {
      if (report.outcome !== 'ok') return;
      const now = performance.now();
      for (const record of report.records) {
        const id = record.dynamodb?.NewImage?.event?.M?.id?.S;
        if (id) done.set(id, now);
      }
    },
  });
  try {
    // Consumer: a day's events, each dossier's in order, committed 8 dossiers at a time.
    const branches = (await catalogueRepository().branches({ limit: 100 })).items.map((b) => b.code);
    const today = dayString(localParts(new Date()).day);
    const dossiers = Array.from({ length: options.dossiers }, (_, i) => lifecycle(i, branches, today));
    const events = dossiers.reduce((n, d) => n + d.length, 0);
    const committed = new Map<string, number>();
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < dossiers.length) {
          for (const event of dossiers[next++]!) {
            await batchPut(tableName, [eventItem(event)]);
            committed.set(event.id, performance.now());
          }
        }
      }),
    );
    const committedSeconds = (performance.now() - started) / 1000;
    await poller.settled();
    const consumedSeconds = (Math.max(...done.values()) - started) / 1000;
    const lags = [...committed].map(([id, t]) => (done.get(id) ?? Number.NaN) - t);
    const stats = dynamoStatistics(dynamoDocumentClient(), tableName);
    const deps = { stats, catalogue: catalogueRepository(), clock: () => new Date() };
    const counted = await getServiceIndex({ from: today, to: today }, deps);

    // Reads: a year of counters for `branches` branches (every shard of every day, as a busy year leaves them).
    const yearEnd = localParts(new Date()).day - 1;
    const yearUnits = branches.slice(0, options.branches);
    while (yearUnits.length < options.branches)
      yearUnits.push(`999.${String(yearUnits.length).padStart(2, '0')}.01.H26`);
    const counters: Counters = {
      received: 11,
      verifiedFilings: 6,
      finished: 10,
      finishedEarly: 6,
      finishedOnTime: 3,
      finishedLate: 1,
    };
    const rows: StoredRow[] = [];
    for (let d = yearEnd - 364; d <= yearEnd; d++) {
      for (const unit of yearUnits) {
        for (let shard = 0; shard < STAT_SHARDS; shard++) {
          for (const channel of ['online', 'counter'] as const) {
            // What the reads below touch: the center's day rows, the center's rows by branch, one branch's days.
            const day = dayString(d);
            rows.push({ row: { unit: CENTER, shard, day, channel, branch: unit }, counters });
            if (day.endsWith('-01')) {
              rows.push({
                row: { unit: CENTER, shard, day: day.slice(0, 7), channel, branch: unit },
                counters,
              });
            }
            if (unit === yearUnits[0]) {
              rows.push({ row: { unit: CENTER, shard, day, channel }, counters });
              rows.push({ row: { unit, shard, day, channel }, counters });
            }
          }
        }
      }
    }
    const seedStarted = performance.now();
    await stats.overwrite(rows, []);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const year = { from: dayString(yearEnd - 364), to: dayString(yearEnd) };
    const month = { from: dayString(yearEnd - 29), to: dayString(yearEnd) };
    const time = async (run: () => Promise<unknown>) => {
      const runs: number[] = [];
      for (let i = 0; i < options.samples; i++) {
        const t0 = performance.now();
        await run();
        runs.push(performance.now() - t0);
      }
      return { p50: median(runs), p95: percentile(runs, 95) };
    };
    const reads = [
      { what: 'index, center, 30 days', ...(await time(() => getServiceIndex(month, deps))) },
      { what: 'index, center, a year', ...(await time(() => getServiceIndex(year, deps))) },
      {
        what: 'index, one branch, a year',
        ...(await time(() => getServiceIndex({ ...year, unit: yearUnits[0]! }, deps))),
      },
      { what: 'daily trend, center, a year', ...(await time(() => getDailyStats(year, deps))) },
      { what: 'branches compared, 30 days', ...(await time(() => getBranchStats(month, deps))) },
      { what: 'branches compared, a year', ...(await time(() => getBranchStats(year, deps))) },
    ];
    return {
      consumer: {
        dossiers: options.dossiers,
        events,
        committedSeconds,
        consumedSeconds,
        perSecond: events / consumedSeconds,
        lagP50: percentile(lags, 50),
        lagP95: percentile(lags, 95),
        countedReceived: counted.counters.received,
      },
      seed: { rows: rows.length, seconds: seedSeconds, units: yearUnits.length },
      samples: options.samples,
      reads,
    };
  } finally {
    await poller.stop();
    await stack.stop();
    rmSync(s3Dir, { recursive: true, force: true });
  }
}

export function statisticsTables(result: Awaited<ReturnType<typeof statisticsBench>>) {
  const c = result.consumer;
  // A Hanoi day: ~8,000 dossiers (the center's reported volume), ~6 events each, over a 9-hour working day.
  const hanoiEvents = 8_000 * (c.events / c.dossiers);
  return [
    `Statistics consumer on the embedded stack: ${c.dossiers} dossiers, ${c.events} events committed 8 dossiers in flight`,
    table(
      [
        'events',
        'committed in s',
        'consumed in s',
        'events/s',
        'lag p50 ms',
        'lag p95 ms',
        'received counted',
      ],
      [
        [
          c.events,
          c.committedSeconds.toFixed(1),
          c.consumedSeconds.toFixed(1),
          c.perSecond.toFixed(1),
          c.lagP50.toFixed(0),
          c.lagP95.toFixed(0),
          c.countedReceived ?? 0,
        ],
      ],
    ),
    `a Hanoi day (~${Math.round(hanoiEvents)} events) at this rate: ${(hanoiEvents / c.perSecond / 60).toFixed(1)} min of consumer time; ` +
      `arriving over 9 working hours (${(hanoiEvents / (9 * 3600)).toFixed(2)} events/s) it keeps up ${(c.perSecond / (hanoiEvents / (9 * 3600))).toFixed(0)}× over`,
    '',
    `Reads over a year of counters (${result.seed.rows} rows, ${result.seed.units} branches × ${STAT_SHARDS} shards × 2 channels, seeded in ${result.seed.seconds.toFixed(1)} s), ${result.samples} samples each`,
    table(
      ['read', 'p50 ms', 'p95 ms'],
      result.reads.map((r) => [r.what, r.p50.toFixed(1), r.p95.toFixed(1)]),
    ),
  ].join('\n');
}

const result = await statisticsBench({
  dossiers: Number(process.env.BENCH_STATS_DOSSIERS ?? 1_000),
  branches: Number(process.env.BENCH_STATS_BRANCHES ?? 30),
  samples: Number(process.env.BENCH_SAMPLES ?? 9),
});
console.log(statisticsTables(result));
