// Forms 04–06 from the routing record: what a move records (overdue notice, stop, hand-offs) and what a download prints.

import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { pdfForms } from '../../shared/adapters/pdf-forms';
import type { Caller } from '../../shared/domain/caller';
import type { Dossier } from '../../shared/domain/dossier';
import type { Handoff, OverdueNotice } from '../../shared/domain/routing';
import type { ApologyInput, ControlSlipInput, StopNoticeInput } from '../../shared/forms/types';
import type { FormRenderer } from '../../shared/ports/form-renderer';
import {
  type FormDeps,
  formKey,
  issuedForm,
  renderIssued,
  withForm,
} from '../../shared/usecases/dossiers/forms';
import { type GetFormDeps, getForm } from '../../shared/usecases/dossiers/get-form';
import { memoryCatalogue } from './fakes/memory-catalogue';
import { memoryObjectStore } from './fakes/memory-documents';
import { seed } from './fixtures';

const UNIT = '000.02.01.H26';
const POLICE = '000.33.08.H26';
const INSURANCE = '000.00.09.H26';
const UNLISTED = '000.99.99.H26';
const desk = { kind: 'branch', id: UNIT } as const;
const police = { kind: 'agency', id: POLICE } as const;
const insurance = { kind: 'agency', id: INSURANCE } as const;

const handoffs: Handoff[] = [
  {
    at: '2026-11-23T03:00:00.000Z',
    giver: desk,
    receiver: police,
    stepId: 's0-0',
    dueAt: '2026-11-25T10:00:00.000Z',
  },
  {
    at: '2026-11-24T08:00:00.000Z',
    giver: police,
    receiver: desk,
    stepId: 's0-0',
    dueAt: '2026-11-25T10:00:00.000Z',
    result: 'early',
    note: 'Đã xác minh nơi cư trú',
  },
  {
    at: '2026-11-24T09:00:00.000Z',
    giver: desk,
    receiver: insurance,
    stepId: 's1-0',
    dueAt: '2026-11-26T10:00:00.000Z',
  },
  {
    at: '2026-11-27T02:00:00.000Z',
    giver: insurance,
    receiver: desk,
    stepId: 's1-0',
    dueAt: '2026-11-26T10:00:00.000Z',
    result: 'late',
  },
];

const overdue: OverdueNotice[] = [
  {
    at: '2026-11-25T10:00:00.000Z',
    stepId: 's0-0',
    agency: POLICE,
    reason: 'Chưa có kết quả xác minh.',
    previousAppointmentDay: '2026-11-26',
    newAppointmentDay: '2026-11-30',
  },
  {
    at: '2026-11-26T10:00:00.000Z',
    stepId: 's1-0',
    agency: INSURANCE,
    reason: 'Hệ thống cấp thẻ bảo hiểm y tế gián đoạn, chưa cấp được thẻ.',
    previousAppointmentDay: '2026-11-30',
    newAppointmentDay: '2026-12-03',
  },
];

function dossier(changes: Partial<Dossier> = {}): Dossier {
  return {
    code: `${UNIT}-261123-0007`,
    lookupKey: 'K7Q2-9XMP',
    procedure: {
      code: '3.000722',
      version: 1,
      name: { vi: 'Liên thông đăng ký khai sinh, thường trú, cấp thẻ bảo hiểm y tế', en: 'Birth bundle' },
      processingDays: 5,
    },
    unit: UNIT,
    channel: 'online',
    applicant: {
      fullName: 'Nguyễn Văn An',
      citizenId: '001090012345',
      address: 'Số 8 phố Kim Mã, phường Ba Đình',
    },
    applicantKey: 'applicant-key',
    ownerSub: 'sub-an',
    answers: {},
    documents: [],
    status: 'IN_PROGRESS',
    version: 9,
    historyCount: 9,
    submittedAt: '2026-11-23T01:00:00.000Z',
    receivedAt: '2026-11-23T02:00:00.000Z',
    receivedBy: { sub: 'sub-o', name: 'Lê Minh Châu' },
    deadline: {
      workingDays: 5,
      receivedAt: '2026-11-23T02:00:00.000Z',
      appointmentDay: '2026-12-03',
      pauses: [],
      basis: [],
      computedAt: '2026-11-26T10:00:00.000Z',
    },
    routing: {
      attempt: 1,
      executionName: 'x-a1',
      startedAt: '2026-11-23T03:00:00.000Z',
      completedStages: 2,
      stageCount: 2,
      handoffs,
      overdue,
    },
    forms: [],
    updatedAt: '2026-11-27T02:00:00.000Z',
    ...changes,
  };
}

const at = new Date('2026-11-27T03:00:00.000Z');
const an: Caller = { kind: 'citizen', sub: 'sub-an', name: 'Nguyễn Văn An' };

async function catalogue() {
  const memory = memoryCatalogue();
  await memory.repository.putBranches(seed.branches);
  await memory.repository.putAgencies(seed.agencies);
  return memory.repository;
}

/** A renderer that keeps what it was asked to print. */
function capturing() {
  const seen: { apology?: ApologyInput; stop?: StopNoticeInput; control?: ControlSlipInput } = {};
  const forms: FormRenderer = {
    ...pdfForms,
    apology: async (input) => {
      seen.apology = input;
      return new Uint8Array([4]);
    },
    stopNotice: async (input) => {
      seen.stop = input;
      return new Uint8Array([5]);
    },
    controlSlip: async (input) => {
      seen.control = input;
      return new Uint8Array([6]);
    },
  };
  return { forms, seen };
}

async function renderDeps(forms: FormRenderer): Promise<FormDeps> {
  return { catalogue: await catalogue(), forms, publicBaseUrl: 'https://motcua.test' };
}

async function pdfText(pdf: Uint8Array): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(pdf.slice()), { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

describe('issuing form 04', () => {
  it('records the latest overdue notice: agency, step, reason and both appointment days', () => {
    const issued = issuedForm('04', dossier(), 'Lê Minh Châu', at);

    expect(issued).toEqual({
      form: '04',
      key: formKey(dossier().code, '04', 9),
      at: at.toISOString(),
      facts: {
        officer: 'Lê Minh Châu',
        at: '2026-11-26T10:00:00.000Z',
        agency: INSURANCE,
        stepId: 's1-0',
        reason: 'Hệ thống cấp thẻ bảo hiểm y tế gián đoạn, chưa cấp được thẻ.',
        receivedAt: '2026-11-23T02:00:00.000Z',
        previousAppointmentDay: '2026-11-30',
        newAppointmentDay: '2026-12-03',
      },
    });
  });

  it('names no signer when the workflow issues it', () => {
    expect(issuedForm('04', dossier(), '', at).facts).not.toHaveProperty('officer');
  });

  it('refuses to issue it for a dossier that was never overdue', () => {
    const routing = { ...dossier().routing!, overdue: [] };

    expect(() => withForm(dossier({ routing }), '04', '', at)).toThrow(/overdue/);
  });
});

describe('issuing form 05', () => {
  const stop = { reason: 'Người nộp hồ sơ đề nghị dừng giải quyết.', at: '2026-11-26T04:00:00.000Z' };

  it('records the stop reason and time, and whose request it was', () => {
    const issued = issuedForm('05', dossier({ status: 'STOPPED', stop }), '', at, {
      stop: { requestedBy: 'applicant', legalBasis: 'Điều 21 Nghị định số 118/2025/NĐ-CP' },
    });

    expect(issued.facts).toEqual({
      at: stop.at,
      reason: stop.reason,
      requestedBy: 'applicant',
      legalBasis: 'Điều 21 Nghị định số 118/2025/NĐ-CP',
    });
  });

  it('refuses to issue it for a dossier that has not stopped', () => {
    expect(() => issuedForm('05', dossier(), '', at)).toThrow(/stop/);
  });
});

describe('issuing form 06', () => {
  it('appends a record whose rows are the hand-offs at this version', () => {
    const before = dossier();
    const after = withForm(before, '06', 'Lê Minh Châu', at);

    expect(after.forms).toHaveLength(1);
    expect(after.forms[0]).toMatchObject({
      form: '06',
      key: formKey(before.code, '06', 9),
      facts: { receivedAt: before.receivedAt, appointmentDay: '2026-12-03', rows: handoffs },
    });
  });

  it('keeps its rows when the dossier records more hand-offs later', () => {
    // A copy of its own: the dossier's later changes must not reach the fixtures either.
    const issued = withForm(structuredClone(dossier()), '06', '', at);
    const routing = issued.routing!;
    routing.handoffs!.push({ ...handoffs[0]!, at: '2026-11-28T02:00:00.000Z' });
    routing.handoffs![0]!.giver.id = 'changed';

    const [record] = issued.forms;
    if (record?.form !== '06') throw new Error('form 06 was not recorded');
    expect(record.facts?.rows).toHaveLength(4);
    expect(record.facts?.rows[0]?.giver.id).toBe(UNIT);
  });

  it('records an empty table for a dossier not yet handed over', () => {
    const { handoffs: _, ...routing } = dossier().routing!;
    const issued = issuedForm('06', dossier({ routing }), '', at);

    expect(issued.facts).toMatchObject({ rows: [] });
  });
});

describe('rendering forms 04–06 from their records', () => {
  it('names the late agency of form 04 from the catalogue', async () => {
    const { forms, seen } = capturing();
    const record = issuedForm('04', dossier(), 'Lê Minh Châu', at);

    await renderIssued(record, dossier(), await renderDeps(forms));

    expect(seen.apology).toMatchObject({
      lateAgency: 'Bảo hiểm xã hội thành phố Hà Nội',
      previousAppointmentDay: '2026-11-30',
      newAppointmentDay: '2026-12-03',
      officer: { fullName: 'Lê Minh Châu' },
      unit: { name: 'Chi nhánh số 2 – Ba Đình' },
    });
  });

  it('prints an agency the catalogue does not know by its code', async () => {
    const { forms, seen } = capturing();
    const notice = { ...overdue[1]!, agency: UNLISTED };
    const routed = dossier({ routing: { ...dossier().routing!, overdue: [notice] } });

    await renderIssued(issuedForm('04', routed, '', at), routed, await renderDeps(forms));

    expect(seen.apology?.lateAgency).toBe(UNLISTED);
  });

  it('names the agency that asked form 05 to stop', async () => {
    const { forms, seen } = capturing();
    const stopped = dossier({
      status: 'STOPPED',
      stop: { reason: 'Cơ quan công an đề nghị dừng.', at: at.toISOString() },
    });
    const record = issuedForm('05', stopped, '', at, { stop: { requestedBy: 'agency', agency: POLICE } });

    await renderIssued(record, stopped, await renderDeps(forms));

    expect(seen.stop).toMatchObject({
      stoppedAt: at.toISOString(),
      reason: 'Cơ quan công an đề nghị dừng.',
      requestedBy: 'agency',
      requestingAgency: 'Công an phường Ba Đình',
    });
  });

  it('names both parties of every form 06 row and lists the resolving agencies in route order', async () => {
    const { forms, seen } = capturing();
    const unknown = { ...handoffs[0]!, receiver: { kind: 'agency' as const, id: UNLISTED } };
    const routed = dossier({ routing: { ...dossier().routing!, handoffs: [...handoffs, unknown] } });

    await renderIssued(issuedForm('06', routed, '', at), routed, await renderDeps(forms));

    expect(seen.control?.resolvingUnits).toEqual([
      'Công an phường Ba Đình',
      'Bảo hiểm xã hội thành phố Hà Nội',
      UNLISTED,
    ]);
    expect(seen.control?.rows.map((r) => [r.giver, r.receiver, r.result ?? null])).toEqual([
      ['Chi nhánh số 2 – Ba Đình', 'Công an phường Ba Đình', null],
      ['Công an phường Ba Đình', 'Chi nhánh số 2 – Ba Đình', 'early'],
      ['Chi nhánh số 2 – Ba Đình', 'Bảo hiểm xã hội thành phố Hà Nội', null],
      ['Bảo hiểm xã hội thành phố Hà Nội', 'Chi nhánh số 2 – Ba Đình', 'late'],
      ['Chi nhánh số 2 – Ba Đình', UNLISTED, null],
    ]);
    expect(seen.control?.rows[1]?.note).toBe('Đã xác minh nơi cư trú');
  });
});

describe('getForm for forms 04–06', () => {
  async function setup(current: Dossier) {
    const objects = memoryObjectStore();
    const stored = new Map([[current.code, current]]);
    const deps: GetFormDeps = {
      ...(await renderDeps(pdfForms)),
      dossiers: { get: async (code) => structuredClone(stored.get(code)) },
      objects: objects.store,
    };
    return { deps, objects, stored };
  }

  it('prints form 04 with the reason and both appointment days', async () => {
    const current = withForm(dossier(), '04', 'Lê Minh Châu', at);
    const { deps } = await setup(current);

    const text = await pdfText(await getForm({ code: current.code, form: '04', caller: an }, deps));

    expect(text).toContain('Hệ thống cấp thẻ bảo hiểm y tế gián đoạn, chưa cấp được thẻ.');
    expect(text).toContain('Thời gian hẹn trả kết quả: ngày 30/11/2026');
    expect(text).toContain('Thời gian hẹn lại trả kết quả: ngày 03/12/2026');
    expect(text).toContain('Cơ quan, đơn vị giải quyết chậm: Bảo hiểm xã hội thành phố Hà Nội');
  });

  it('prints form 05 with the stop reason', async () => {
    const stop = { reason: 'Người nộp hồ sơ đề nghị dừng giải quyết.', at: '2026-11-26T04:00:00.000Z' };
    const current = withForm(dossier({ status: 'STOPPED', stop }), '05', '', at, {
      stop: { requestedBy: 'applicant' },
    });
    const { deps } = await setup(current);

    const text = await pdfText(await getForm({ code: current.code, form: '05', caller: an }, deps));

    expect(text).toContain('THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ');
    expect(text).toContain('Người nộp hồ sơ đề nghị dừng giải quyết.');
    expect(text).toContain('Thời gian dừng giải quyết: 11:00 ngày 26/11/2026');
    expect(text).toContain('Theo đề nghị của: Ông/Bà Nguyễn Văn An');
  });

  it('prints every hand-off of form 06 with its named parties and result word, and stores the PDF', async () => {
    const current = withForm(dossier(), '06', '', at);
    const { deps, objects } = await setup(current);

    const pdf = await getForm({ code: current.code, form: '06', caller: an }, deps);
    const text = await pdfText(pdf);

    for (const expected of [
      'Mã hồ sơ: 000.02.01.H26-261123-0007',
      'Thời gian tiếp nhận hồ sơ: 09:00 ngày 23/11/2026',
      'Thời gian hẹn trả kết quả: ngày 03/12/2026',
      '1 Giao: Chi nhánh số 2 – Ba Đình Nhận: Công an phường Ba Đình 10:00 ngày 23/11/2026',
      '2 Giao: Công an phường Ba Đình Nhận: Chi nhánh số 2 – Ba Đình 15:00 ngày 24/11/2026 (hạn 17:00 ngày 25/11/2026) Trước hạn Đã xác minh nơi cư trú',
      '3 Giao: Chi nhánh số 2 – Ba Đình Nhận: Bảo hiểm xã hội thành phố Hà Nội 16:00 ngày 24/11/2026',
      '4 Giao: Bảo hiểm xã hội thành phố Hà Nội Nhận: Chi nhánh số 2 – Ba Đình 09:00 ngày 27/11/2026 (hạn 17:00 ngày 26/11/2026) Quá hạn',
    ]) {
      expect(text).toContain(expected);
    }
    expect(objects.objects.get(formKey(current.code, '06', 9))?.body.equals(Buffer.from(pdf))).toBe(true);
  });

  it('serves the latest form 06, whose rows are those of its own version', async () => {
    const first = withForm(
      dossier({ routing: { ...dossier().routing!, handoffs: handoffs.slice(0, 2) } }),
      '06',
      '',
      at,
    );
    const later = { ...first, version: 11, routing: { ...first.routing!, handoffs } };
    const current = withForm(later, '06', '', new Date('2026-11-27T04:00:00.000Z'));
    const { deps } = await setup(current);

    const text = await pdfText(await getForm({ code: current.code, form: '06', caller: an }, deps));

    expect(current.forms.map((f) => f.key)).toEqual([
      formKey(current.code, '06', 9),
      formKey(current.code, '06', 11),
    ]);
    expect(text).toContain('4 Giao: Bảo hiểm xã hội thành phố Hà Nội');
  });

  it('is downloadable by the unit’s officer, as the dossier is', async () => {
    const current = withForm(dossier(), '06', '', at);
    const { deps } = await setup(current);
    const officer: Caller = {
      kind: 'staff',
      sub: 'sub-o',
      name: 'Lê Minh Châu',
      roles: ['officer'],
      branch: UNIT,
    };

    const pdf = await getForm({ code: current.code, form: '06', caller: officer }, deps);

    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  });

  it.each<[string, Caller]>([
    [
      'another citizen',
      { kind: 'citizen', sub: 'sub-binh', name: 'Trần Thị Bình', citizenId: '001185054321' },
    ],
    [
      'an officer of another branch',
      { kind: 'staff', sub: 'o2', name: 'Phạm Dũng', roles: ['officer'], branch: '000.01.01.H26' },
    ],
    [
      'an agency of the route',
      { kind: 'agency', agency: POLICE, principalArn: 'arn:aws:iam::1:role/police' },
    ],
  ])('hides form 06 from %s, as it hides the dossier', async (_, caller) => {
    const current = withForm(dossier(), '06', '', at);
    const { deps, objects } = await setup(current);

    await expect(getForm({ code: current.code, form: '06', caller }, deps)).rejects.toMatchObject({
      code: 'DOSSIER_NOT_FOUND',
      status: 404,
    });
    expect(objects.objects.size).toBe(0);
  });

  it('answers FORM_NOT_ISSUED for a form 06 never issued', async () => {
    const { deps } = await setup(dossier());

    await expect(getForm({ code: dossier().code, form: '06', caller: an }, deps)).rejects.toMatchObject({
      code: 'FORM_NOT_ISSUED',
      status: 404,
    });
  });
});
