import { describe, expect, it } from 'vitest';
import { pdfForms } from '../../shared/adapters/pdf-forms';
import type { Caller } from '../../shared/domain/caller';
import type { Dossier } from '../../shared/domain/dossier';
import { parseEvent } from '../../shared/domain/events';
import { AppError, ConflictError } from '../../shared/errors';
import type { ReceiptSlipInput } from '../../shared/forms/types';
import type { PersonalDocument, Upload } from '../../shared/ports/documents';
import type { FormRenderer } from '../../shared/ports/form-renderer';
import { feedPersonalStore } from '../../shared/usecases/documents/feed-personal-store';
import type { FilingDeps } from '../../shared/usecases/dossiers/deps';
import { fileDossier } from '../../shared/usecases/dossiers/file-dossier';
import { type GetFormDeps, getForm } from '../../shared/usecases/dossiers/get-form';
import {
  receiveDossier,
  refuseDossier,
  requestSupplement,
  supplementDossier,
  withdrawDossier,
} from '../../shared/usecases/dossiers/move-dossier';
import { getDossier, listDue, trackDossier } from '../../shared/usecases/dossiers/read-dossiers';
import { memoryCatalogue } from './fakes/memory-catalogue';
import { memoryObjectStore, memoryPersonalDocuments, memoryUploads } from './fakes/memory-documents';
import { memoryDossiers } from './fakes/memory-dossiers';
import { asVersions, seed } from './fixtures';

const an: Caller = { kind: 'citizen', sub: 'sub-an', name: 'Nguyễn Văn An', citizenId: '001090012345' };
const binh: Caller = {
  kind: 'citizen',
  sub: 'sub-binh',
  name: 'Trần Thị Bình',
  citizenId: '001185054321',
};
const officer: Caller = {
  kind: 'staff',
  sub: 'sub-o',
  name: 'Lê Minh Châu',
  roles: ['officer'],
  branch: '000.02.01.H26',
};
const otherOfficer: Caller = {
  kind: 'staff',
  sub: 'sub-o2',
  name: 'Phạm Dũng',
  roles: ['officer'],
  branch: '000.01.01.H26',
};
const answers = {
  childFullName: 'Khang',
  childDateOfBirth: '2026-11-20',
  childSex: 'Nam',
  placeOfBirth: 'Hà Nội',
  relationship: 'Cha',
};

/** What the personal-store consumer writes from the events the transitions emitted (the transitions write none). */
async function fedToStore(dossiers: ReturnType<typeof memoryDossiers>, deps: FilingDeps) {
  const stored: PersonalDocument[] = [];
  const feed = {
    add: async (documents: PersonalDocument[]) => {
      stored.push(...documents);
      return 'added' as const;
    },
  };
  for (const event of dossiers.events) {
    if (event.name !== 'DossierReceived' && event.name !== 'DossierSupplemented') continue;
    await feedPersonalStore(event as Parameters<typeof feedPersonalStore>[0], {
      dossiers: deps.dossiers,
      catalogue: deps.catalogue,
      feed,
      clock: () => new Date(event.at),
    });
  }
  return stored;
}

async function setup(now = new Date('2026-11-23T02:00:00Z')) {
  const catalogue = memoryCatalogue();
  for (const p of asVersions()) await catalogue.repository.publish(p, 'seed');
  await catalogue.repository.putBranches(seed.branches);
  const uploads = memoryUploads(catalogue.idempotency);
  const personal = memoryPersonalDocuments();
  const objects = memoryObjectStore();
  const dossiers = memoryDossiers(catalogue.idempotency);
  const rendered: string[] = [];
  const slips: ReceiptSlipInput[] = [];
  let clock = now;
  const deps: FilingDeps = {
    dossiers: dossiers.repository,
    catalogue: catalogue.repository,
    uploads: uploads.repository,
    personal: personal.store,
    objects: objects.store,
    idempotency: catalogue.idempotency,
    clock: () => clock,
  };
  const renderer: FormRenderer = {
    receiptSlip: async (input) => {
      rendered.push(`01 ${input.appointmentDay}`);
      slips.push(input);
      return new Uint8Array(Buffer.from(`slip 01 ${input.appointmentDay}`));
    },
    supplementRequest: async () => {
      rendered.push('02');
      return new Uint8Array([2]);
    },
    refusal: async () => {
      rendered.push('03');
      return new Uint8Array([3]);
    },
    apology: async () => {
      rendered.push('04');
      return new Uint8Array([4]);
    },
    stopNotice: async () => {
      rendered.push('05');
      return new Uint8Array([5]);
    },
    controlSlip: async () => {
      rendered.push('06');
      return new Uint8Array([6]);
    },
  };
  const formDeps = (forms = renderer): GetFormDeps => ({
    dossiers: dossiers.repository,
    catalogue: catalogue.repository,
    objects: objects.store,
    forms,
    publicBaseUrl: 'https://motcua.test',
  });
  const download = (code: string, form: '01' | '02' | '03', caller: Caller = an) =>
    getForm({ code, form, caller }, formDeps());
  /** The keys of the form PDFs stored so far. */
  const formObjects = () => [...objects.objects.keys()].filter((key) => key.includes('/forms/'));
  const upload = async (owner: string, requirementId: string, status: Upload['status'] = 'VERIFIED') => {
    const id = `up${Math.random().toString(36).slice(2, 12)}`;
    await uploads.repository.create({
      id,
      ownerSub: owner,
      procedureCode: '1.001193',
      requirementId,
      fileName: `${requirementId}.pdf`,
      contentType: 'application/pdf',
      sizeBytes: 100,
      sha256: 'x',
      s3Key: `documents/${id}`,
      status,
      createdAt: now.toISOString(),
      expiresAt: now.toISOString(),
    });
    objects.receive(`documents/${id}`, Buffer.from('%PDF-1.4'), 'application/pdf');
    return id;
  };
  const request = async (owner = 'sub-an') => ({
    procedureCode: '1.001193',
    unit: '000.02.01.H26',
    applicant: { fullName: 'Nguyễn Văn An', citizenId: '001090012345' },
    answers,
    documents: [
      {
        requirementId: 'to-khai-dang-ky-khai-sinh',
        uploadId: await upload(owner, 'to-khai-dang-ky-khai-sinh'),
      },
      { requirementId: 'giay-chung-sinh', uploadId: await upload(owner, 'giay-chung-sinh') },
      { requirementId: 'cccd', uploadId: await upload(owner, 'cccd') },
    ],
  });
  return {
    deps,
    formDeps,
    download,
    formObjects,
    dossiers,
    objects,
    rendered,
    slips,
    upload,
    request,
    setClock: (at: Date) => (clock = at),
  };
}

describe('fileDossier', () => {
  it('files a complete online dossier as SUBMITTED with a code of the unit and day', async () => {
    const { deps, request, dossiers, objects } = await setup();
    const answer = await fileDossier({ request: await request(), caller: an }, deps);
    expect(answer).toMatchObject({
      code: '000.02.01.H26-261123-0001',
      status: 'SUBMITTED',
      channel: 'online',
    });
    // Its files are filed where no expiry rule reaches them.
    const documents = dossiers.dossiers.get(answer.code)!.documents;
    expect(documents.every((d) => d.s3Key === `filed/${d.documentId}` && objects.objects.has(d.s3Key))).toBe(
      true,
    );
  });

  it('refuses a citizen whose account has no verified ID, or who files for someone else', async () => {
    const { deps, request } = await setup();
    const unverified: Caller = { kind: 'citizen', sub: 'x', name: 'X' };
    await expect(fileDossier({ request: await request(), caller: unverified }, deps)).rejects.toMatchObject({
      code: 'IDENTITY_NOT_VERIFIED',
    });
    await expect(
      fileDossier({ request: await request('sub-binh'), caller: binh }, deps),
    ).rejects.toMatchObject({ code: 'APPLICANT_MISMATCH', status: 403 });
  });

  it('refuses uploads that are not verified or not the caller’s', async () => {
    const { deps, request, upload } = await setup();
    const body = await request();
    body.documents[0]!.uploadId = await upload('sub-an', 'to-khai-dang-ky-khai-sinh', 'PENDING');
    body.documents[1]!.uploadId = await upload('sub-binh', 'giay-chung-sinh');
    await expect(fileDossier({ request: body, caller: an }, deps)).rejects.toMatchObject({
      code: 'INVALID_DOCUMENTS',
      details: [expect.objectContaining({ index: 0 }), expect.objectContaining({ index: 1 })],
    });
  });

  it('asks for a new upload when a verified file has expired before filing', async () => {
    const { deps, request, objects } = await setup();
    const body = await request();
    objects.objects.delete(`documents/${body.documents[1]!.uploadId}`);
    await expect(fileDossier({ request: body, caller: an }, deps)).rejects.toMatchObject({
      status: 400,
      code: 'INVALID_DOCUMENTS',
      details: [
        expect.objectContaining({
          requirementId: 'giay-chung-sinh',
          problem: 'the verified file has expired',
        }),
      ],
    });
  });

  it('refuses the same document listed twice', async () => {
    const { deps, request } = await setup();
    const body = await request();
    body.documents.push({ requirementId: 'cccd', uploadId: body.documents[2]!.uploadId });
    await expect(fileDossier({ request: body, caller: an }, deps)).rejects.toMatchObject({
      code: 'INVALID_DOCUMENTS',
      details: [expect.objectContaining({ index: 3, problem: 'this document is already listed' })],
    });
  });

  it('lists missing documents and answers and ill-typed answers', async () => {
    const { deps, request } = await setup();
    const body = {
      ...(await request()),
      documents: [],
      answers: { childFullName: 'Khang', childSex: 'Khác', extra: 1 },
    };
    await expect(fileDossier({ request: body, caller: an }, deps)).rejects.toMatchObject({
      code: 'INCOMPLETE_DOSSIER',
      status: 422,
      details: {
        missingDocuments: expect.arrayContaining([
          expect.objectContaining({ requirementId: 'giay-chung-sinh' }),
        ]),
        missingAnswers: expect.arrayContaining([expect.objectContaining({ question: 'childDateOfBirth' })]),
        invalidAnswers: expect.arrayContaining([
          expect.objectContaining({ question: 'childSex' }),
          expect.objectContaining({ question: 'extra' }),
        ]),
      },
    });
  });

  it('receives a counter intake at once, with a deadline and form 01 recorded but not rendered', async () => {
    const { deps, request, rendered, formObjects, download } = await setup();
    const body = await request('sub-o');
    const answer = await fileDossier({ request: body, caller: officer }, deps);
    expect(answer).toMatchObject({
      status: 'RECEIVED',
      channel: 'counter',
      deadline: { appointmentDay: '2026-11-23' },
      forms: [{ form: '01', href: `/v1/dossiers/${encodeURIComponent(answer.code)}/forms/01` }],
    });
    expect(rendered).toEqual([]);
    expect(formObjects()).toEqual([]);
    // The officer prints it at the counter: the first download renders it.
    expect(Buffer.from(await download(answer.code, '01', officer)).toString()).toBe('slip 01 2026-11-23');
    expect(formObjects()).toEqual([`dossiers/${answer.code}/forms/01-v1.pdf`]);
  });

  it('refuses an officer filing at another branch', async () => {
    const { deps, request } = await setup();
    await expect(
      fileDossier({ request: await request('sub-o2'), caller: otherOfficer }, deps),
    ).rejects.toMatchObject({ code: 'OUTSIDE_BRANCH' });
  });
});

describe('intake and the applicant’s moves', () => {
  it('computes the appointment day at receipt and keeps reusable documents for the citizen', async () => {
    const { deps, request, dossiers } = await setup();
    const body = await fileDossier({ request: await request(), caller: an }, deps);
    const received = await receiveDossier({ code: body.code, caller: officer, request: null }, deps);
    expect(received).toMatchObject({
      status: 'RECEIVED',
      deadline: { appointmentDay: '2026-11-23', workingDays: 0 },
    });
    expect((await fedToStore(dossiers, deps)).map((d) => d.requirementId)).toEqual(['cccd']);
  });

  it('emits one validated event per committed transition, with the caller kind and the dossier version', async () => {
    const { deps, request, dossiers } = await setup();
    const first = await fileDossier({ request: await request(), caller: an }, deps);
    await receiveDossier({ code: first.code, caller: officer, request: null }, deps);
    await requestSupplement(
      { code: first.code, caller: officer, request: {}, items: [{ name: 'Bản sao CCCD', reason: 'Mờ' }] },
      deps,
    );
    const second = await fileDossier({ request: await request(), caller: an }, deps);
    await withdrawDossier({ code: second.code, caller: an, request: {}, reason: 'Nộp nhầm' }, deps);
    expect(dossiers.events.map((e) => [e.name, e.dossierCode, e.dossierVersion, e.caller.kind])).toEqual([
      ['DossierFiled', first.code, 1, 'citizen'],
      ['DossierReceived', first.code, 2, 'officer'],
      ['DossierSupplementRequested', first.code, 3, 'officer'],
      ['DossierFiled', second.code, 1, 'citizen'],
      ['DossierWithdrawn', second.code, 2, 'citizen'],
    ]);
    const received = dossiers.events[1]!;
    expect(parseEvent(received)).toEqual(received);
    expect(received.payload).toMatchObject({ appointmentDay: '2026-11-23', procedureCode: '1.001193' });
    expect(new Set(dossiers.events.map((e) => e.id)).size).toBe(5);
    expect(JSON.stringify(dossiers.events)).not.toContain('001090012345');
  });

  it('hides a dossier from officers of other branches and other citizens', async () => {
    const { deps, request, download } = await setup();
    const body = await fileDossier({ request: await request(), caller: an }, deps);
    await expect(
      receiveDossier({ code: body.code, caller: otherOfficer, request: null }, deps),
    ).rejects.toMatchObject({ status: 404 });
    await expect(getDossier(body.code, binh, deps)).rejects.toMatchObject({ status: 404 });
    await expect(
      withdrawDossier({ code: body.code, caller: binh, request: {}, reason: 'x' }, deps),
    ).rejects.toMatchObject({ status: 404 });
    await receiveDossier({ code: body.code, caller: officer, request: null }, deps);
    await expect(download(body.code, '01', binh)).rejects.toMatchObject({ status: 404 });
  });

  it('pauses at a supplement request and moves the appointment day by the paused working time', async () => {
    const { deps, request, setClock } = await setup(new Date('2026-03-02T02:00:00Z'));
    // A three-day version of the procedure: received Monday 09:00, due Thursday.
    const birth = (await deps.catalogue.procedure('1.001193'))!;
    await deps.catalogue.publish({ ...birth, version: 2, processingTime: { workingDays: 3 } }, 'admin');
    const body = await fileDossier({ request: await request(), caller: an }, deps);
    const received = await receiveDossier({ code: body.code, caller: officer, request: null }, deps);
    expect(received).toMatchObject({ deadline: { appointmentDay: '2026-03-05' } });
    setClock(new Date('2026-03-03T03:00:00Z'));
    const asked = await requestSupplement(
      {
        code: body.code,
        caller: officer,
        request: {},
        items: [{ name: 'Giấy chứng sinh', reason: 'mờ' }],
      },
      deps,
    );
    expect(asked).toMatchObject({ status: 'SUPPLEMENT_REQUESTED', deadline: { paused: true } });
    setClock(new Date('2026-03-04T08:00:00Z'));
    const resumed = await supplementDossier(
      { code: body.code, caller: an, request: {}, documents: [], answers: {} },
      deps,
    );
    // Due Thursday 09:00; Tue 10:00 – Wed 15:00 paused is 14 working hours: due Friday 14:00.
    expect(resumed).toMatchObject({
      status: 'RECEIVED',
      deadline: { paused: false, appointmentDay: '2026-03-06' },
    });
    const deadline = (resumed as { deadline: { pauses: { to?: string }[] } }).deadline;
    expect(deadline.pauses[0]?.to).toBe('2026-03-04T08:00:00.000Z');
  });

  /** Files and receives a three-day birth registration at `receivedAt`, asks for a supplement, supplies it. */
  async function pauseAndResume(
    receivedAt: Date,
    pause: { from: Date; to: Date },
    options: {
      counter?: boolean;
      fees?: { id: string; name: { vi: string; en: string }; amountVnd: number }[];
    } = {},
  ) {
    const context = await setup(receivedAt);
    const { deps, request, setClock, download } = context;
    const birth = (await deps.catalogue.procedure('1.001193'))!;
    await deps.catalogue.publish(
      {
        ...birth,
        version: 2,
        processingTime: { workingDays: 3 },
        ...(options.fees ? { fees: options.fees } : {}),
      },
      'admin',
    );
    let code: string;
    if (options.counter) {
      code = (await fileDossier({ request: await request('sub-o'), caller: officer }, deps)).code;
    } else {
      code = (await fileDossier({ request: await request(), caller: an }, deps)).code;
      await receiveDossier({ code, caller: officer, request: null }, deps);
    }
    // The officer prints each form as it is issued.
    await download(code, '01', officer);
    setClock(pause.from);
    await requestSupplement(
      { code, caller: officer, request: {}, items: [{ name: 'Giấy chứng sinh', reason: 'mờ' }] },
      deps,
    );
    await download(code, '02', officer);
    setClock(pause.to);
    const resumed = await supplementDossier(
      { code, caller: an, request: {}, documents: [], answers: {} },
      deps,
    );
    return { ...context, code, resumed };
  }

  it('gives the citizen a new slip 01 and notes the change when a supplement pause moves the appointment day', async () => {
    // Received Wed 2 Dec 2026 16:00, due Mon 7 Dec 16:00; 1 h 30 paused on Thursday makes it Tue 8 Dec 08:30.
    const { deps, code, resumed, rendered, slips, download, formObjects } = await pauseAndResume(
      new Date('2026-12-02T09:00:00Z'),
      { from: new Date('2026-12-03T02:00:00Z'), to: new Date('2026-12-03T03:30:00Z') },
    );
    expect(resumed).toMatchObject({ deadline: { paused: false, appointmentDay: '2026-12-08' } });
    // The supplement records the new slip; its download renders it under the key of the new version.
    const slip = await download(code, '01');
    expect(rendered).toEqual(['01 2026-12-07', '02', '01 2026-12-08']);
    expect(formObjects()).toEqual([
      `dossiers/${code}/forms/01-v2.pdf`,
      `dossiers/${code}/forms/02-v3.pdf`,
      `dossiers/${code}/forms/01-v4.pdf`,
    ]);
    // The new slip is signed by the officer who received the dossier, not by the citizen who supplied it.
    expect(slips.at(-1)).toMatchObject({
      appointmentDay: '2026-12-08',
      officer: { fullName: 'Lê Minh Châu' },
    });
    expect(resumed.forms).toContainEqual(
      expect.objectContaining({ form: '01', at: '2026-12-03T03:30:00.000Z' }),
    );
    expect(Buffer.from(slip).toString()).toBe('slip 01 2026-12-08');
    const { history } = await getDossier(code, an, deps);
    expect(history?.at(-1)).toMatchObject({
      action: 'supplement',
      reason: expect.stringContaining('Appointment day changed from 2026-12-07 to 2026-12-08'),
    });
  });

  it('issues no new slip and notes nothing when a 6-second pause leaves the appointment day', async () => {
    // Received Wed 2 Dec 2026 11:33, due Mon 7 Dec 11:33; 6 s paused makes it 11:33:06, the same day.
    const { deps, code, resumed, rendered, download } = await pauseAndResume(
      new Date('2026-12-02T04:33:00Z'),
      { from: new Date('2026-12-02T07:00:00Z'), to: new Date('2026-12-02T07:00:06Z') },
    );
    expect(resumed).toMatchObject({ deadline: { paused: false, appointmentDay: '2026-12-07' } });
    // The slip in the citizen's hands is still the one served, as stored: nothing is rendered again.
    expect(Buffer.from(await download(code, '01')).toString()).toBe('slip 01 2026-12-07');
    expect(rendered).toEqual(['01 2026-12-07', '02']);
    const { history } = await getDossier(code, an, deps);
    expect(history?.at(-1)).toMatchObject({ action: 'supplement' });
    expect(history?.at(-1)).not.toHaveProperty('reason');
  });

  it('prints the fees of the first counter slip on the re-issued one', async () => {
    const fee = { id: 'le-phi', name: { vi: 'Lệ phí', en: 'Fee' }, amountVnd: 8000 };
    const { slips, code, download } = await pauseAndResume(
      new Date('2026-12-02T09:00:00Z'),
      { from: new Date('2026-12-03T02:00:00Z'), to: new Date('2026-12-03T03:30:00Z') },
      { counter: true, fees: [fee] },
    );
    await download(code, '01');
    expect(slips.map((slip) => [slip.appointmentDay, slip.feesVnd])).toEqual([
      ['2026-12-07', 8000],
      ['2026-12-08', 8000],
    ]);
  });

  it('keeps a reusable document supplied after receipt in the personal data store', async () => {
    const { deps, request, upload, dossiers } = await setup();
    const body = await request();
    body.documents.pop();
    const filed = await fileDossier({ request: body, caller: an }, deps);
    await receiveDossier({ code: filed.code, caller: officer, request: null }, deps);
    expect(await fedToStore(dossiers, deps)).toEqual([]);
    await requestSupplement(
      { code: filed.code, caller: officer, request: {}, items: [{ name: 'CCCD', reason: 'thiếu' }] },
      deps,
    );
    const cccd = await upload('sub-an', 'cccd');
    await supplementDossier(
      {
        code: filed.code,
        caller: an,
        request: {},
        documents: [{ requirementId: 'cccd', uploadId: cccd }],
        answers: {},
      },
      deps,
    );
    expect((await fedToStore(dossiers, deps)).map((d) => d.id)).toEqual([cccd]);
  });

  it('leaves supplement requests on a routed dossier to the deciding agency', async () => {
    const { deps, request, dossiers } = await setup();
    const body = await fileDossier({ request: await request(), caller: an }, deps);
    await receiveDossier({ code: body.code, caller: officer, request: null }, deps);
    dossiers.dossiers.get(body.code)!.status = 'IN_PROGRESS';
    await expect(
      requestSupplement(
        { code: body.code, caller: officer, request: {}, items: [{ name: 'x', reason: 'y' }] },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'INVALID_TRANSITION', status: 409 });
  });

  it('replays a retried move with the same key instead of failing on the new status', async () => {
    const { deps, request } = await setup();
    const body = await fileDossier({ request: await request(), caller: an }, deps);
    const first = await receiveDossier(
      { code: body.code, caller: officer, request: null, idempotencyKey: 'receive-0001' },
      deps,
    );
    const again = await receiveDossier(
      { code: body.code, caller: officer, request: null, idempotencyKey: 'receive-0001' },
      deps,
    );
    expect(again).toEqual(first);
    await expect(
      receiveDossier({ code: body.code, caller: officer, request: null }, deps),
    ).rejects.toMatchObject({ status: 409 });
  });
});

describe('reads', () => {
  it('tracks with the right key only, and shows nothing personal', async () => {
    const { deps, request } = await setup();
    const body = await fileDossier({ request: await request(), caller: an }, deps);
    const tracked = await trackDossier(body.code, body.lookupKey, deps);
    expect(JSON.stringify(tracked)).not.toMatch(/Nguyễn|001090012345/);
    await expect(trackDossier(body.code, 'ZZZZZZZZ', deps)).rejects.toMatchObject({ status: 404 });
  });

  it('lists a branch’s dossiers due by a day', async () => {
    const { deps, request } = await setup();
    const body = await fileDossier({ request: await request(), caller: an }, deps);
    await receiveDossier({ code: body.code, caller: officer, request: null }, deps);
    expect((await listDue(officer, '2026-11-23', { limit: 10 }, deps)).items.map((d) => d.code)).toEqual([
      body.code,
    ]);
    expect((await listDue(officer, '2026-11-22', { limit: 10 }, deps)).items).toEqual([]);
  });

  it('lists what is due today or overdue when no day is given', async () => {
    const { deps, request } = await setup();
    const body = await fileDossier({ request: await request(), caller: an }, deps);
    await receiveDossier({ code: body.code, caller: officer, request: null }, deps);
    const due = (await deps.dossiers.get(body.code))!.deadline!.appointmentDay;
    const at = (day: string) => ({ ...deps, clock: () => new Date(`${day}T02:00:00Z`) });
    expect((await listDue(officer, undefined, { limit: 10 }, at(due))).items.map((d) => d.code)).toEqual([
      body.code,
    ]);
    const before = new Date(Date.parse(`${due}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect((await listDue(officer, undefined, { limit: 10 }, at(before))).items).toEqual([]);
  });

  it('re-issues a form whose stored object was lost', async () => {
    const { deps, request, objects, download } = await setup();
    const body = await fileDossier({ request: await request(), caller: an }, deps);
    await receiveDossier({ code: body.code, caller: officer, request: null }, deps);
    await download(body.code, '01');
    objects.objects.clear();
    const again = await download(body.code, '01');
    expect(Buffer.from(again).toString()).toBe('slip 01 2026-11-23');
  });
});

describe('forms off the hot path', () => {
  it('renders nothing and writes no form object inside a move', async () => {
    const { deps, request, rendered, formObjects } = await setup();
    const body = await fileDossier({ request: await request(), caller: an }, deps);
    const received = await receiveDossier({ code: body.code, caller: officer, request: null }, deps);
    const asked = await requestSupplement(
      { code: body.code, caller: officer, request: {}, items: [{ name: 'Giấy chứng sinh', reason: 'Mờ' }] },
      deps,
    );
    const other = await fileDossier({ request: await request(), caller: an }, deps);
    await refuseDossier({ code: other.code, caller: officer, request: {}, reason: 'Sai thẩm quyền' }, deps);
    expect(received.forms.map((f) => f.form)).toEqual(['01']);
    expect(asked.forms.map((f) => f.form)).toEqual(['01', '02']);
    expect(rendered).toEqual([]);
    expect(formObjects()).toEqual([]);
  });

  it('leaves no PDF behind when the move loses a version race', async () => {
    const { deps, request, formObjects, objects } = await setup();
    const body = await fileDossier({ request: await request(), caller: an }, deps);
    const before = objects.objects.size;
    const racing: FilingDeps = {
      ...deps,
      dossiers: {
        ...deps.dossiers,
        update: async () => {
          throw new ConflictError('The dossier changed meanwhile', 'VERSION_CONFLICT');
        },
      },
    };
    await expect(
      receiveDossier({ code: body.code, caller: officer, request: null }, racing),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    expect(formObjects()).toEqual([]);
    expect(objects.objects.size).toBe(before);
  });

  it('plans a move again on the dossier as it is now when another writer committed in between', async () => {
    const { deps, request } = await setup();
    const body = await fileDossier({ request: await request(), caller: an }, deps);
    let updates = 0;
    const once: FilingDeps = {
      ...deps,
      dossiers: {
        ...deps.dossiers,
        update: async (change) => {
          updates += 1;
          if (updates === 1) throw new ConflictError('The dossier changed meanwhile', 'VERSION_CONFLICT');
          return deps.dossiers.update(change);
        },
      },
    };
    const received = await receiveDossier({ code: body.code, caller: officer, request: null }, once);
    expect(updates).toBe(2);
    expect(received.status).toBe('RECEIVED');
    const { history } = (await deps.dossiers.getWithHistory(body.code))!;
    expect(history.filter((h) => h.action === 'receive')).toHaveLength(1);
  });

  it('checks the rules again when it plans again: a receipt that lost to a withdrawal is refused as one', async () => {
    const { deps, request } = await setup();
    const body = await fileDossier({ request: await request(), caller: an }, deps);
    let updates = 0;
    const overtaken: FilingDeps = {
      ...deps,
      dossiers: {
        ...deps.dossiers,
        update: async (change) => {
          updates += 1;
          // The citizen withdraws between the officer's read and write: the officer's write then meets its version.
          if (updates === 1) {
            await withdrawDossier(
              { code: body.code, caller: an, request: {}, reason: 'Không cần nữa' },
              deps,
            );
          }
          return deps.dossiers.update(change);
        },
      },
    };
    const refused = await receiveDossier(
      { code: body.code, caller: officer, request: null },
      overtaken,
    ).catch((error: unknown) => error);
    const direct = await receiveDossier({ code: body.code, caller: officer, request: null }, deps).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).not.toBe('VERSION_CONFLICT');
    expect(refused).toMatchObject({ code: (direct as AppError).code, status: (direct as AppError).status });
    expect(updates).toBe(1);
    expect((await deps.dossiers.get(body.code))!.status).toBe('WITHDRAWN');
  });

  it('renders on first download, keyed by dossier version and form, and serves the stored PDF after', async () => {
    const { deps, request, rendered, formObjects, download } = await setup();
    const body = await fileDossier({ request: await request(), caller: an }, deps);
    await receiveDossier({ code: body.code, caller: officer, request: null }, deps);
    const first = await download(body.code, '01');
    const second = await download(body.code, '01', officer);
    expect(Buffer.from(second)).toEqual(Buffer.from(first));
    expect(rendered).toEqual(['01 2026-11-23']);
    expect(formObjects()).toEqual([`dossiers/${body.code}/forms/01-v2.pdf`]);
    await expect(download(body.code, '02')).rejects.toMatchObject({ code: 'FORM_NOT_ISSUED', status: 404 });
  });

  it('prints a slip from the facts recorded when it was issued, not from the dossier as it is now', async () => {
    const { deps, request, upload, slips, download, setClock } = await setup();
    const birth = (await deps.catalogue.procedure('1.001193'))!;
    await deps.catalogue.publish({ ...birth, version: 2, processingTime: { workingDays: 3 } }, 'admin');
    const body = await request();
    body.documents.pop();
    const filed = await fileDossier({ request: body, caller: an }, deps);
    await receiveDossier({ code: filed.code, caller: officer, request: null }, deps);
    await requestSupplement(
      { code: filed.code, caller: officer, request: {}, items: [{ name: 'Bản sao CCCD', reason: 'Thiếu' }] },
      deps,
    );
    setClock(new Date('2026-11-23T02:00:05Z'));
    const cccd = await upload('sub-an', 'cccd');
    await supplementDossier(
      {
        code: filed.code,
        caller: an,
        request: {},
        documents: [{ requirementId: 'cccd', uploadId: cccd }],
        answers: {},
      },
      deps,
    );
    // First printed only now: the slip lists the two documents received, not the one supplied later.
    await download(filed.code, '01');
    expect(slips.at(-1)).toMatchObject({
      issuedAt: '2026-11-23T02:00:00.000Z',
      receivedAt: '2026-11-23T02:00:00.000Z',
      appointmentDay: '2026-11-27',
      officer: { fullName: 'Lê Minh Châu' },
    });
    expect(slips.at(-1)?.documents).toHaveLength(2);
  });

  it('gives the same bytes for the same dossier version, QR code and tracking URL included', async () => {
    const { deps, request, objects, formDeps } = await setup();
    const body = await fileDossier({ request: await request(), caller: an }, deps);
    await receiveDossier({ code: body.code, caller: officer, request: null }, deps);
    const real = formDeps(pdfForms);
    const first = await getForm({ code: body.code, form: '01', caller: an }, real);
    objects.objects.clear();
    const again = await getForm({ code: body.code, form: '01', caller: an }, real);
    expect(Buffer.from(first.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(Buffer.from(again)).toEqual(Buffer.from(first));
  });

  it('renders a form recorded before facts were kept from the dossier, signed by its receiving officer', async () => {
    const { deps, request, dossiers, slips, download } = await setup();
    const body = await fileDossier({ request: await request(), caller: an }, deps);
    await receiveDossier({ code: body.code, caller: officer, request: null }, deps);
    const stored: Dossier = dossiers.dossiers.get(body.code)!;
    stored.forms = stored.forms.map(({ form, key, at }) => ({ form, key, at }) as Dossier['forms'][number]);
    await download(body.code, '01');
    expect(slips.at(-1)).toMatchObject({
      appointmentDay: '2026-11-23',
      officer: { fullName: 'Lê Minh Châu' },
    });
  });
});
