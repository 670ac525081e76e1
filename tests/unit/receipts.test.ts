// Issuing e-receipts from DossierPaid, downloading and verifying them, over in-memory fakes with the DynamoDB adapter's
// rules: numbers consecutive per series and year (restarting on 1 January, Vietnam time), one receipt per paid event
// whatever the redeliveries, no receipt for money the dossier did not owe, a spent number recorded as void.
import { afterEach, describe, expect, it } from 'vitest';
import {
  readReceiptBookConfig,
  receiptBookEnv,
  receiptBookEnvironment,
  resetConfigForTests,
} from '../../shared/config';
import type { Caller } from '../../shared/domain/caller';
import type { Dossier } from '../../shared/domain/dossier';
import type { DomainEvent } from '../../shared/domain/events';
import { type CollectorBook, paidItems } from '../../shared/domain/issued-receipts';
import { assessFees } from '../../shared/domain/payments';
import { type ReceiptData, receiptCounterKey } from '../../shared/domain/receipts';
import { settlePayment, startPayment } from '../../shared/domain/transitions';
import type { Branch } from '../../shared/schemas/catalogue';
import { getDossier } from '../../shared/usecases/dossiers/read-dossiers';
import { getReceipt } from '../../shared/usecases/receipts/get-receipt';
import { issueReceipt, RECEIPT_ISSUER_CONSUMER } from '../../shared/usecases/receipts/issue-receipt';
import { verifyReceipt } from '../../shared/usecases/receipts/verify-receipt';
import { memoryCatalogue, memoryIdempotency } from './fakes/memory-catalogue';
import { memoryObjectStore } from './fakes/memory-documents';
import { memoryDossiers } from './fakes/memory-dossiers';
import { memoryReceipts } from './fakes/memory-receipts';
import { birthDossier } from './support/dossier';

const PAID_AT = new Date('2026-12-03T03:00:00.000Z');
const ISSUED_AT = new Date('2026-12-03T03:00:05.000Z');
const TAX_CODE = '0101234565';
const BOOK: CollectorBook = { templateSymbol: '01BLP0-001', seriesLetters: 'BL', collectorTaxCode: TAX_CODE };
const UNIT = '000.00.01.H26';
const BRANCH: Branch = {
  code: UNIT,
  name: { vi: 'Trung tâm Phục vụ hành chính công – Trụ sở chính', en: 'Head office' },
  address: 'Số 12 Lê Lai, phường Hoàn Kiếm, thành phố Hà Nội',
  communes: [],
};
// Two fees the applicant owes online and a council-set one Resolution 77 relieves to 0 (no receipt line).
const FEES = [
  {
    id: 'le-phi-ho-tich',
    name: { vi: 'Lệ phí đăng ký hộ tịch', en: 'Civil status fee' },
    amountVnd: 100_000,
    kind: 'charge',
    setBy: 'ministry',
  },
  {
    id: 'phi-cap-ban-sao',
    name: { vi: 'Phí cấp bản sao trích lục', en: 'Copy fee' },
    amountVnd: 50_000,
    kind: 'fee',
    setBy: 'council',
  },
  {
    id: 'phi-tham-dinh',
    name: { vi: 'Phí thẩm định', en: 'Appraisal fee' },
    amountVnd: 25_000,
    kind: 'fee',
    setBy: 'ministry',
  },
] as const;
const TOTAL = 125_000;

const byCitizen = {
  actor: { kind: 'citizen', sub: 'sub-citizen-an', name: 'Nguyễn Văn An' } as const,
  caller: { kind: 'citizen', sub: 'sub-citizen-an', name: 'Nguyễn Văn An' } as Caller,
};
const byProvider = {
  actor: { kind: 'provider', provider: 'vnpay' } as const,
  caller: { kind: 'provider', provider: 'vnpay' } as Caller,
};
const applicant: Caller = { kind: 'citizen', sub: 'sub-citizen-an', name: 'Nguyễn Văn An' };
const otherCitizen: Caller = { kind: 'citizen', sub: 'sub-citizen-binh', name: 'Trần Thị Bình' };
const officer: Caller = { kind: 'staff', sub: 'sub-o', name: 'Lê Văn Cán', roles: ['officer'], branch: UNIT };
const otherOfficer: Caller = {
  kind: 'staff',
  sub: 'sub-o2',
  name: 'Phạm Văn Khác',
  roles: ['officer'],
  branch: '000.02.01.H26',
};

function setup(start = ISSUED_AT) {
  const idempotency = memoryIdempotency();
  const receipts = memoryReceipts();
  const dossiers = memoryDossiers(idempotency, receipts.of);
  const catalogue = memoryCatalogue(idempotency);
  let now = start;
  const deps = {
    dossiers: dossiers.repository,
    catalogue: catalogue.repository,
    receipts: receipts.store,
    book: BOOK,
    clock: () => now,
  };
  const ready = catalogue.repository.putBranches([BRANCH]);
  let seq = 0;
  /** A dossier paid through the provider (in full unless told), stored, with the DossierPaid its settlement wrote. */
  async function paid(options: { amountOf?: (owed: number) => number; withdrawnFirst?: boolean } = {}) {
    await ready;
    seq += 1;
    const code = `${UNIT}-261203-${String(seq).padStart(4, '0')}`;
    const owing: Dossier = {
      ...birthDossier(code),
      fees: assessFees({ fees: FEES, feesDueWhen: 'before-processing' }, 'online', PAID_AT, {}),
    };
    const id = `P261203${String(seq).padStart(12, 'A')}`;
    const opened = startPayment(owing, byCitizen, PAID_AT, {
      id,
      provider: 'vnpay',
      createdAt: PAID_AT.toISOString(),
      expiresAt: new Date(PAID_AT.getTime() + 15 * 60_000).toISOString(),
      redirectUrl: `https://pay.example/${id}`,
    });
    const before = options.withdrawnFirst
      ? { ...opened.dossier, status: 'WITHDRAWN' as const }
      : opened.dossier;
    const settled = settlePayment(before, byProvider, PAID_AT, {
      paymentId: id,
      succeeded: true,
      providerTransactionNo: `1400${String(seq).padStart(4, '0')}`,
      responseCode: '00',
      transactionStatus: '00',
      settledBy: 'callback',
    });
    dossiers.dossiers.set(code, settled.dossier);
    const event = settled.events.find((e) => e.name === 'DossierPaid') as DomainEvent<'DossierPaid'>;
    return { code, dossier: settled.dossier, event };
  }
  return {
    deps,
    receipts,
    dossiers,
    paid,
    at: (instant: Date) => {
      now = instant;
    },
  };
}

describe('paidItems', () => {
  const items = [
    { feeId: 'a', name: { vi: 'Phí A', en: 'A' }, dueVnd: 100_000 },
    { feeId: 'free', name: { vi: 'Phí miễn', en: 'Free' }, dueVnd: 0 },
    { feeId: 'b', name: { vi: 'Phí B', en: 'B' }, dueVnd: 50_000 },
  ];

  it('lists every fee due in full when one payment pays them all, leaving out fees relieved to 0', () => {
    expect(paidItems(items, 0, 150_000)).toEqual([
      { feeId: 'a', name: 'Phí A', amountVnd: 100_000 },
      { feeId: 'b', name: 'Phí B', amountVnd: 50_000 },
    ]);
  });

  it('lists what a later payment paid after the earlier ones, in the order of the fees', () => {
    expect(paidItems(items, 100_000, 50_000)).toEqual([{ feeId: 'b', name: 'Phí B', amountVnd: 50_000 }]);
    expect(paidItems(items, 60_000, 90_000)).toEqual([
      { feeId: 'a', name: 'Phí A', amountVnd: 40_000 },
      { feeId: 'b', name: 'Phí B', amountVnd: 50_000 },
    ]);
  });

  it('refuses a payment that would cover more than the fees', () => {
    expect(() => paidItems(items, 100_000, 60_000)).toThrow(/more than the fees/);
    expect(() => paidItems(items, -1, 10)).toThrow(RangeError);
  });
});

describe('issueReceipt', () => {
  it('issues one receipt for what the payment paid: items, total in figures and words, collector, masked payer', async () => {
    const { deps, paid } = setup();
    const { code, event } = await paid();
    const result = await issueReceipt(event, deps);
    expect(result.outcome).toBe('issued');
    if (result.outcome !== 'issued') return;
    expect(result.receipt).toEqual({
      dossierCode: code,
      receiptNumber: { templateSymbol: '01BLP0-001', series: 'BL-26E', year: 2026, number: 1 },
      issuedAt: ISSUED_AT.toISOString(),
      collector: { name: BRANCH.name.vi, taxCode: TAX_CODE, address: BRANCH.address },
      payer: { name: 'Nguyễn Văn An', idNumberMasked: '********2345' },
      items: [
        { feeId: 'le-phi-ho-tich', name: 'Lệ phí đăng ký hộ tịch', amountVnd: 100_000 },
        { feeId: 'phi-tham-dinh', name: 'Phí thẩm định', amountVnd: 25_000 },
      ],
      totalVnd: TOTAL,
      amountInWords: 'Một trăm hai mươi lăm nghìn đồng',
      paidAt: PAID_AT.toISOString(),
      paymentId: event.payload.paymentId,
      payment: { method: 'online', provider: 'VNPay', providerTransactionNo: '14000001' },
      eventId: event.id,
    });
  });

  it('numbers receipts consecutively within the series of the year, across dossiers', async () => {
    const { deps, paid, receipts } = setup();
    const numbers: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const result = await issueReceipt((await paid()).event, deps);
      if (result.outcome === 'issued') numbers.push(result.receipt.receiptNumber.number);
    }
    expect(numbers).toEqual([1, 2, 3]);
    expect([...receipts.counters]).toEqual([[receiptCounterKey(TAX_CODE, 'BL-26E', 2026), 3]]);
  });

  it('restarts at 1 in the next series on 1 January, Vietnam time (17:00 UTC on 31 December)', async () => {
    const { deps, paid, at } = setup();
    const series = async () => {
      const result = await issueReceipt((await paid()).event, deps);
      if (result.outcome !== 'issued') throw new Error(result.outcome);
      return [result.receipt.receiptNumber.series, result.receipt.receiptNumber.number];
    };
    at(new Date('2026-12-31T16:59:59.000Z'));
    expect(await series()).toEqual(['BL-26E', 1]);
    expect(await series()).toEqual(['BL-26E', 2]);
    at(new Date('2026-12-31T17:00:00.000Z'));
    expect(await series()).toEqual(['BL-27E', 1]);
    expect(await series()).toEqual(['BL-27E', 2]);
  });

  it('issues nothing for a redelivered event, and takes no number for it', async () => {
    const { deps, paid, receipts } = setup();
    const { code, event } = await paid();
    expect((await issueReceipt(event, deps)).outcome).toBe('issued');
    expect(await issueReceipt(event, deps)).toEqual({ outcome: 'duplicate' });
    expect(await issueReceipt(structuredClone(event), deps)).toEqual({ outcome: 'duplicate' });
    expect(await receipts.store.listByDossier(code)).toHaveLength(1);
    expect([...receipts.counters.values()]).toEqual([1]);
    expect([...receipts.marks.keys()]).toEqual([`${RECEIPT_ISSUER_CONSUMER}#${event.id}`]);
    expect(receipts.voids).toEqual([]);
  });

  it('records the number as void when another delivery of the event issued between the check and the write', async () => {
    const { deps, paid, receipts } = setup();
    const { code, event } = await paid();
    receipts.faults.markBeforeNextIssue = true;
    expect(await issueReceipt(event, deps)).toEqual({ outcome: 'duplicate' });
    expect(await receipts.store.listByDossier(code)).toEqual([]);
    expect(receipts.voids).toEqual([
      expect.objectContaining({ number: 1, reason: 'duplicate-delivery', eventId: event.id }),
    ]);
  });

  it('records a number whose write failed as void, throws for the stream to retry, and the retry takes the next', async () => {
    const { deps, paid, receipts } = setup();
    const { code, event } = await paid();
    receipts.faults.failNextIssue = true;
    await expect(issueReceipt(event, deps)).rejects.toThrow(/TransactionCanceled/);
    expect(receipts.voids).toEqual([expect.objectContaining({ number: 1, reason: 'issue-failed' })]);
    const retried = await issueReceipt(event, deps);
    expect(retried.outcome === 'issued' && retried.receipt.receiptNumber.number).toBe(2);
    expect((await receipts.store.listByDossier(code)).map((r) => r.receiptNumber.number)).toEqual([2]);
  });

  it('issues no receipt when nothing of the payment was applied to the fees (all of it refund-due)', async () => {
    const { deps, paid, receipts } = setup();
    const { code, event } = await paid({ withdrawnFirst: true });
    expect(event.payload.refundDueVnd).toBe(event.payload.amountVnd);
    expect(await issueReceipt(event, deps)).toEqual({ outcome: 'nothing-applied' });
    expect(await receipts.store.listByDossier(code)).toEqual([]);
    expect(receipts.counters.size).toBe(0);
  });

  it('throws, taking no number, when the branch is not in the catalogue or the payment is not recorded as paid', async () => {
    const { deps, paid, receipts, dossiers } = setup();
    const { code, dossier, event } = await paid();
    const unknownUnit = { ...deps, catalogue: { branch: async () => undefined } };
    await expect(issueReceipt(event, unknownUnit)).rejects.toThrow(/not in the catalogue/);
    dossiers.dossiers.set(code, {
      ...dossier,
      fees: { ...dossier.fees!, payments: dossier.fees!.payments.map((p) => ({ ...p, status: 'pending' })) },
    });
    await expect(issueReceipt(event, deps)).rejects.toThrow(/not recorded as paid/);
    expect(receipts.counters.size).toBe(0);
  });
});

describe('the receipts of a dossier', () => {
  async function issued() {
    const context = setup();
    const { code, event } = await context.paid();
    await issueReceipt(event, context.deps);
    const rendered: ReceiptData[] = [];
    const objects = memoryObjectStore();
    const download = {
      dossiers: context.dossiers.repository,
      receipts: context.receipts.store,
      objects: objects.store,
      render: async (data: ReceiptData) => {
        rendered.push(data);
        return new TextEncoder().encode(`%PDF ${data.receiptNumber.number}`);
      },
      publicBaseUrl: 'https://api.motcua.example.vn',
    };
    return { ...context, code, event, rendered, objects, download };
  }

  it('are referenced on the dossier read by its applicant and its branch', async () => {
    const { code, dossiers } = await issued();
    for (const caller of [applicant, officer]) {
      const view = await getDossier(code, caller, { dossiers: dossiers.repository });
      expect(view.receipts).toEqual([
        {
          number: '0000001',
          series: 'BL-26E',
          issuedAt: ISSUED_AT.toISOString(),
          href: `/v1/dossiers/${encodeURIComponent(code)}/receipts/0000001?series=BL-26E`,
        },
      ]);
    }
  });

  it('render on first download with the verification URL and the whole ID to mask, then are served as stored', async () => {
    const { code, download, rendered, objects } = await issued();
    const first = await getReceipt({ code, number: '0000001', caller: applicant }, download);
    expect(new TextDecoder().decode(first.pdf)).toBe('%PDF 1');
    expect(rendered).toHaveLength(1);
    expect(rendered[0]).toMatchObject({
      payer: { name: 'Nguyễn Văn An', idNumber: '001090012345' },
      totalVnd: TOTAL,
      amountInWords: 'Một trăm hai mươi lăm nghìn đồng',
      verificationUrl: `https://api.motcua.example.vn/v1/receipts/verify?series=BL-26E&number=0000001&code=${encodeURIComponent(code)}`,
    });
    expect(await objects.store.get(`dossiers/${code}/receipts/BL-26E-0000001.pdf`)).toBeDefined();
    const again = await getReceipt({ code, number: '1', series: 'BL-26E', caller: officer }, download);
    expect(new TextDecoder().decode(again.pdf)).toBe('%PDF 1');
    expect(rendered).toHaveLength(1);
  });

  it('answer anyone who may not see the dossier as if it did not exist, and an unknown number as no receipt', async () => {
    const { code, download } = await issued();
    for (const caller of [otherCitizen, otherOfficer]) {
      await expect(getReceipt({ code, number: '1', caller }, download)).rejects.toMatchObject({
        code: 'DOSSIER_NOT_FOUND',
        status: 404,
      });
    }
    await expect(getReceipt({ code, number: '2', caller: applicant }, download)).rejects.toMatchObject({
      code: 'RECEIPT_NOT_FOUND',
      status: 404,
    });
    await expect(
      getReceipt({ code, number: '1', series: 'BL-27E', caller: applicant }, download),
    ).rejects.toMatchObject({ code: 'RECEIPT_NOT_FOUND' });
  });

  it('verify publicly with the amount, the date and the collector, and nothing about the payer', async () => {
    const { code, receipts } = await issued();
    const check = await verifyReceipt(
      { code, series: 'BL-26E', number: '0000001' },
      { receipts: receipts.store },
    );
    expect(check).toEqual({
      valid: true,
      receipt: {
        amountVnd: TOTAL,
        issuedAt: ISSUED_AT.toISOString(),
        collector: { name: BRANCH.name.vi, taxCode: TAX_CODE },
      },
    });
    expect(JSON.stringify(check)).not.toMatch(/Nguyễn Văn An|\*{4}|001090012345/);
    for (const wrong of [
      { code, series: 'BL-26E', number: '2' },
      { code, series: 'BL-27E', number: '1' },
      { code: `${UNIT}-261203-9999`, series: 'BL-26E', number: '1' },
    ]) {
      expect(await verifyReceipt(wrong, { receipts: receipts.store })).toEqual({ valid: false });
    }
  });
});

describe('the receipt book from configuration', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetConfigForTests();
  });
  // A book other than the placeholder: another template, other letters, another tax code with its check digit.
  const registered: CollectorBook = {
    templateSymbol: '01BLP0-002',
    seriesLetters: 'HN',
    collectorTaxCode: '0109999904',
  };

  it('reads the book the variables carry, as the events stack sets them', () => {
    Object.assign(process.env, receiptBookEnvironment(registered));
    expect(readReceiptBookConfig()).toEqual(registered);
  });

  it.each([
    ['a tax code with a wrong check digit', { collectorTaxCode: '0109999905' }, /not a tax code/],
    ['a template symbol of another shape', { templateSymbol: '1BLP-1' }, /template symbol/],
    ['lower-case series letters', { seriesLetters: 'hn' }, /two capital letters/],
  ])('refuses %s, naming the variables', (_what, change, message) => {
    Object.assign(process.env, receiptBookEnvironment({ ...registered, ...change }));
    expect(() => readReceiptBookConfig()).toThrow(message);
    expect(() => readReceiptBookConfig()).toThrow(/RECEIPT_COLLECTOR_TAX_CODE/);
  });

  it('stops naming a missing variable', () => {
    Object.assign(process.env, receiptBookEnvironment(registered));
    delete process.env[receiptBookEnv.seriesLetters];
    expect(() => readReceiptBookConfig()).toThrow('Missing environment variable RECEIPT_SERIES_LETTERS');
  });
});
