// The payment ledger (issue #9): the `payment-ledger` consumer enters each settled payment once under its branch and
// Vietnam-local day, and the daily report totals a branch's day per fee and channel, as JSON and as CSV. Over the
// in-memory fakes of the dossier repository and the ledger; the settlements are the domain's own (`settlePayment`).
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../shared/domain/caller';
import type { Dossier } from '../../shared/domain/dossier';
import {
  type LedgerEntry,
  ledgerDay,
  paidFeeItems,
  reportTotals,
  type SettlementEvent,
} from '../../shared/domain/ledger';
import { assessFees } from '../../shared/domain/payments';
import { settlePayment, startPayment } from '../../shared/domain/transitions';
import {
  BOM,
  csvField,
  localTime,
  paymentReportCsv,
  paymentReportFileName,
} from '../../shared/pages/payment-report-csv';
import { paymentReport, REPORT_PAGE_SIZE } from '../../shared/usecases/ledger/payment-report';
import { PAYMENT_LEDGER_CONSUMER, recordSettledPayment } from '../../shared/usecases/ledger/record-payment';
import { memoryIdempotency } from './fakes/memory-catalogue';
import { memoryDossiers } from './fakes/memory-dossiers';
import { memoryLedger } from './fakes/memory-ledger';
import { birthDossier } from './support/dossier';

const UNIT = '000.00.01.H26';
const OTHER_UNIT = '000.01.01.H26';
// 10:00 in Hanoi on 3 December 2026.
const NOW = new Date('2026-12-03T03:00:00.000Z');
const DAY = '2026-12-03';
const FEES = [
  {
    id: 'phi',
    name: { vi: 'Phí thẩm định', en: 'Appraisal fee' },
    amountVnd: 100_000,
    kind: 'fee',
    setBy: 'ministry',
  },
  {
    id: 'le-phi',
    name: { vi: 'Lệ phí cấp', en: 'Issue charge' },
    amountVnd: 50_000,
    kind: 'charge',
    setBy: 'ministry',
  },
] as const;
const TOTAL = 150_000;

const byCitizen = {
  actor: { kind: 'citizen', sub: 'sub-citizen-an', name: 'Nguyễn Văn An' } as const,
  caller: { kind: 'citizen', sub: 'sub-citizen-an', name: 'Nguyễn Văn An' } as Caller,
};
const byProvider = {
  actor: { kind: 'provider', provider: 'vnpay' } as const,
  caller: { kind: 'provider', provider: 'vnpay' } as Caller,
};
const officer = (branch = UNIT, roles: ('officer' | 'supervisor' | 'admin')[] = ['officer']): Caller => ({
  kind: 'staff',
  sub: `sub-${branch}`,
  name: 'Trần Thị Bình',
  roles,
  branch,
});

let sequence = 0;

/** A received dossier of the branch that owes both fees, filed on `channel`. */
function owing(channel: 'online' | 'counter' = 'online', unit = UNIT): Dossier {
  sequence += 1;
  return {
    ...birthDossier(`${unit}-261203-${String(sequence).padStart(4, '0')}`),
    unit,
    channel,
    fees: assessFees({ fees: [...FEES], feesDueWhen: 'before-processing' }, channel, NOW, {}),
  };
}

const checkout = (id: string, at: Date) => ({
  id,
  provider: 'vnpay',
  createdAt: at.toISOString(),
  expiresAt: new Date(at.getTime() + 15 * 60_000).toISOString(),
  redirectUrl: `https://pay.example/${id}`,
});

/** The provider's verdict on payment `id`, settled at `at`: the dossier after it and the event it wrote. */
function verdict(
  dossier: Dossier,
  id: string,
  at: Date,
  succeeded = true,
  settledBy: 'callback' | 'query' = 'callback',
) {
  const settled = settlePayment(dossier, byProvider, at, {
    paymentId: id,
    succeeded,
    providerTransactionNo: succeeded ? '14000001' : '0',
    responseCode: succeeded ? '00' : '24',
    transactionStatus: succeeded ? '00' : '02',
    settledBy,
  });
  return { dossier: settled.dossier, event: settled.events[0] as SettlementEvent };
}

/** Starts a payment of what is outstanding a minute before `at` and settles it at `at`. */
function settle(dossier: Dossier, at: Date, succeeded = true) {
  const id = `P261203${String(sequence).padStart(12, 'A')}`;
  const started = startPayment(dossier, byCitizen, new Date(at.getTime() - 60_000), checkout(id, at));
  return verdict(started.dossier, id, at, succeeded);
}

/**
 * Paid twice: payment A's checkout closed unheard, B paid the fees, then A's late verdict came (all of it due back).
 */
function paidTwice() {
  const base = owing();
  const a = startPayment(base, byCitizen, NOW, checkout('P261203AAAAAAAAAAAA', NOW));
  const later = new Date(NOW.getTime() + 16 * 60_000);
  const b = startPayment(a.dossier, byCitizen, later, checkout('P261203BBBBBBBBBBBB', later));
  const paidB = verdict(b.dossier, 'P261203BBBBBBBBBBBB', later);
  const paidA = verdict(
    paidB.dossier,
    'P261203AAAAAAAAAAAA',
    new Date(later.getTime() + 1000),
    true,
    'query',
  );
  return { paidB, paidA };
}

function setup() {
  const repository = memoryDossiers(memoryIdempotency());
  const memory = memoryLedger();
  const deps = {
    dossiers: repository.repository,
    ledger: memory.ledger,
    clock: () => new Date('2026-12-03T05:00:00.000Z'),
  };
  /** Stores the dossier as the settlement's transaction left it, then hands the event to the consumer. */
  const consume = (dossier: Dossier, event: SettlementEvent) => {
    repository.dossiers.set(dossier.code, structuredClone(dossier));
    return recordSettledPayment(event, deps);
  };
  return { deps, memory, repository, consume };
}

describe('the payment-ledger consumer', () => {
  it("enters a paid payment under its branch and day, with the provider's transaction and the fees it paid", async () => {
    const { memory, consume } = setup();
    const { dossier, event } = settle(owing(), NOW);
    expect((await consume(dossier, event)).outcome).toBe('recorded');
    expect(memory.entries()).toEqual([
      {
        paymentId: event.payload.paymentId,
        settledAt: NOW.toISOString(),
        day: DAY,
        unit: UNIT,
        dossierCode: dossier.code,
        procedureCode: '1.001193',
        channel: 'online',
        provider: 'vnpay',
        providerTransactionNo: '14000001',
        responseCode: '00',
        settledBy: 'callback',
        outcome: 'paid',
        amountVnd: TOTAL,
        appliedVnd: TOTAL,
        refundDueVnd: 0,
        feeItems: [
          { feeId: 'phi', name: FEES[0].name, amountVnd: 100_000 },
          { feeId: 'le-phi', name: FEES[1].name, amountVnd: 50_000 },
        ],
      },
    ]);
    expect([...memory.partitions.keys()]).toEqual([`LEDGER#${UNIT}#${DAY}`]);
    expect([...memory.partitions.get(`LEDGER#${UNIT}#${DAY}`)!.keys()]).toEqual([
      `${NOW.toISOString()}#${event.payload.paymentId}`,
    ]);
  });

  it('marks the event consumed in the same write', async () => {
    const { memory, consume } = setup();
    const { dossier, event } = settle(owing(), NOW);
    await consume(dossier, event);
    expect([...memory.marks.keys()]).toEqual([`CONSUMED#${PAYMENT_LEDGER_CONSUMER}#${event.id}`]);
  });

  it('writes nothing for a redelivered event', async () => {
    const { memory, consume } = setup();
    const { dossier, event } = settle(owing(), NOW);
    await consume(dossier, event);
    expect((await consume(dossier, event)).outcome).toBe('duplicate');
    expect(memory.entries()).toHaveLength(1);
    expect(memory.marks.size).toBe(1);
  });

  it('enters a settlement once even after its mark has expired: the entry is keyed by the settlement', async () => {
    const { memory, consume } = setup();
    const { dossier, event } = settle(owing(), NOW);
    await consume(dossier, event);
    memory.marks.clear();
    expect((await consume(dossier, event)).outcome).toBe('duplicate');
    expect(memory.entries()).toHaveLength(1);
  });

  it('computes the same entry on a redelivery after the dossier moved on (paid again since)', async () => {
    const { deps, memory, consume } = setup();
    const { paidB, paidA } = paidTwice();
    await consume(paidB.dossier, paidB.event);
    const first = memory.entries()[0];
    // The dossier now holds A's late payment too (refund due); B's event still computes B's entry.
    await consume(paidA.dossier, paidA.event);
    const replayed = await recordSettledPayment(paidB.event, deps);
    expect(replayed).toEqual({ outcome: 'duplicate', entry: first });
    expect(first?.feeItems.map((i) => i.amountVnd)).toEqual([100_000, 50_000]);
  });

  it('files a settlement at 23:59:59.999 Hanoi time under that day, and one at midnight under the next', async () => {
    const { memory, consume } = setup();
    const beforeMidnight = settle(owing(), new Date('2026-12-03T16:59:59.999Z'));
    const atMidnight = settle(owing(), new Date('2026-12-03T17:00:00.000Z'));
    await consume(beforeMidnight.dossier, beforeMidnight.event);
    await consume(atMidnight.dossier, atMidnight.event);
    expect(memory.entries().map((e) => [e.day, e.settledAt])).toEqual([
      ['2026-12-03', '2026-12-03T16:59:59.999Z'],
      ['2026-12-04', '2026-12-03T17:00:00.000Z'],
    ]);
    expect([...memory.partitions.keys()]).toEqual([`LEDGER#${UNIT}#2026-12-03`, `LEDGER#${UNIT}#2026-12-04`]);
  });

  it('enters a failed payment as failed: nothing applied, nothing due back, no fee paid', async () => {
    const { memory, consume } = setup();
    const { dossier, event } = settle(owing(), NOW, false);
    expect(event.name).toBe('DossierPaymentFailed');
    await consume(dossier, event);
    expect(memory.entries()).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        responseCode: '24',
        amountVnd: TOTAL,
        appliedVnd: 0,
        refundDueVnd: 0,
        feeItems: [],
      }),
    ]);
  });

  it('enters money the dossier did not owe as refund-due, paying no fee', async () => {
    const { memory, consume } = setup();
    const { paidB, paidA } = paidTwice();
    await consume(paidB.dossier, paidB.event);
    await consume(paidA.dossier, paidA.event);
    expect(memory.entries().find((e) => e.paymentId === 'P261203AAAAAAAAAAAA')).toMatchObject({
      outcome: 'paid',
      amountVnd: TOTAL,
      appliedVnd: 0,
      refundDueVnd: TOTAL,
      settledBy: 'query',
      feeItems: [],
    });
  });

  it('fails on an event whose dossier is missing, so the stream retries and dead-letters it', async () => {
    const { deps, memory } = setup();
    const { event } = settle(owing(), NOW);
    await expect(recordSettledPayment(event, deps)).rejects.toThrow(/missing/);
    expect(memory.entries()).toEqual([]);
  });

  it('fails on an event whose payment the dossier does not list', async () => {
    const { consume } = setup();
    const { dossier, event } = settle(owing(), NOW);
    await expect(consume({ ...dossier, fees: { ...dossier.fees!, payments: [] } }, event)).rejects.toThrow(
      /not on/,
    );
  });
});

describe('the ledger rules', () => {
  it('puts local midnight (UTC+7) between two days', () => {
    expect(ledgerDay('2026-12-31T16:59:59.999Z')).toBe('2026-12-31');
    expect(ledgerDay('2026-12-31T17:00:00.000Z')).toBe('2027-01-01');
  });

  it('gives each fee its overlap with the slice a payment paid, in the fees’ order', () => {
    const items = assessFees({ fees: [...FEES] }, 'online', NOW, {}).items;
    expect(paidFeeItems(items, 80_000, 70_000)).toEqual([
      { feeId: 'phi', name: FEES[0].name, amountVnd: 20_000 },
      { feeId: 'le-phi', name: FEES[1].name, amountVnd: 50_000 },
    ]);
    expect(paidFeeItems(items, 0, 100_000).map((i) => i.feeId)).toEqual(['phi']);
    expect(paidFeeItems(items, TOTAL, 0)).toEqual([]);
  });
});

/** Records settled payments straight into the ledger fake, as the consumer would. */
async function ledgerWith(...settled: { dossier: Dossier; event: SettlementEvent }[]) {
  const context = setup();
  for (const { dossier, event } of settled) await context.consume(dossier, event);
  return context;
}

describe('paymentReport', () => {
  it('totals a day per fee and per channel, and counts failed payments apart', async () => {
    const online = settle(owing('online'), new Date('2026-12-03T01:00:00.000Z'));
    const counter = settle(owing('counter'), new Date('2026-12-03T02:00:00.000Z'));
    const declined = settle(owing('online'), new Date('2026-12-03T03:00:00.000Z'), false);
    const { deps } = await ledgerWith(online, counter, declined);
    const report = await paymentReport({ unit: UNIT, day: DAY, caller: officer() }, deps);
    expect(report.payments.map((p) => [p.dossierCode, p.outcome])).toEqual([
      [online.dossier.code, 'paid'],
      [counter.dossier.code, 'paid'],
      [declined.dossier.code, 'failed'],
    ]);
    expect(report.totals).toEqual({
      paidCount: 2,
      paidVnd: 2 * TOTAL,
      failedCount: 1,
      refundDueVnd: 0,
      byFee: [
        { procedureCode: '1.001193', feeId: 'le-phi', name: FEES[1].name, count: 2, amountVnd: 100_000 },
        { procedureCode: '1.001193', feeId: 'phi', name: FEES[0].name, count: 2, amountVnd: 200_000 },
      ],
      byChannel: [
        { channel: 'counter', count: 1, amountVnd: TOTAL },
        { channel: 'online', count: 1, amountVnd: TOTAL },
      ],
    });
  });

  it('counts what the dossiers did not owe as refund-due, and leaves it out of the fee totals', async () => {
    const { paidB, paidA } = paidTwice();
    const { deps } = await ledgerWith(paidB, paidA);
    const { totals } = await paymentReport({ unit: UNIT, day: DAY, caller: officer() }, deps);
    expect(totals).toMatchObject({ paidCount: 2, paidVnd: 2 * TOTAL, refundDueVnd: TOTAL, failedCount: 0 });
    expect(totals.byFee.reduce((sum, fee) => sum + fee.amountVnd, 0)).toBe(
      totals.paidVnd - totals.refundDueVnd,
    );
    expect(totals.byChannel).toEqual([{ channel: 'online', count: 2, amountVnd: 2 * TOTAL }]);
  });

  it("reads only the branch's partition of the day: other days and other branches stay out", async () => {
    const today = settle(owing(), NOW);
    const tomorrow = settle(owing(), new Date('2026-12-03T17:00:00.000Z'));
    const elsewhere = settle(owing('online', OTHER_UNIT), NOW);
    const { deps, memory } = await ledgerWith(today, tomorrow, elsewhere);
    const report = await paymentReport({ unit: UNIT, day: DAY, caller: officer() }, deps);
    expect(report.payments.map((p) => p.dossierCode)).toEqual([today.dossier.code]);
    expect(memory.queries.map((q) => q.pk)).toEqual([`LEDGER#${UNIT}#${DAY}`]);
  });

  it('reads every page of a long day, in settlement order', async () => {
    const { deps, memory } = setup();
    const count = REPORT_PAGE_SIZE + 1;
    for (let i = 0; i < count; i += 1) {
      const settledAt = new Date(NOW.getTime() + i * 1000).toISOString();
      await memory.ledger.record(
        { ...ledgerEntryOf(settledAt, `P261203${String(i).padStart(12, '0')}`) },
        { consumer: PAYMENT_LEDGER_CONSUMER, eventId: `e-${i}`, at: settledAt },
      );
    }
    const report = await paymentReport({ unit: UNIT, day: DAY, caller: officer() }, deps);
    expect(report.payments).toHaveLength(count);
    expect(memory.queries).toHaveLength(2);
    expect(report.payments.map((p) => p.settledAt)).toEqual(report.payments.map((p) => p.settledAt).sort());
    expect(report.totals.paidVnd).toBe(count * 20_000);
  });

  it("lets the branch's supervisor read it", async () => {
    const { deps } = await ledgerWith(settle(owing(), NOW));
    const report = await paymentReport({ unit: UNIT, day: DAY, caller: officer(UNIT, ['supervisor']) }, deps);
    expect(report.totals.paidCount).toBe(1);
  });

  it("refuses another branch's officer, reading nothing", async () => {
    const { deps, memory } = await ledgerWith(settle(owing(), NOW));
    await expect(
      paymentReport({ unit: UNIT, day: DAY, caller: officer(OTHER_UNIT) }, deps),
    ).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(memory.queries).toEqual([]);
  });

  it('refuses a staff account without a branch, an admin of the branch and a citizen', async () => {
    const { deps } = setup();
    const noBranch: Caller = { kind: 'staff', sub: 's', name: 'n', roles: ['supervisor'] };
    await expect(paymentReport({ unit: UNIT, day: DAY, caller: noBranch }, deps)).rejects.toMatchObject({
      code: 'NO_BRANCH_SCOPE',
    });
    await expect(
      paymentReport({ unit: UNIT, day: DAY, caller: officer(UNIT, ['admin']) }, deps),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      paymentReport({ unit: UNIT, day: DAY, caller: byCitizen.caller }, deps),
    ).rejects.toMatchObject({ status: 403 });
  });
});

/** A paid entry of 20,000 VND settled at `settledAt`, for reports built without the consumer. */
function ledgerEntryOf(settledAt: string, paymentId: string): LedgerEntry {
  return {
    paymentId,
    settledAt,
    day: ledgerDay(settledAt),
    unit: UNIT,
    dossierCode: `${UNIT}-261203-0001`,
    procedureCode: '1.004222',
    channel: 'online',
    provider: 'vnpay',
    providerTransactionNo: '14000001',
    settledBy: 'callback',
    outcome: 'paid',
    amountVnd: 20_000,
    appliedVnd: 20_000,
    refundDueVnd: 0,
    feeItems: [{ feeId: 'phi', name: { vi: 'Phí', en: 'Fee' }, amountVnd: 20_000 }],
  };
}

describe('the report as CSV', () => {
  const report = (entries: LedgerEntry[]) => ({
    unit: UNIT,
    day: DAY,
    payments: entries,
    totals: reportTotals(entries),
  });
  const rowsOf = (csv: string) => csv.slice(BOM.length).split('\r\n');

  it('starts with a UTF-8 byte-order mark and a header row, and ends every row with CRLF', () => {
    const csv = paymentReportCsv(report([ledgerEntryOf(NOW.toISOString(), 'P261203000000000001')]));
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(rowsOf(csv)[0]).toMatch(/^Loại \/ Kind,Thời điểm \/ Settled at,/);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('writes one row per payment, then a row per fee, per channel, and the paid and failed totals', () => {
    const failed = {
      ...ledgerEntryOf('2026-12-03T04:00:00.000Z', 'P261203000000000002'),
      outcome: 'failed' as const,
      appliedVnd: 0,
      feeItems: [],
    };
    const rows = rowsOf(
      paymentReportCsv(report([ledgerEntryOf(NOW.toISOString(), 'P261203000000000001'), failed])),
    ).filter(Boolean);
    expect(rows.map((row) => row.split(',')[0])).toEqual([
      'Loại / Kind',
      'payment',
      'payment',
      'total-fee',
      'total-channel',
      'total',
      'total',
    ]);
    expect(rows[1]).toBe(
      `payment,2026-12-03T10:00:00+07:00,P261203000000000001,${UNIT}-261203-0001,1.004222,online,vnpay,14000001,paid,20000,20000,0,phi Phí: 20000,,,`,
    );
    expect(rows[3]).toBe('total-fee,,,,1.004222,,,,paid,20000,,,,phi,Phí,1');
    expect(rows[5]).toBe('total,,,,,,,,paid,20000,20000,0,,,,1');
    expect(rows[6]).toBe('total,,,,,,,,failed,,,,,,,1');
  });

  it('quotes a field holding a comma, a quote or a line break, doubling its quotes', () => {
    const entry = ledgerEntryOf(NOW.toISOString(), 'P261203000000000001');
    entry.feeItems = [
      { feeId: 'phi', name: { vi: 'Phí "thẩm định", lần 1\nghi chú', en: 'Fee' }, amountVnd: 20_000 },
    ];
    const csv = paymentReportCsv(report([entry]));
    expect(csv).toContain(',"phi Phí ""thẩm định"", lần 1\nghi chú: 20000",');
    expect(csv).toContain(',phi,"Phí ""thẩm định"", lần 1\nghi chú",1\r\n');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField('plain')).toBe('plain');
  });

  it('leads a field that would run as a spreadsheet formula with an apostrophe', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-5)).toBe('-5');
  });

  it('shows times in Hanoi time with the offset, and names the file by branch and day', () => {
    expect(localTime('2026-12-03T17:00:00.000Z')).toBe('2026-12-04T00:00:00+07:00');
    expect(paymentReportFileName({ unit: UNIT, day: DAY })).toBe(`payments-${UNIT}-${DAY}.csv`);
  });
});
