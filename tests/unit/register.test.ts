// Form 07, the dossier register: which dossiers, in what order, numbered how, with which notes, and what it prints
// of the people who collected results (nothing of an ID but its last 4 digits), as JSON, CSV and PDF.
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../shared/domain/caller';
import type { Dossier } from '../../shared/domain/dossier';
import { registerBook } from '../../shared/domain/register';
import { AppError, ForbiddenError } from '../../shared/errors';
import { formatDateTime, formatDay, parseInstant, renderRegister } from '../../shared/forms/register-pdf';
import { registerCsv } from '../../shared/pages/register-csv';
import {
  dossierRegister,
  REGISTER_MAX_ROWS,
  registerPrintout,
  registerRows,
} from '../../shared/usecases/dossiers/register';
import { memoryIdempotency } from './fakes/memory-catalogue';
import { memoryDossiers } from './fakes/memory-dossiers';
import { birthDossier } from './support/dossier';

const UNIT = '000.00.01.H26';
const officer: Caller = { kind: 'staff', sub: 'o1', name: 'Lê Minh Châu', roles: ['officer'], branch: UNIT };
const TODAY = '2026-11-30';

function received(code: string, receivedAt: string, changes: Partial<Dossier> = {}): Dossier {
  return {
    ...birthDossier(code),
    receivedAt,
    deadline: {
      workingDays: 1,
      receivedAt,
      appointmentDay: '2026-11-28',
      pauses: [],
      basis: [],
      computedAt: receivedAt,
    },
    ...changes,
  };
}

const returnedAtCounter = (dossier: Dossier, at: string): Dossier => ({
  ...dossier,
  status: 'RETURNED',
  result: {
    kind: 'documents',
    readyAt: at,
    documents: [],
    returned: {
      at,
      method: 'counter',
      by: { sub: 'o1', name: 'Lê Minh Châu', branch: UNIT },
      collector: { name: 'Trần Thị Bình', idNumber: '001185054321', authorization: 'Giấy ủy quyền số 12' },
    },
  },
});

function stack(dossiers: Dossier[]) {
  const memory = memoryDossiers(memoryIdempotency());
  for (const d of dossiers) {
    void memory.repository.create(d.unit, d.code.slice(-11, -5), () => ({ dossier: d, history: [] }));
  }
  return {
    dossiers: memory.repository,
    catalogue: {
      branch: async () => ({ code: UNIT, name: { vi: 'Chi nhánh số 1', en: 'Branch 1' } }) as never,
    },
    clock: () => new Date(`${TODAY}T03:00:00Z`),
  };
}

describe('registerBook', () => {
  it('files a receipt in the book of its Vietnam-local year', () => {
    // 31 Dec 2026, 18:00 UTC is already 1 Jan 2027 in Hanoi.
    expect(registerBook(UNIT, '2026-12-31T18:00:00.000Z').label).toBe(`${UNIT}/2027`);
    expect(registerBook(UNIT, '2026-12-31T16:59:59.000Z').label).toBe(`${UNIT}/2026`);
  });
});

describe('registerRows', () => {
  it('orders the rows by receipt time, the code breaking a tie, and numbers them from 1', () => {
    const rows = registerRows(
      [
        received(`${UNIT}-261127-0003`, '2026-11-27T05:00:00.000Z'),
        received(`${UNIT}-261127-0002`, '2026-11-27T02:00:00.000Z'),
        received(`${UNIT}-261127-0001`, '2026-11-27T02:00:00.000Z'),
      ],
      TODAY,
    );
    expect(rows.map((r) => [r.no, r.code.slice(-4)])).toEqual([
      [1, '0001'],
      [2, '0002'],
      [3, '0003'],
    ]);
  });

  it('leaves out a dossier never received', () => {
    const submitted = { ...birthDossier(), status: 'SUBMITTED' as const, receivedAt: undefined };
    expect(registerRows([submitted], TODAY)).toEqual([]);
  });

  it('counts one set, and names the procedure and the applicant', () => {
    const [row] = registerRows([received(`${UNIT}-261127-0001`, '2026-11-27T02:00:00.000Z')], TODAY);
    expect(row).toMatchObject({
      sets: 1,
      procedure: { code: '1.001193', name: 'Đăng ký khai sinh' },
      applicant: { name: 'Nguyễn Văn An' },
      appointmentDay: '2026-11-28',
    });
  });

  it('notes supplements, rejections, stops and withdrawals with their reasons', () => {
    const base = received(`${UNIT}-261127-0001`, '2026-11-27T02:00:00.000Z');
    const kinds = (d: Dossier) => registerRows([d], '2026-11-27')[0]!.notes;
    expect(
      kinds({ ...base, deadline: { ...base.deadline!, pauses: [{ from: 'a', to: 'b' }, { from: 'c' }] } }),
    ).toEqual([{ kind: 'supplement', vi: 'Yêu cầu bổ sung hồ sơ (2 lần)', en: 'Supplement requested (2×)' }]);
    expect(
      kinds({ ...base, status: 'REJECTED', rejection: { reason: 'Sai thẩm quyền', agency: 'X', at: 'x' } }),
    ).toEqual([
      { kind: 'rejected', vi: 'Từ chối giải quyết: Sai thẩm quyền', en: 'Rejected: Sai thẩm quyền' },
    ]);
    expect(kinds({ ...base, status: 'STOPPED', stop: { reason: 'Theo đề nghị', at: 'x' } })[0]!.kind).toBe(
      'stopped',
    );
    expect(kinds({ ...base, status: 'WITHDRAWN', withdrawal: { reason: 'Nộp nhầm', at: 'x' } })[0]).toEqual({
      kind: 'withdrawn',
      vi: 'Công dân rút hồ sơ: Nộp nhầm',
      en: 'Withdrawn by the applicant: Nộp nhầm',
    });
  });

  it('notes an open dossier past its appointment day, and a result returned after it, as overdue', () => {
    const open = received(`${UNIT}-261127-0001`, '2026-11-27T02:00:00.000Z');
    expect(registerRows([open], '2026-11-28')[0]!.notes).toEqual([]);
    expect(registerRows([open], '2026-11-29')[0]!.notes.map((n) => n.kind)).toEqual(['overdue']);
    // Returned on the 28th, local time (the 27th 23:30 UTC is the 28th 06:30 in Hanoi): on time.
    expect(registerRows([returnedAtCounter(open, '2026-11-27T23:30:00.000Z')], TODAY)[0]!.notes).toEqual([]);
    expect(
      registerRows([returnedAtCounter(open, '2026-11-28T17:30:00.000Z')], TODAY)[0]!.notes.map((n) => n.kind),
    ).toEqual(['overdue']);
  });

  it("records the return: when, the giving officer, the collector's name and only the last 4 digits of the ID", () => {
    const dossier = returnedAtCounter(
      received(`${UNIT}-261127-0001`, '2026-11-27T02:00:00.000Z'),
      '2026-11-27T09:00:00.000Z',
    );
    const [row] = registerRows([dossier], TODAY);
    expect(row!.returned).toEqual({
      at: '2026-11-27T09:00:00.000Z',
      method: 'counter',
      giver: 'Lê Minh Châu',
      receiver: { name: 'Trần Thị Bình', idLast4: '4321', authorization: 'Giấy ủy quyền số 12' },
    });
    expect(JSON.stringify(row)).not.toContain('001185054321');
  });
});

describe('dossierRegister', () => {
  const dossiers = [
    received(`${UNIT}-261127-0001`, '2026-11-27T02:00:00.000Z'),
    // 30 Nov 17:30 UTC is 1 Dec in Hanoi: outside a period ending on 30 Nov.
    received(`${UNIT}-261130-0001`, '2026-11-30T17:30:00.000Z'),
    received(`${UNIT}-261126-0001`, '2026-11-25T17:00:00.000Z'),
  ];

  it('reads the days of the period in Vietnam time, in receipt order', async () => {
    const register = await dossierRegister(
      { unit: UNIT, from: '2026-11-26', to: '2026-11-30', caller: officer },
      stack(dossiers),
    );
    expect(register).toMatchObject({ unit: UNIT, unitName: 'Chi nhánh số 1', book: `${UNIT}/2026` });
    expect(register.rows.map((r) => r.code)).toEqual([`${UNIT}-261126-0001`, `${UNIT}-261127-0001`]);
  });

  it("refuses another branch's officer, an account without a branch and a citizen with 403", async () => {
    const deps = stack(dossiers);
    const ask = (caller: Caller) =>
      dossierRegister({ unit: UNIT, from: '2026-11-26', to: '2026-11-30', caller }, deps);
    await expect(ask({ ...officer, branch: '000.00.02.H26' } as Caller)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(ask({ kind: 'staff', sub: 'a', name: 'A', roles: ['admin'] })).rejects.toMatchObject({
      code: 'NO_BRANCH_SCOPE',
    });
    await expect(ask({ kind: 'citizen', sub: 'c', name: 'C' })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('asks for one calendar year (one book) at a time', async () => {
    const refused = dossierRegister(
      { unit: UNIT, from: '2026-12-01', to: '2027-01-31', caller: officer },
      stack(dossiers),
    );
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({ code: 'REGISTER_PERIOD_TOO_LONG', status: 422 });
  });

  it(`refuses more than ${REGISTER_MAX_ROWS} rows with 422, reading page by page`, async () => {
    let pages = 0;
    const item = received(`${UNIT}-261127-0001`, '2026-11-27T02:00:00.000Z');
    const deps = {
      ...stack([]),
      dossiers: {
        async listReceived() {
          pages += 1;
          return { items: Array.from({ length: 500 }, () => item), nextCursor: 'more' };
        },
      },
    };
    await expect(
      dossierRegister({ unit: UNIT, from: '2026-01-01', to: '2026-12-31', caller: officer }, deps),
    ).rejects.toMatchObject({ code: 'REGISTER_TOO_LARGE', status: 422 });
    expect(pages).toBe(REGISTER_MAX_ROWS / 500 + 1);
  });
});

describe('registerCsv', () => {
  const csvOf = async (dossiers: Dossier[]) =>
    registerCsv(
      await dossierRegister(
        { unit: UNIT, from: '2026-11-27', to: '2026-11-27', caller: officer },
        stack(dossiers),
      ),
    );

  it('starts with the BOM and ends every line with CRLF, the form header row before the rows', async () => {
    const csv = await csvOf([received(`${UNIT}-261127-0001`, '2026-11-27T02:00:00.000Z')]);
    expect(csv.startsWith('\uFEFFMẫu số 07,SỔ THEO DÕI HỒ SƠ\r\n')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    const header = lines.findIndex((l) => l.startsWith('STT,'));
    expect(lines[header + 1]).toMatch(
      new RegExp(
        `^1,${UNIT.replace(/\./g, '\\.')}-261127-0001,Đăng ký khai sinh \\(1\\.001193\\),1,Nguyễn Văn An,`,
      ),
    );
    expect(lines[header + 1]).toContain(',2026-11-27T09:00:00+07:00,2026-11-28,');
  });

  it('quotes commas and quotes, and defuses cells that start like a formula', async () => {
    const dossier = received(`${UNIT}-261127-0001`, '2026-11-27T02:00:00.000Z', {
      applicant: {
        fullName: '=HYPERLINK("http://x")',
        citizenId: '001090012345',
        address: 'Số 1, phố "Hàng Bạc"',
        phone: '+84901234567',
      },
    });
    const csv = await csvOf([returnedAtCounter(dossier, '2026-11-27T09:00:00.000Z')]);
    expect(csv).toContain(`,"'=HYPERLINK(""http://x"")",`);
    expect(csv).toContain(',"Số 1, phố ""Hàng Bạc""; +84901234567",');
    expect(csv).toContain(',Trần Thị Bình (giấy tờ tùy thân …4321) theo ủy quyền: Giấy ủy quyền số 12,');
    expect(csv).not.toContain('001185054321');
  });
});

describe('renderRegister', () => {
  it('prints the title, the book, the period and each row in Vietnamese on landscape A4', async () => {
    const dossier = returnedAtCounter(
      received(`${UNIT}-261127-0001`, '2026-11-27T02:00:00.000Z'),
      '2026-11-27T09:00:00.000Z',
    );
    const register = await dossierRegister(
      { unit: UNIT, from: '2026-11-27', to: '2026-11-27', caller: officer },
      stack([dossier]),
    );
    const pdf = await renderRegister(
      registerPrintout(register, new Date('2026-11-30T03:00:00Z'), {
        time: (iso) => formatDateTime(parseInstant(iso, 't')),
        day: (day) => formatDay(day, 'd'),
      }),
    );
    const proxy = await getDocumentProxy(pdf.slice());
    const page = await proxy.getPage(1);
    const [, , width, height] = page.view;
    expect(width).toBeGreaterThan(height!);
    const { text } = await extractText(proxy, { mergePages: true });
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of [
      'SỔ THEO DÕI HỒ SƠ',
      `Sổ: ${UNIT}/2026`,
      'Từ ngày 27/11/2026 đến ngày 27/11/2026',
      'Nguyễn Văn An',
      'Trần Thị Bình',
      '…4321',
      'Mẫu số 07',
    ]) {
      expect(flat).toContain(expected);
    }
    expect(flat.replace(/\s/g, '')).toContain(`${UNIT}-261127-0001`);
    expect(flat).not.toContain('001185054321');
  });
});
