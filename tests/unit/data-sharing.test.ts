// Data sharing: a dossier de-identified by allow-list, the daily export partitioned by day and branch and idempotent,
// and the partner aggregates. In-memory fakes only (tests/unit/fakes/memory-exports.ts).
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { factKey } from '../../shared/data/sharing';
import type { Caller } from '../../shared/domain/caller';
import {
  deidentify,
  type FactRow,
  factColumnNames,
  factColumns,
  pseudonym,
} from '../../shared/domain/deidentify';
import type { Dossier } from '../../shared/domain/dossier';
import { rowsOf } from '../../shared/domain/statistics';
import { type ExportDayDeps, exportDay, previousLocalDay } from '../../shared/usecases/stats/export-day';
import { getPartnerStats } from '../../shared/usecases/stats/partner-stats';
import { memoryBranches, memoryExportStore, memoryRegisterBooks } from './fakes/memory-exports';
import { memoryStatistics } from './fakes/memory-statistics';

const KEY = 'test-pseudonym-key-0123456789abcdef0123456789';
const OTHER_KEY = 'another-pseudonym-key-abcdef0123456789abcdef';
const BA_DINH = '000.02.01.H26';
const HOAN_KIEM = '000.01.01.H26';

/** A received dossier with only what every dossier has. */
function received(code: string, receivedAt: string, unit = BA_DINH): Dossier {
  return {
    code,
    lookupKey: 'K7Q2-M9XD',
    procedure: {
      code: '1.001193',
      version: 2,
      name: { vi: 'Đăng ký khai sinh', en: 'Birth registration' },
      processingDays: 3,
    },
    unit,
    channel: 'online',
    applicant: { fullName: 'Trần Văn Bảo', citizenId: '001090099887' },
    applicantKey: 'a1b2c3d4e5f6',
    answers: {},
    documents: [],
    status: 'RECEIVED',
    version: 2,
    historyCount: 2,
    submittedAt: receivedAt,
    receivedAt,
    deadline: {
      workingDays: 3,
      receivedAt,
      appointmentDay: '2026-12-04',
      pauses: [],
      basis: [{ year: 2026, decided: true, statutoryOnly: [] }],
      computedAt: receivedAt,
    },
    forms: [],
    updatedAt: receivedAt,
  };
}

// Everything a dossier can hold about people, filled in: names, a 12-digit CCCD, phones, emails, an address, free text.
const personal = {
  applicantName: 'Nguyễn Thị Thu Hương',
  citizenId: '001185012345',
  dateOfBirth: '1985-03-14',
  phone: '0987654321',
  email: 'huong.nguyenthu@example.vn',
  address: 'Số 12 ngõ 34 phố Đội Cấn, phường Ba Đình, Hà Nội',
  childName: 'Lê Minh Châu',
  fatherName: 'Lê Quang Vinh',
  answerNote: 'Gia đình đang ở nhờ nhà bà ngoại tại số 5 Liễu Giai',
  officerName: 'Phạm Văn Đức',
  collectorName: 'Lê Văn Tùng',
  collectorId: '001090054321',
  authorization: 'Giấy ủy quyền số 12/UQ ngày 01/12/2026',
  fileName: 'giay-chung-sinh-le-minh-chau.pdf',
  s3Key: 'filed/01JDXK9Q8R7S6T5V4W3X2Y1Z0A',
  sha256: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
  supplementReason: 'Bản chụp giấy chứng sinh bị mờ, không đọc được tên mẹ',
  overdueReason: 'Chờ xác minh thông tin cư trú của ông Lê Quang Vinh',
  handoffNote: 'Bàn giao cho Công an phường, người nhận Hoàng Thị Mai',
  resultTitle: 'Giấy khai sinh của Lê Minh Châu',
  ratingComment: 'Cán bộ Phạm Văn Đức hướng dẫn rất tận tình, cảm ơn anh',
  providerTransactionNo: '14723981',
  trackingNumber: 'EB123456789VN',
  ownerSub: 'c0ffee00-1234-4abc-9def-001185012345',
  applicantKey: 'f3a9e1b2c4d5e6f708192a3b4c5d6e7f',
  lookupKey: 'H8TQ-4ZNW',
};

const CODE = '000.02.01.H26-261201-0042';

function fullyPopulated(): Dossier {
  const base = received(CODE, '2026-12-01T02:15:00.000Z');
  const officer = { sub: 'officer-duc', name: personal.officerName, branch: BA_DINH };
  return {
    ...base,
    lookupKey: personal.lookupKey,
    channel: 'counter',
    applicant: {
      fullName: personal.applicantName,
      citizenId: personal.citizenId,
      dateOfBirth: personal.dateOfBirth,
      phone: personal.phone,
      email: personal.email,
      address: personal.address,
      notify: { channels: ['email', 'sms'], language: 'vi' },
    },
    applicantKey: personal.applicantKey,
    ownerSub: personal.ownerSub,
    answers: {
      childFullName: personal.childName,
      fatherFullName: personal.fatherName,
      note: personal.answerNote,
      childDateOfBirth: '2026-11-20',
    },
    documents: [
      {
        requirementId: 'giay-chung-sinh',
        name: { vi: 'Giấy chứng sinh', en: 'Birth certificate' },
        source: 'upload',
        documentId: '01JDXK9Q8R7S6T5V4W3X2Y1Z0A',
        fileName: personal.fileName,
        contentType: 'application/pdf',
        sizeBytes: 48_213,
        sha256: personal.sha256,
        s3Key: personal.s3Key,
        digitizedBy: officer,
      },
      {
        requirementId: 'to-khai-dang-ky-khai-sinh',
        name: { vi: 'Tờ khai đăng ký khai sinh', en: 'Birth registration form' },
        source: 'personal-store',
        documentId: '01JDXKA0000000000000000001',
        fileName: 'to-khai-nguyen-thi-thu-huong.pdf',
        contentType: 'application/pdf',
        sizeBytes: 12_001,
        sha256: 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=',
        s3Key: 'filed/01JDXKA0000000000000000001',
      },
    ],
    status: 'RETURNED',
    receivedBy: { sub: officer.sub, name: officer.name },
    deadline: {
      ...base.deadline!,
      appointmentDay: '2026-12-08',
      pauses: [{ from: '2026-12-02T03:00:00.000Z', to: '2026-12-02T04:00:00.000Z' }],
    },
    supplement: {
      items: [
        { name: 'Giấy chứng sinh', reason: personal.supplementReason, requirementId: 'giay-chung-sinh' },
      ],
      requestedAt: '2026-12-02T03:00:00.000Z',
      resumeTo: 'IN_PROGRESS',
    },
    routing: {
      attempt: 1,
      executionName: '000_02_01_H26-261201-0042-a1',
      startedAt: '2026-12-01T02:16:00.000Z',
      completedStages: 1,
      stageCount: 1,
      endedAt: '2026-12-07T04:00:00.000Z',
      handoffs: [
        {
          at: '2026-12-01T02:16:00.000Z',
          giver: { kind: 'branch', id: BA_DINH },
          receiver: { kind: 'agency', id: '000.00.33.H26' },
          note: personal.handoffNote,
        },
      ],
      overdue: [
        {
          at: '2026-12-04T10:00:00.000Z',
          stepId: 's0-0',
          agency: '000.00.33.H26',
          reason: personal.overdueReason,
          previousAppointmentDay: '2026-12-04',
          newAppointmentDay: '2026-12-08',
        },
      ],
    },
    fees: {
      items: [
        {
          feeId: 'le-phi',
          name: { vi: 'Lệ phí', en: 'Fee' },
          baseVnd: 8_000,
          dueVnd: 8_000,
        },
      ],
      totalVnd: 8_000,
      dueWhen: 'before-processing',
      computedAt: '2026-12-01T02:15:00.000Z',
      paidVnd: 8_000,
      refundDueVnd: 0,
      payments: [
        {
          id: 'P261201ABCDEFGHJKMNP',
          provider: 'vnpay',
          amountVnd: 8_000,
          status: 'paid',
          createdAt: '2026-12-01T02:20:00.000Z',
          expiresAt: '2026-12-01T02:35:00.000Z',
          redirectUrl: `https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?vnp_OrderInfo=${encodeURIComponent(personal.applicantName)}`,
          settledAt: '2026-12-01T02:22:00.000Z',
          settledBy: 'callback',
          providerTransactionNo: personal.providerTransactionNo,
          bankCode: 'NCB',
        },
      ],
    },
    result: {
      kind: 'documents',
      readyAt: '2026-12-07T04:00:00.000Z',
      documents: [
        {
          id: 'R1',
          title: personal.resultTitle,
          agency: '000.00.33.H26',
          stepId: 's0-0',
          contentType: 'application/pdf',
          sizeBytes: 90_000,
          sha256: 'z9y8x7w6v5u4t3s2r1q0p9o8n7m6l5k4j3i2h1g0f9e=',
          s3Key: 'documents/R1',
        },
      ],
      dispatch: {
        carrier: 'VNPost',
        trackingNumber: personal.trackingNumber,
        at: '2026-12-07T05:00:00.000Z',
        by: officer,
      },
      returned: {
        at: '2026-12-08T03:00:00.000Z',
        method: 'counter',
        by: officer,
        collector: {
          name: personal.collectorName,
          idNumber: personal.collectorId,
          authorization: personal.authorization,
        },
      },
    },
    rating: { score: 4, comment: personal.ratingComment, at: '2026-12-08T04:00:00.000Z' },
    forms: [
      {
        form: '01',
        key: `dossiers/${CODE}/forms/01-v2.pdf`,
        at: '2026-12-01T02:15:00.000Z',
        facts: {
          officer: personal.officerName,
          receivedAt: '2026-12-01T02:15:00.000Z',
          appointmentDay: '2026-12-04',
          documents: [{ name: 'Giấy chứng sinh', form: 'original', copies: 1 }],
        },
      },
    ],
  };
}

/** Lower case without diacritics: a name must not leak in a folded spelling either. */
const fold = (s: string) =>
  s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

describe('deidentify', () => {
  it('copies exactly the declared columns, in their order, into every row', () => {
    expect(Object.keys(deidentify(fullyPopulated(), KEY))).toEqual(factColumnNames);
    expect(
      Object.keys(deidentify(received('000.02.01.H26-261201-0001', '2026-12-01T02:00:00Z'), KEY)),
    ).toEqual(factColumnNames);
    expect(new Set(factColumnNames).size).toBe(factColumns.length);
  });

  it('leaves no name, citizen ID, phone, address, email, free text, file or key of a fully filled dossier in the row', () => {
    const dossier = fullyPopulated();
    const json = JSON.stringify(deidentify(dossier, KEY));
    const folded = fold(json);
    for (const [field, value] of Object.entries(personal)) {
      expect(json, field).not.toContain(value);
      expect(folded, field).not.toContain(fold(value));
    }
    // The dossier's own handles: its code (and the daily sequence in it) and its lookup key.
    expect(json).not.toContain(CODE);
    expect(json).not.toContain('261201-0042');
    // Digits of the IDs and the phone in any spelling, and no time of day anywhere.
    expect(json.replace(/\D/g, '')).not.toContain(personal.citizenId);
    expect(json.replace(/\D/g, '')).not.toContain(personal.phone);
    expect(json).not.toMatch(/\d{2}:\d{2}/);
    expect(json).not.toContain('@');
  });

  it('keeps the unit, procedure, channel, status, Vietnam-local days, counts, fees, result and rating', () => {
    expect(deidentify(fullyPopulated(), KEY)).toEqual({
      dossier_ref: pseudonym(CODE, KEY),
      unit: BA_DINH,
      procedure_code: '1.001193',
      procedure_version: 2,
      channel: 'counter',
      status: 'RETURNED',
      filed_day: '2026-12-01',
      received_day: '2026-12-01',
      due_day: '2026-12-08',
      finished_day: '2026-12-07',
      returned_day: '2026-12-08',
      processing_days: 3,
      // Wed 2, Thu 3, Fri 4, Mon 7 December.
      working_days_to_finish: 4,
      timeliness: 'early',
      overdue_flagged: true,
      document_count: 2,
      documents_reused: 1,
      documents_scanned: 1,
      supplement_requests: 1,
      route_stages: 1,
      fee_total_vnd: 8_000,
      fee_paid_vnd: 8_000,
      fees_settled: true,
      paid_online: true,
      result_kind: 'documents',
      result_documents: 1,
      return_method: 'counter',
      rating_score: 4,
    } satisfies FactRow);
  });

  it('gives the day in Vietnam, not in UTC: a receipt at 01:30 local on 2 December is a 2 December fact', () => {
    const row = deidentify(received('000.02.01.H26-261202-0001', '2026-12-01T18:30:00.000Z'), KEY);
    expect(row.received_day).toBe('2026-12-02');
    expect(row.filed_day).toBe('2026-12-02');
  });

  it('counts a second supplement request late, as Decision 766 does, whatever the finishing day', () => {
    const dossier = fullyPopulated();
    dossier.deadline!.pauses.push({ from: '2026-12-03T02:00:00.000Z', to: '2026-12-03T03:00:00.000Z' });
    expect(deidentify(dossier, KEY)).toMatchObject({ supplement_requests: 2, timeliness: 'late' });
  });

  it('leaves facts a dossier does not have yet as null, never guessed', () => {
    expect(deidentify(received('000.02.01.H26-261201-0001', '2026-12-01T02:00:00Z'), KEY)).toMatchObject({
      finished_day: null,
      returned_day: null,
      working_days_to_finish: null,
      timeliness: null,
      route_stages: null,
      result_kind: null,
      result_documents: null,
      return_method: null,
      rating_score: null,
      fee_total_vnd: 0,
      fees_settled: true,
      paid_online: false,
    });
  });

  it('replaces the code by a keyed pseudonym: the same for one key, another under another key, not the bare hash', () => {
    const ref = deidentify(fullyPopulated(), KEY).dossier_ref;
    expect(ref).toMatch(/^[0-9a-f]{32}$/);
    expect(deidentify(fullyPopulated(), KEY).dossier_ref).toBe(ref);
    expect(deidentify(fullyPopulated(), OTHER_KEY).dossier_ref).not.toBe(ref);
    // Without the key, hashing a code someone holds (a receipt) does not find its row.
    expect(createHash('sha256').update(CODE).digest('hex')).not.toContain(ref);
    expect(pseudonym('000.02.01.H26-261201-0043', KEY)).not.toBe(ref);
  });

  it('refuses a pseudonym key shorter than 32 characters', () => {
    expect(() => pseudonym(CODE, 'short-key')).toThrow(RangeError);
  });
});

/** The rows of one exported part, parsed back from its gzipped NDJSON. */
function rowsOfPart(store: ReturnType<typeof memoryExportStore>, key: string): FactRow[] {
  const object = store.objects.get(key);
  if (!object) throw new Error(`no object ${key}`);
  const text = gunzipSync(object.body).toString('utf8');
  return text === ''
    ? []
    : text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as FactRow);
}

function exportDeps(dossiers: Dossier[], options: { pageSize?: number; now?: string } = {}) {
  const books = memoryRegisterBooks(dossiers, options);
  const exports = memoryExportStore();
  const deps: ExportDayDeps = {
    dossiers: books,
    catalogue: memoryBranches([HOAN_KIEM, BA_DINH], { pageSize: 1 }),
    exports,
    pseudonymKey: async () => KEY,
    clock: () => new Date(options.now ?? '2026-12-02T17:30:00.000Z'),
  };
  return { deps, books, exports };
}

describe('exportDay', () => {
  // 2 December in Vietnam runs from 1 December 17:00 UTC to 2 December 17:00 UTC.
  const dossiers = [
    received('000.02.01.H26-261201-0009', '2026-12-01T16:59:59.999Z'), // 1 Dec, 23:59 local
    received('000.02.01.H26-261202-0001', '2026-12-01T17:00:00.000Z'), // 2 Dec, 00:00 local
    received('000.02.01.H26-261202-0002', '2026-12-02T03:00:00.000Z'),
    received('000.01.01.H26-261202-0001', '2026-12-02T08:00:00.000Z', HOAN_KIEM),
    received('000.02.01.H26-261202-0003', '2026-12-02T16:59:59.999Z'), // 2 Dec, 23:59 local
    received('000.02.01.H26-261203-0001', '2026-12-02T17:00:00.000Z'), // 3 Dec, 00:00 local
  ];
  const refsOf = (codes: string[]) => codes.map((code) => pseudonym(code, KEY));

  it("writes one gzipped NDJSON part per branch under the day's partition, holding what it received that Vietnam day", async () => {
    const { deps, exports } = exportDeps(dossiers);
    const report = await exportDay({ day: '2026-12-02' }, deps);
    expect(report).toEqual({
      day: '2026-12-02',
      rows: 4,
      parts: [
        { unit: HOAN_KIEM, key: 'dossier-facts/day=2026-12-02/part-000.01.01.H26.ndjson.gz', rows: 1 },
        { unit: BA_DINH, key: 'dossier-facts/day=2026-12-02/part-000.02.01.H26.ndjson.gz', rows: 3 },
      ],
    });
    expect([...exports.objects.keys()].sort()).toEqual(report.parts.map((p) => p.key).sort());
    expect(exports.objects.get(factKey('2026-12-02', BA_DINH))?.contentType).toBe('application/gzip');
    // In receipt order, each the de-identified row of its dossier.
    expect(rowsOfPart(exports, factKey('2026-12-02', BA_DINH)).map((r) => r.dossier_ref)).toEqual(
      refsOf(['000.02.01.H26-261202-0001', '000.02.01.H26-261202-0002', '000.02.01.H26-261202-0003']),
    );
    expect(rowsOfPart(exports, factKey('2026-12-02', HOAN_KIEM))).toEqual([deidentify(dossiers[3]!, KEY)]);
  });

  it("reads each branch's register book page by page between the day's bounds, every branch and page", async () => {
    const many = Array.from({ length: 5 }, (_, i) =>
      received(`000.02.01.H26-261202-000${i + 1}`, `2026-12-02T0${i + 1}:00:00.000Z`),
    );
    const { deps, books, exports } = exportDeps(many, { pageSize: 2 });
    const report = await exportDay({ day: '2026-12-02' }, deps);
    expect(report.rows).toBe(5);
    expect(rowsOfPart(exports, factKey('2026-12-02', BA_DINH))).toHaveLength(5);
    const baDinh = books.queries.filter((q) => q.unit === BA_DINH);
    expect(baDinh).toHaveLength(3);
    for (const query of books.queries) {
      expect(query).toMatchObject({
        year: 2026,
        from: '2026-12-01T17:00:00.000Z',
        until: '2026-12-02T17:00:00.000Z',
      });
    }
  });

  it('gives a branch that received nothing an empty part, so the partition has one part per branch', async () => {
    const { deps, exports } = exportDeps(dossiers);
    const report = await exportDay(
      { day: '2026-12-03' },
      { ...deps, clock: () => new Date('2026-12-03T10:00Z') },
    );
    expect(report.parts.map((p) => [p.unit, p.rows])).toEqual([
      [HOAN_KIEM, 0],
      [BA_DINH, 1],
    ]);
    expect(rowsOfPart(exports, factKey('2026-12-03', HOAN_KIEM))).toEqual([]);
  });

  it("reads a day at the start of a year from that year's book", async () => {
    const newYear = received('000.02.01.H26-270101-0001', '2026-12-31T17:30:00.000Z'); // 1 Jan 2027, 00:30 local
    const { deps, books } = exportDeps([newYear], { now: '2027-01-01T18:00:00.000Z' });
    const report = await exportDay({ day: '2027-01-01' }, deps);
    expect(report.rows).toBe(1);
    expect(books.queries.every((q) => q.year === 2027)).toBe(true);
  });

  it('writes the same bytes to the same keys when a day is exported again', async () => {
    const { deps, exports } = exportDeps(dossiers);
    await exportDay({ day: '2026-12-02' }, deps);
    const first = new Map([...exports.objects].map(([key, o]) => [key, Buffer.from(o.body).toString('hex')]));
    await exportDay({ day: '2026-12-02' }, deps);
    expect(exports.puts).toBe(4);
    expect(
      new Map([...exports.objects].map(([key, o]) => [key, Buffer.from(o.body).toString('hex')])),
    ).toEqual(first);
  });

  it('replaces a re-exported day with the dossiers as they stand now, under the same keys', async () => {
    const current = dossiers.map((d) => structuredClone(d));
    const { deps, exports } = exportDeps(current);
    await exportDay({ day: '2026-12-02' }, deps);
    const moved = current[2]!;
    moved.status = 'RESULT_READY';
    moved.result = { kind: 'documents', readyAt: '2026-12-03T04:00:00.000Z', documents: [] };
    await exportDay({ day: '2026-12-02' }, deps);
    expect(exports.objects.size).toBe(2);
    const row = rowsOfPart(exports, factKey('2026-12-02', BA_DINH)).find(
      (r) => r.dossier_ref === pseudonym(moved.code, KEY),
    );
    expect(row).toMatchObject({ status: 'RESULT_READY', finished_day: '2026-12-03', timeliness: 'early' });
  });

  it('refuses a malformed day, and a day that has not begun in Vietnam', async () => {
    const { deps, exports } = exportDeps(dossiers, { now: '2026-12-02T10:00:00.000Z' });
    await expect(exportDay({ day: '2026-02-30' }, deps)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(exportDay({ day: '2026-12-03' }, deps)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(exports.puts).toBe(0);
    // Today may be exported (a partial day, replaced by the nightly run).
    await expect(exportDay({ day: '2026-12-02' }, deps)).resolves.toMatchObject({ rows: 4 });
  });
});

describe('previousLocalDay', () => {
  it('is the Vietnam-local day before the instant: the nightly run at 00:30 exports the day that just ended', () => {
    expect(previousLocalDay(new Date('2026-12-01T17:30:00.000Z'))).toBe('2026-12-01');
    expect(previousLocalDay(new Date('2026-12-01T16:59:00.000Z'))).toBe('2026-11-30');
    expect(previousLocalDay(new Date('2026-12-31T17:30:00.000Z'))).toBe('2026-12-31');
  });
});

describe('getPartnerStats', () => {
  const agency: Caller = {
    kind: 'agency',
    agency: '000.00.33.H26',
    principalArn: 'arn:aws:iam::1:role/ward',
  };

  async function statsWith(received: { code: string; unit: string; channel: 'online' | 'counter' }[]) {
    const stats = memoryStatistics();
    for (const [i, d] of received.entries()) {
      const increment = {
        day: '2026-12-02',
        unit: d.unit,
        procedureCode: '1.001193',
        channel: d.channel,
        counters: { received: 1 },
      };
      await stats.apply(
        {
          code: d.code,
          profile: {
            code: d.code,
            unit: d.unit,
            procedureCode: '1.001193',
            channel: d.channel,
            supplementRequests: 0,
            paidOnline: false,
            finished: false,
          },
          adds: rowsOf(d.code, increment).map((row) => ({ row, counters: increment.counters })),
        },
        [{ consumer: 'statistics', eventId: `e${i}`, at: '2026-12-02T03:00:00.000Z' }],
      );
    }
    return {
      stats,
      catalogue: memoryBranches([HOAN_KIEM, BA_DINH]),
      clock: () => new Date('2026-12-03T03:00:00.000Z'),
    };
  }

  it("answers a partner agency with the center's index and every branch's counts, and nothing else", async () => {
    const deps = await statsWith([
      { code: '000.02.01.H26-261202-0001', unit: BA_DINH, channel: 'online' },
      { code: '000.02.01.H26-261202-0002', unit: BA_DINH, channel: 'counter' },
      { code: '000.01.01.H26-261202-0001', unit: HOAN_KIEM, channel: 'online' },
    ]);
    const answer = await getPartnerStats({ caller: agency, from: '2026-12-01', to: '2026-12-03' }, deps);
    expect(answer).toMatchObject({ from: '2026-12-01', to: '2026-12-03' });
    expect(answer.unit).toBeUndefined();
    expect(answer.index.counters.received).toBe(3);
    expect(answer.branches?.map((b) => [b.unit, b.counters.received])).toEqual([
      [HOAN_KIEM, 1],
      [BA_DINH, 2],
    ]);
    expect(JSON.stringify(answer)).not.toContain('261202');
  });

  it("answers for one branch with that branch's index and no comparison", async () => {
    const deps = await statsWith([{ code: '000.02.01.H26-261202-0001', unit: BA_DINH, channel: 'online' }]);
    const answer = await getPartnerStats(
      { caller: agency, unit: BA_DINH, from: '2026-12-01', to: '2026-12-03' },
      deps,
    );
    expect(answer.unit).toBe(BA_DINH);
    expect(answer.index).toMatchObject({ unit: BA_DINH, counters: { received: 1 } });
    expect(answer.branches).toBeUndefined();
  });

  it('refuses anyone but a partner agency', async () => {
    const deps = await statsWith([]);
    const citizen: Caller = { kind: 'citizen', sub: 'an', name: 'Nguyễn Văn An' };
    await expect(getPartnerStats({ caller: citizen }, deps)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
  });
});
