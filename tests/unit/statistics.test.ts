// The statistics: the fold of a dossier's events into counters, the consumer's once-only write, the rebuild's
// equality with the live counters, the Decision 766 index from them, and who may read what.
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../shared/domain/caller';
import { type DomainEvent, domainEvent, type EventName, type EventPayload } from '../../shared/domain/events';
import { serviceIndex } from '../../shared/domain/service-index';
import {
  CENTER,
  finishingClass,
  foldEvent,
  rowsOf,
  type StatsProfile,
  shardOf,
} from '../../shared/domain/statistics';
import {
  getBranchStats,
  getDailyStats,
  getProcedureStats,
  getServiceIndex,
  monthSplit,
  periodOf,
} from '../../shared/usecases/stats/read-statistics';
import {
  compareWithStore,
  countEvent,
  countEvents,
  foldStoredEvents,
} from '../../shared/usecases/stats/record-statistics';
import { memoryCatalogue } from './fakes/memory-catalogue';
import { memoryStatistics } from './fakes/memory-statistics';

const UNIT = '000.02.01.H26';
const OTHER = '000.01.01.H26';
const clock = () => new Date('2026-12-03T03:00:00.000Z');

/** The events of one dossier, versions counting up, each at a Vietnam-local day (10:00 local). */
function dossier(code: string, unit = UNIT, channel: 'online' | 'counter' = 'online') {
  let version = 0;
  const events: DomainEvent[] = [];
  const base = { unit, procedureCode: '1.004222', procedureVersion: 1, channel };
  const add = <N extends EventName>(
    name: N,
    day: string,
    payload: Partial<EventPayload<N>> = {},
    sameVersion = false,
  ) => {
    if (!sameVersion) version += 1;
    events.push(
      domainEvent(name, payload as EventPayload<N>, {
        dossierCode: code,
        dossierVersion: version,
        at: new Date(`${day}T03:00:00.000Z`),
        caller: { kind: 'citizen', id: 'sub-1' },
      }),
    );
    return api;
  };
  const api = {
    events,
    filed: (day: string) => add('DossierFiled', day, { ...base, status: 'SUBMITTED', documents: [] }),
    received: (
      day: string,
      due: string,
      extra: { feeVnd?: number; documents?: number; reused?: number } = {},
    ) =>
      add('DossierReceived', day, {
        ...base,
        appointmentDay: due,
        applicantKey: 'k',
        feeVnd: extra.feeVnd ?? 0,
        documents: [
          ...Array.from({ length: extra.documents ?? 1 }, (_, i) => ({
            requirementId: `r${i}`,
            documentId: `d${i}`,
            source: 'upload' as const,
          })),
          ...Array.from({ length: extra.reused ?? 0 }, (_, i) => ({
            requirementId: `p${i}`,
            documentId: `s${i}`,
            source: 'personal-store' as const,
          })),
        ],
      }),
    supplementRequested: (day: string) =>
      add('DossierSupplementRequested', day, { items: [{ name: 'x', reason: 'y' }] }),
    supplemented: (day: string, due: string) =>
      add('DossierSupplemented', day, {
        documents: [],
        appointmentDay: due,
        appointmentDayChanged: true,
        applicantKey: 'k',
        received: true,
      }),
    overdue: (day: string, newDue: string) =>
      add('DossierOverdue', day, {
        unit,
        procedureCode: '1.004222',
        stepId: 's',
        agency: 'a',
        previousAppointmentDay: day,
        newAppointmentDay: newDue,
      }),
    paid: (day: string, outstandingVnd = 0) =>
      add('DossierPaid', day, {
        unit,
        procedureCode: '1.004222',
        channel,
        paymentId: `p-${version}`,
        provider: 'vnpay',
        amountVnd: 10_000,
        outstandingVnd,
        refundDueVnd: 0,
        settledBy: 'callback',
      }),
    ready: (day: string, documents = 1) =>
      add('DossierResultReady', day, { unit, procedureCode: '1.004222', documents }),
    rejected: (day: string) => add('DossierRejected', day, { reason: 'no', agency: 'a' }),
    withdrawn: (day: string) => add('DossierWithdrawn', day, { reason: 'changed my mind' }),
    refused: (day: string) => add('DossierRefused', day, { reason: 'incomplete' }),
    returned: (day: string) =>
      add('DossierReturned', day, { unit, procedureCode: '1.004222', method: 'electronic' }),
    rated: (day: string, score: number) =>
      add('DossierRated', day, { unit, procedureCode: '1.004222', score, hasComment: false }),
    /** A counter intake: filing and receipt in one transaction, so one version. */
    intake: (day: string, due: string) => {
      add('DossierFiled', day, { ...base, status: 'RECEIVED', documents: [] });
      return add(
        'DossierReceived',
        day,
        { ...base, appointmentDay: due, applicantKey: 'k', feeVnd: 0, documents: [] },
        true,
      );
    },
  };
  return api;
}

function fold(events: DomainEvent[]) {
  let profile: StatsProfile | undefined;
  const counters: Record<string, number> = {};
  for (const e of events) {
    const r = foldEvent(profile, e);
    profile = r.profile;
    for (const [k, v] of Object.entries(r.increment?.counters ?? {})) counters[k] = (counters[k] ?? 0) + v;
  }
  return { profile, counters };
}

describe('the fold of a dossier', () => {
  it('counts an online filing at receipt: verified, digitized, reused inputs, fee-bearing', () => {
    const d = dossier('A-1').filed('2026-12-01').received('2026-12-01', '2026-12-08', {
      feeVnd: 10_000,
      documents: 2,
      reused: 1,
    });
    expect(fold(d.events).counters).toEqual({
      received: 1,
      verifiedFilings: 1,
      digitizedInputs: 1,
      inputDocuments: 3,
      reusedInputs: 1,
      feeBearing: 1,
    });
  });

  it('folds a counter intake the same whichever of its two events comes first', () => {
    const d = dossier('A-2', UNIT, 'counter').intake('2026-12-01', '2026-12-05');
    const forward = fold(d.events);
    const backward = fold([...d.events].reverse());
    expect(backward).toEqual(forward);
    expect(forward.counters).toEqual({ received: 1 });
    expect(forward.profile?.channel).toBe('counter');
  });

  it('splits finished dossiers by their due day: early, on time, late', () => {
    const profile = { dueDay: '2026-12-08', supplementRequests: 0 };
    expect(finishingClass(profile, '2026-12-07')).toBe('finishedEarly');
    expect(finishingClass(profile, '2026-12-08')).toBe('finishedOnTime');
    expect(finishingClass(profile, '2026-12-09')).toBe('finishedLate');
    expect(finishingClass({ ...profile, supplementRequests: 2 }, '2026-12-01')).toBe('finishedLate');
  });

  it('moves the due day with a supplement, never with an apology; two requests make it late', () => {
    const supplemented = dossier('A-3')
      .filed('2026-12-01')
      .received('2026-12-01', '2026-12-04')
      .supplementRequested('2026-12-02')
      .supplemented('2026-12-03', '2026-12-10')
      .ready('2026-12-09');
    expect(fold(supplemented.events).counters).toMatchObject({
      finished: 1,
      finishedEarly: 1,
      supplementRequests: 1,
    });

    const apologized = dossier('A-4')
      .filed('2026-12-01')
      .received('2026-12-01', '2026-12-04')
      .overdue('2026-12-05', '2026-12-10')
      .ready('2026-12-09');
    expect(fold(apologized.events).counters).toMatchObject({ finished: 1, finishedLate: 1 });

    const twice = dossier('A-5')
      .filed('2026-12-01')
      .received('2026-12-01', '2026-12-20')
      .supplementRequested('2026-12-02')
      .supplemented('2026-12-03', '2026-12-21')
      .supplementRequested('2026-12-04')
      .supplementRequested('2026-12-05')
      .ready('2026-12-06');
    expect(fold(twice.events).counters).toMatchObject({
      supplementRequests: 3,
      multiSupplementDossiers: 1,
      finishedLate: 1,
    });
  });

  it('counts a dossier paid online once, when nothing is left to pay', () => {
    const d = dossier('A-6')
      .filed('2026-12-01')
      .received('2026-12-01', '2026-12-08', { feeVnd: 20_000 })
      .paid('2026-12-01', 10_000)
      .paid('2026-12-02')
      .paid('2026-12-02');
    expect(fold(d.events).counters).toMatchObject({ feeBearing: 1, paidOnline: 1 });
  });

  it('counts rejections as finished without a digitized result, ratings with their dissatisfied share', () => {
    const d = dossier('A-7').filed('2026-12-01').received('2026-12-01', '2026-12-08').rejected('2026-12-02');
    expect(fold(d.events).counters).toMatchObject({ finished: 1, rejected: 1, finishedEarly: 1 });
    expect(fold(d.events).counters.digitizedResults).toBeUndefined();
    const r = dossier('A-8')
      .filed('2026-12-01')
      .received('2026-12-01', '2026-12-08')
      .ready('2026-12-02')
      .returned('2026-12-02')
      .rated('2026-12-02', 2);
    expect(fold(r.events).counters).toMatchObject({
      digitizedResults: 1,
      returned: 1,
      ratings: 1,
      ratingScoreSum: 2,
      ratingsDissatisfied: 1,
    });
  });

  it('ignores the events of a dossier filed before the statistics began', () => {
    const d = dossier('A-9').filed('2026-12-01').received('2026-12-01', '2026-12-08').ready('2026-12-02');
    expect(foldEvent(undefined, d.events[2]!)).toEqual({ profile: undefined });
  });

  it('adds each increment to the detail, the unit day, the center day and the center rows of the unit (day and month)', () => {
    const d = dossier('A-10').filed('2026-12-01').received('2026-12-01', '2026-12-08');
    const { increment } = foldEvent(foldEvent(undefined, d.events[0]!).profile, d.events[1]!);
    const rows = rowsOf('A-10', increment!);
    expect(rows.map((r) => [r.unit, r.procedureCode, r.branch])).toEqual([
      [UNIT, '1.004222', undefined],
      [UNIT, undefined, undefined],
      [CENTER, undefined, undefined],
      [CENTER, undefined, UNIT],
      [CENTER, undefined, UNIT],
    ]);
    expect(rows.map((r) => r.day)).toEqual([
      '2026-12-01',
      '2026-12-01',
      '2026-12-01',
      '2026-12-01',
      '2026-12',
    ]);
    expect(new Set(rows.map((r) => r.shard))).toEqual(new Set([shardOf('A-10')]));
  });
});

/** A small mixed day: the same events the consumer takes one by one and the rebuild folds at once. */
function mixedEvents() {
  const list = [
    dossier('B-1')
      .filed('2026-12-01')
      .received('2026-12-01', '2026-12-04', { feeVnd: 10_000 })
      .paid('2026-12-01')
      .ready('2026-12-03')
      .returned('2026-12-03')
      .rated('2026-12-03', 5),
    dossier('B-2', UNIT, 'counter').intake('2026-12-01', '2026-12-02').ready('2026-12-04', 0),
    dossier('B-3', OTHER)
      .filed('2026-12-01')
      .received('2026-12-02', '2026-12-05')
      .supplementRequested('2026-12-02')
      .withdrawn('2026-12-03'),
    dossier('B-4', OTHER).filed('2026-12-02').refused('2026-12-02'),
    dossier('B-5').filed('2026-12-02').received('2026-12-02', '2026-12-09').rejected('2026-12-03'),
  ];
  // Interleaved across dossiers, each dossier's own order kept, as shards deliver them.
  const out: DomainEvent[] = [];
  for (let i = 0; list.some((d) => i < d.events.length); i++) {
    for (const d of list) if (d.events[i]) out.push(d.events[i]!);
  }
  return out;
}

describe('the statistics consumer', () => {
  it('counts an event once however often it is delivered', async () => {
    const stats = memoryStatistics();
    const d = dossier('C-1').filed('2026-12-01').received('2026-12-01', '2026-12-08');
    expect(await countEvent(d.events[0]!, { stats, clock })).toBe('applied');
    expect(await countEvent(d.events[1]!, { stats, clock })).toBe('applied');
    expect(await countEvent(d.events[1]!, { stats, clock })).toBe('duplicate');
    const rows = await stats.rows(UNIT, '2026-12-01', '2026-12-01', 'day');
    expect(rows.map((r) => r.counters.received)).toEqual([1]);
  });

  it('writes nothing for an event that counts nothing and changes no profile', async () => {
    const stats = memoryStatistics();
    const d = dossier('C-2')
      .filed('2026-12-01')
      .received('2026-12-01', '2026-12-08')
      .overdue('2026-12-09', '2026-12-10');
    for (const e of d.events.slice(0, 2)) await countEvent(e, { stats, clock });
    expect(await countEvent(d.events[2]!, { stats, clock })).toBe('ignored');
  });

  it('gives the counters the rebuild gives from the stored events', async () => {
    const stats = memoryStatistics();
    const events = mixedEvents();
    for (const e of events) await countEvent(e, { stats, clock });
    const rebuilt = foldStoredEvents([...events].reverse());
    expect(await compareWithStore(rebuilt.rows, stats)).toEqual([]);
    expect(rebuilt.profiles).toHaveLength(5);

    // One counter altered in the store is a difference the comparison names.
    const [first] = await stats.rows(CENTER, '2026-12-01', '2026-12-01', 'day');
    await stats.overwrite([{ row: first!.row, counters: { ...first!.counters, received: 99 } }], []);
    const differences = await compareWithStore(rebuilt.rows, stats);
    expect(differences).toHaveLength(1);
    expect(differences[0]).toMatchObject({ counter: 'received', stored: 99 });
  });
});

describe('the statistics consumer, a stream batch at once', () => {
  /** Deterministic batch sizes 1–9 from a seed, so a failure names the split that gave it. */
  function batches<T>(list: T[], seed: number): T[][] {
    const out: T[][] = [];
    let state = seed;
    for (let i = 0; i < list.length; ) {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      const size = 1 + (state % 9);
      out.push(list.slice(i, i + size));
      i += size;
    }
    return out;
  }

  it('gives the counters and profiles that counting each event alone gives, whatever the batches and redeliveries', async () => {
    const events = mixedEvents();
    const rebuilt = foldStoredEvents(events);
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const stats = memoryStatistics();
      const split = batches(events, seed);
      for (const [i, batch] of split.entries()) {
        await countEvents(batch, { stats, clock });
        // Every third batch is delivered again, with the one before it.
        if (i % 3 === 2) await countEvents([...split[i - 1]!, ...batch], { stats, clock });
      }
      expect(await compareWithStore(rebuilt.rows, stats), `seed ${seed}`).toEqual([]);
      for (const profile of rebuilt.profiles)
        expect((await stats.profile(profile.code))?.profile, `seed ${seed}`).toEqual(profile);
    }
  });

  it('reads once and writes once per dossier of the batch, and tallies each event', async () => {
    const stats = memoryStatistics();
    const a = dossier('D-1').filed('2026-12-01').received('2026-12-01', '2026-12-08');
    const b = dossier('D-2')
      .filed('2026-12-01')
      .received('2026-12-01', '2026-12-08')
      .overdue('2026-12-09', '2026-12-10');
    const batch = [a.events[0]!, b.events[0]!, a.events[1]!, b.events[1]!, b.events[2]!];
    expect(await countEvents(batch, { stats, clock })).toEqual({ applied: 4, duplicate: 0, ignored: 1 });
    expect(stats.calls()).toEqual({ reads: 1, applies: 2 });
    expect(await countEvents(batch, { stats, clock })).toEqual({ applied: 0, duplicate: 4, ignored: 1 });
    expect(stats.calls()).toEqual({ reads: 2, applies: 2 });
    // The two dossiers' shards, summed.
    const rows = await stats.rows(UNIT, '2026-12-01', '2026-12-01', 'day');
    expect(rows.reduce((sum, r) => sum + (r.counters.received ?? 0), 0)).toBe(2);
  });

  it('counts a dossier event by event when another write moved its profile meanwhile', async () => {
    const stats = memoryStatistics();
    const d = dossier('D-3').filed('2026-12-01').received('2026-12-01', '2026-12-08').ready('2026-12-03');
    await countEvents([d.events[0]!], { stats, clock });
    // Another delivery counts the receipt between this batch's read and its write.
    stats.beforeApply.push(async () => {
      await countEvent(d.events[1]!, { stats, clock });
    });
    expect(await countEvents(d.events.slice(1), { stats, clock })).toEqual({
      applied: 1,
      duplicate: 1,
      ignored: 0,
    });
    const rebuilt = foldStoredEvents(d.events);
    expect(await compareWithStore(rebuilt.rows, stats)).toEqual([]);
  });
});

describe('the service index', () => {
  it('scores progress, online service and online payment from their inputs', () => {
    const index = serviceIndex({
      received: 10,
      verifiedFilings: 4,
      finished: 8,
      finishedEarly: 2,
      finishedOnTime: 4,
      finishedLate: 2,
      feeBearing: 4,
      paidOnline: 3,
    });
    const group = (id: string) => index.groups.find((g) => g.id === id)!;
    expect(group('progress').points).toBe(15);
    expect(group('online').points).toBe(9.6);
    expect(group('payment').points).toBe(4.5);
    expect(group('payment').measuredMaxPoints).toBe(6);
    expect(index.points).toBe(29.1);
    expect(index.measuredMaxPoints).toBe(38);
  });

  it('gives full online marks at 50% and shows unweighted rates without points', () => {
    const index = serviceIndex({ received: 10, verifiedFilings: 6, digitizedInputs: 9, finished: 0 });
    expect(index.groups.find((g) => g.id === 'online')!.points).toBe(12);
    const digitization = index.groups.find((g) => g.id === 'digitization')!;
    expect(digitization.indicators[0]).toMatchObject({ measured: true, rate: 0.9 });
    expect(digitization.points).toBeUndefined();
    expect(index.groups.find((g) => g.id === 'publicity')!.indicators[0]!.measured).toBe(false);
  });

  it('scores nothing it has no inputs for', () => {
    const index = serviceIndex({});
    expect(index.points).toBe(0);
    expect(index.groups.every((g) => g.points === undefined)).toBe(true);
  });
});

const staff = (roles: ('officer' | 'supervisor' | 'admin')[], branch?: string): Caller => ({
  kind: 'staff',
  sub: 's',
  name: 'n',
  roles,
  ...(branch ? { branch } : {}),
});

describe('reading the statistics', () => {
  async function seeded() {
    const stats = memoryStatistics();
    for (const e of mixedEvents()) await countEvent(e, { stats, clock });
    const catalogue = memoryCatalogue().repository;
    await catalogue.putBranches([
      { code: UNIT, name: { vi: 'Ba Đình', en: 'Ba Dinh' }, address: 'a', communes: [] },
      { code: OTHER, name: { vi: 'Hoàn Kiếm', en: 'Hoan Kiem' }, address: 'b', communes: [] },
      { code: '000.03.01.H26', name: { vi: 'Tây Hồ', en: 'Tay Ho' }, address: 'c', communes: [] },
    ]);
    return { stats, catalogue, clock };
  }

  it('defaults to the 30 days up to today and refuses more than 366', () => {
    expect(periodOf({}, clock())).toEqual({ from: '2026-11-04', to: '2026-12-03' });
    expect(() => periodOf({ from: '2025-01-01', to: '2026-01-02' }, clock())).toThrow(
      expect.objectContaining({ code: 'STATS_PERIOD_TOO_LONG', status: 422 }),
    );
  });

  it("computes the center's and a branch's index from the same counters", async () => {
    const deps = await seeded();
    const center = await getServiceIndex({ from: '2026-12-01', to: '2026-12-04' }, deps);
    expect(center.counters).toMatchObject({
      received: 4,
      refused: 1,
      withdrawn: 1,
      finished: 3,
      rejected: 1,
    });
    const branch = await getServiceIndex({ unit: UNIT, from: '2026-12-01', to: '2026-12-04' }, deps);
    expect(branch.counters).toMatchObject({ received: 3, finished: 3, finishedLate: 1, paidOnline: 1 });
    expect(branch.unit).toBe(UNIT);
  });

  it('draws every day of the period, empty ones too', async () => {
    const deps = await seeded();
    const daily = await getDailyStats({ from: '2026-11-30', to: '2026-12-04' }, deps);
    expect(daily.days.map((d) => [d.day, d.counters.received, d.online])).toEqual([
      ['2026-11-30', 0, 0],
      ['2026-12-01', 2, 1],
      ['2026-12-02', 2, 2],
      ['2026-12-03', 0, 0],
      ['2026-12-04', 0, 0],
    ]);
  });

  it('lists every branch of the catalogue with its on-time rate', async () => {
    const deps = await seeded();
    const { branches } = await getBranchStats({ from: '2026-12-01', to: '2026-12-04' }, deps);
    expect(branches.map((b) => [b.unit, b.counters.received, b.onTimeRate])).toEqual([
      [OTHER, 1, undefined],
      [UNIT, 3, 0.6667],
      ['000.03.01.H26', 0, undefined],
    ]);
  });

  it('compares branches over whole months from their month rows, and the days around them from day rows', async () => {
    expect(monthSplit({ from: '2026-11-15', to: '2027-01-10' })).toEqual({
      days: [
        { from: '2026-11-15', to: '2026-11-30' },
        { from: '2027-01-01', to: '2027-01-10' },
      ],
      months: { from: '2026-12', to: '2026-12' },
    });
    expect(monthSplit({ from: '2026-12-01', to: '2026-12-31' })).toEqual({
      days: [],
      months: { from: '2026-12', to: '2026-12' },
    });
    expect(monthSplit({ from: '2026-12-02', to: '2026-12-30' })).toEqual({
      days: [{ from: '2026-12-02', to: '2026-12-30' }],
    });
    const deps = await seeded();
    const wide = await getBranchStats({ from: '2026-11-15', to: '2027-01-10' }, deps);
    const narrow = await getBranchStats({ from: '2026-12-01', to: '2026-12-04' }, deps);
    expect(wide.branches.map((b) => b.counters)).toEqual(narrow.branches.map((b) => b.counters));
    expect(wide.branches.find((b) => b.unit === UNIT)!.counters.received).toBe(3);
  });

  it("gives a unit's procedures to its staff and the center, and refuses everyone else", async () => {
    const deps = await seeded();
    const period = { from: '2026-12-01', to: '2026-12-04' };
    const own = await getProcedureStats({ unit: UNIT, ...period, caller: staff(['officer'], UNIT) }, deps);
    expect(own.procedures.map((p) => [p.procedureCode, p.channel, p.counters.received])).toEqual([
      ['1.004222', 'online', 2],
      ['1.004222', 'counter', 1],
    ]);
    const center = await getProcedureStats({ unit: OTHER, ...period, caller: staff(['supervisor']) }, deps);
    expect(center.procedures[0]!.counters.received).toBe(1);
    await expect(
      getProcedureStats({ unit: OTHER, ...period, caller: staff(['supervisor'], UNIT) }, deps),
    ).rejects.toMatchObject({ code: 'OUT_OF_SCOPE', status: 403 });
    await expect(
      getProcedureStats({ unit: UNIT, ...period, caller: { kind: 'citizen', sub: 'c', name: 'x' } }, deps),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
    await expect(
      getProcedureStats({ unit: UNIT, ...period, caller: staff(['officer']) }, deps),
    ).rejects.toMatchObject({
      status: 403,
    });
  });
});
