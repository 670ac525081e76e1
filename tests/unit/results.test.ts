// Results in the domain and its use cases: what the result is, when it is released, how it is returned, the rating.
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../shared/domain/caller';
import type { Actor, Dossier, ResultDocument } from '../../shared/domain/dossier';
import { applicantKey } from '../../shared/domain/dossier-code';
import type { DossierFees } from '../../shared/domain/payments';
import type { AgencyTask } from '../../shared/domain/tasks';
import {
  assertReleasable,
  completeRouting,
  dispatchResult,
  rate,
  rejectRouting,
  returnResult,
  stopRouting,
  withdraw,
} from '../../shared/domain/transitions';
import type { Upload } from '../../shared/ports/documents';
import { returnDossierResult } from '../../shared/usecases/dossiers/move-dossier';
import { getResult, RESULT_LINK_SECONDS } from '../../shared/usecases/results/get-result';
import { attachedResults } from '../../shared/usecases/results/result-uploads';
import { memoryIdempotency } from './fakes/memory-catalogue';
import { memoryObjectStore, memoryUploads } from './fakes/memory-documents';
import { memoryDossiers } from './fakes/memory-dossiers';
import { birthDossier } from './support/dossier';

const WARD = '000.31.01.H26';
const POLICE = '000.33.08.H26';
const at = new Date('2026-12-01T03:00:00Z');
const later = new Date('2026-12-02T03:00:00Z');

const system = {
  actor: { kind: 'system', process: 'workflow' } as Actor & { kind: 'system' },
  caller: { kind: 'system', process: 'workflow' } as Caller,
};
const officerCaller = {
  kind: 'staff',
  sub: 'sub-officer',
  name: 'Lê Văn Cường',
  roles: ['officer'],
  branch: '000.00.01.H26',
} as const satisfies Caller;
const officer = {
  actor: { kind: 'officer', sub: 'sub-officer', name: 'Lê Văn Cường', branch: '000.00.01.H26' } as Actor & {
    kind: 'officer';
  },
  caller: officerCaller as Caller,
};
const anCaller = { kind: 'citizen', sub: 'sub-citizen-an', name: 'Nguyễn Văn An' } as const satisfies Caller;
const citizen = {
  actor: { kind: 'citizen', sub: 'sub-citizen-an', name: 'Nguyễn Văn An' } as Actor & { kind: 'citizen' },
  caller: anCaller as Caller,
};
const agency = {
  actor: { kind: 'agency', agency: POLICE } as Actor & { kind: 'agency' },
  caller: { kind: 'agency', agency: POLICE, principalArn: 'arn:aws:iam::1:role/police' } as Caller,
};

const doc = (id: string, agencyId: string, stepId: string): ResultDocument => ({
  id,
  title: `Kết quả ${id}`,
  agency: agencyId,
  stepId,
  contentType: 'application/pdf',
  sizeBytes: 1200,
  sha256: `${'A'.repeat(43)}=`,
  s3Key: `documents/${id}`,
});

/** A dossier whose two stages were approved, the ward's and the police's steps each with a result document. */
function routedToTheEnd(): Dossier {
  const step = (stage: number, agencyId: string, results: ResultDocument[]) => ({
    stage,
    agency: agencyId,
    round: 1,
    workingDays: 2,
    state: 'approved' as const,
    assignedAt: at.toISOString(),
    dueAt: later.toISOString(),
    decidedAt: at.toISOString(),
    results,
  });
  return {
    ...birthDossier(),
    status: 'IN_PROGRESS',
    routing: {
      attempt: 1,
      executionName: 'x-a1',
      startedAt: at.toISOString(),
      completedStages: 2,
      stageCount: 2,
      steps: {
        's1-0': step(1, POLICE, [doc('police-1', POLICE, 's1-0')]),
        's0-0': step(0, WARD, [doc('ward-1', WARD, 's0-0'), doc('ward-2', WARD, 's0-0')]),
      },
    },
  };
}

const ready = () => completeRouting(routedToTheEnd(), system, at).dossier;
const fees = (dueWhen: DossierFees['dueWhen'], paidVnd: number): DossierFees => ({
  items: [],
  totalVnd: 50_000,
  dueWhen,
  computedAt: at.toISOString(),
  paidVnd,
  refundDueVnd: 0,
  payments: [],
});

describe('the result of a dossier', () => {
  it("is the agencies' documents, stage by stage, once the route completes", () => {
    const done = completeRouting(routedToTheEnd(), system, at);
    expect(done.dossier.status).toBe('RESULT_READY');
    expect(done.dossier.result).toMatchObject({ kind: 'documents', readyAt: at.toISOString() });
    expect(done.dossier.result!.documents.map((d) => d.id)).toEqual(['ward-1', 'ward-2', 'police-1']);
  });

  it('is the notice when an agency rejects or processing stops', () => {
    const routed = { ...routedToTheEnd(), routing: { ...routedToTheEnd().routing!, completedStages: 1 } };
    expect(rejectRouting(routed, agency, at, 'không đủ điều kiện').dossier.result).toEqual({
      kind: 'notice',
      readyAt: at.toISOString(),
      documents: [],
    });
    expect(stopRouting(routed, citizen, at, 'người nộp đề nghị dừng').dossier.result?.kind).toBe('notice');
  });

  it('is held while fees due before release are unpaid, and released once paid', () => {
    const unpaid = { ...ready(), fees: fees('before-release', 0) };
    expect(() => assertReleasable(unpaid)).toThrow(expect.objectContaining({ code: 'RESULT_NOT_RELEASED' }));
    expect(() => returnResult(unpaid, citizen, later, { method: 'electronic' })).toThrow(
      expect.objectContaining({ code: 'RESULT_NOT_RELEASED' }),
    );
    const paid = { ...ready(), fees: fees('before-release', 50_000) };
    expect(assertReleasable(paid).documents).toHaveLength(3);
    // Fees due before processing were settled long before: they never hold a result.
    expect(assertReleasable({ ...ready(), fees: fees('before-processing', 0) }).kind).toBe('documents');
  });

  it('is nothing for a withdrawn dossier, nor for one still in progress', () => {
    const withdrawn = withdraw(ready(), citizen, later, 'không cần nữa').dossier;
    expect(() => assertReleasable(withdrawn)).toThrow(expect.objectContaining({ code: 'NO_RESULT' }));
    expect(() => assertReleasable(birthDossier())).toThrow(expect.objectContaining({ code: 'NO_RESULT' }));
  });
});

describe('returning the result', () => {
  it('closes the dossier as RETURNED on the first return, and refuses a second', () => {
    const returned = returnResult(ready(), citizen, later, { method: 'electronic' });
    expect(returned.dossier.status).toBe('RETURNED');
    expect(returned.dossier.result?.returned).toEqual({ at: later.toISOString(), method: 'electronic' });
    expect(returned.events.map((e) => [e.name, e.payload])).toEqual([
      ['DossierReturned', { unit: '000.00.01.H26', procedureCode: '1.001193', method: 'electronic' }],
    ]);
    expect(() => returnResult(returned.dossier, officer, later, { method: 'post' })).toThrow(
      expect.objectContaining({ code: 'ALREADY_RETURNED' }),
    );
  });

  it('by post: dispatched first (carrier and tracking number), delivered after', () => {
    expect(() => returnResult(ready(), officer, later, { method: 'post' })).toThrow(
      expect.objectContaining({ code: 'NOT_DISPATCHED' }),
    );
    const sent = dispatchResult(ready(), officer, at, { carrier: 'VNPost', trackingNumber: 'EB123456789VN' });
    expect(sent.dossier.status).toBe('RESULT_READY');
    expect(sent.dossier.result?.dispatch).toMatchObject({ carrier: 'VNPost', by: { name: 'Lê Văn Cường' } });
    expect(sent.events[0]).toMatchObject({
      name: 'DossierResultDispatched',
      payload: { trackingNumber: 'EB123456789VN' },
    });
    const delivered = returnResult(sent.dossier, officer, later, { method: 'post' });
    expect(delivered.dossier.result?.returned).toMatchObject({ method: 'post', by: { sub: 'sub-officer' } });
  });

  it('at the counter: who collected, on what ID, on whose authorization', () => {
    const collector = {
      name: 'Trần Văn Bảo',
      idNumber: '001090099999',
      authorization: 'Giấy ủy quyền số 12',
    };
    const collected = returnResult(ready(), officer, later, { method: 'counter', collector });
    expect(collected.dossier.result?.returned).toMatchObject({ method: 'counter', collector });
  });

  it('electronically only when there are documents to download', () => {
    const paperOnly = { ...ready(), result: { ...ready().result!, documents: [] } };
    expect(() => returnResult(paperOnly, citizen, later, { method: 'electronic' })).toThrow(
      expect.objectContaining({ code: 'NOT_ELECTRONIC' }),
    );
  });
});

describe('the rating', () => {
  const returned = () => returnResult(ready(), citizen, later, { method: 'electronic' }).dossier;

  it('is taken once, after the end, with its event', () => {
    const rated = rate(returned(), citizen, later, { score: 4, comment: 'Nhanh' });
    expect(rated.dossier.rating).toEqual({ score: 4, comment: 'Nhanh', at: later.toISOString() });
    expect(rated.events[0]).toMatchObject({ name: 'DossierRated', payload: { score: 4, hasComment: true } });
    expect(() => rate(rated.dossier, citizen, later, { score: 5 })).toThrow(
      expect.objectContaining({ code: 'ALREADY_RATED' }),
    );
  });

  it('is refused before the end, and for a withdrawn dossier', () => {
    expect(() => rate(ready(), citizen, later, { score: 5 })).toThrow(
      expect.objectContaining({ code: 'NOT_ENDED' }),
    );
    const withdrawn = withdraw(ready(), citizen, later, 'không cần nữa').dossier;
    expect(() => rate(withdrawn, citizen, later, { score: 5 })).toThrow(
      expect.objectContaining({ code: 'NOT_ENDED' }),
    );
  });

  it('is taken for a rejected dossier', () => {
    const routed = { ...routedToTheEnd(), routing: { ...routedToTheEnd().routing!, completedStages: 1 } };
    const rejected = rejectRouting(routed, agency, at, 'không đủ điều kiện').dossier;
    expect(rate(rejected, citizen, later, { score: 2 }).dossier.rating?.score).toBe(2);
  });
});

describe('getting the result (use case)', () => {
  const setup = async (dossier: Dossier) => {
    const idempotency = memoryIdempotency();
    const dossiers = memoryDossiers(idempotency);
    dossiers.dossiers.set(dossier.code, structuredClone(dossier));
    const deps = { dossiers: dossiers.repository, objects: memoryObjectStore().store, clock: () => later };
    return { dossiers, deps, code: dossier.code };
  };

  it('gives the applicant short-lived links and records the first download as the return, once', async () => {
    const { dossiers, deps, code } = await setup(ready());
    const first = await getResult({ code, caller: anCaller }, deps);
    expect(first.documents.map((d) => d.title)).toEqual([
      'Kết quả ward-1',
      'Kết quả ward-2',
      'Kết quả police-1',
    ]);
    // The object store signs each link for RESULT_LINK_SECONDS from now.
    for (const d of first.documents) {
      const left = Date.parse(d.expiresAt) - Date.now();
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(RESULT_LINK_SECONDS * 1000);
    }
    expect(first).toMatchObject({ status: 'RETURNED', returned: { method: 'electronic' } });
    const again = await getResult({ code, caller: anCaller }, deps);
    expect(again.returned).toEqual(first.returned);
    expect(dossiers.events.filter((e) => e.name === 'DossierReturned')).toHaveLength(1);
  });

  it('is refused to anyone but the applicant, as if the dossier did not exist', async () => {
    const { dossiers, deps, code } = await setup(ready());
    const others: Caller[] = [
      { kind: 'citizen', sub: 'sub-citizen-binh', name: 'Trần Thị Bình', citizenId: '001185054321' },
      officerCaller,
      { ...officerCaller, branch: '000.01.01.H26' },
      agency.caller,
      { kind: 'anonymous' },
    ];
    for (const caller of others) {
      await expect(getResult({ code, caller }, deps)).rejects.toMatchObject({ code: 'DOSSIER_NOT_FOUND' });
    }
    expect(dossiers.dossiers.get(code)!.status).toBe('RESULT_READY');
  });

  it('reaches the applicant by citizen ID for a counter-filed dossier', async () => {
    const counter = {
      ...ready(),
      ownerSub: undefined,
      applicantKey: applicantKey('001090012345'),
    } as Dossier;
    const { deps, code } = await setup(counter);
    const caller: Caller = { ...anCaller, sub: 'another-account', citizenId: '001090012345' };
    expect((await getResult({ code, caller }, deps)).documents).toHaveLength(3);
  });

  it('gives the notice of a stopped dossier with its form 05', async () => {
    const routed = { ...routedToTheEnd(), routing: { ...routedToTheEnd().routing!, completedStages: 1 } };
    const { deps, code } = await setup(stopRouting(routed, citizen, at, 'người nộp đề nghị dừng').dossier);
    const notice = await getResult({ code, caller: anCaller }, deps);
    expect(notice).toMatchObject({
      status: 'STOPPED',
      kind: 'notice',
      documents: [],
      notice: { reason: 'người nộp đề nghị dừng', form: { form: '05' } },
    });
  });
});

describe('a counter return (use case)', () => {
  it('needs an authorization when the collector is not the applicant, and changes nothing without it', async () => {
    const idempotency = memoryIdempotency();
    const dossiers = memoryDossiers(idempotency);
    const dossier = { ...ready(), applicantKey: applicantKey('001090012345') };
    dossiers.dossiers.set(dossier.code, structuredClone(dossier));
    const deps = { dossiers: dossiers.repository, idempotency, clock: () => later } as never;
    const input = (collector: { name: string; idNumber: string; authorization?: string }) => ({
      code: dossier.code,
      caller: officerCaller as Caller,
      request: collector,
      how: { method: 'counter' as const, collector },
    });
    await expect(
      returnDossierResult(input({ name: 'Trần Văn Bảo', idNumber: '001090099999' }), deps),
    ).rejects.toMatchObject({ code: 'AUTHORIZATION_REQUIRED', status: 422 });
    expect(dossiers.dossiers.get(dossier.code)!.status).toBe('RESULT_READY');
    const own = await returnDossierResult(input({ name: 'Nguyễn Văn An', idNumber: '001090012345' }), deps);
    expect(own).toMatchObject({ status: 'RETURNED', result: { returned: { method: 'counter' } } });
  });

  it('is refused to an officer of another branch as if the dossier did not exist', async () => {
    const idempotency = memoryIdempotency();
    const dossiers = memoryDossiers(idempotency);
    dossiers.dossiers.set(ready().code, ready());
    const deps = { dossiers: dossiers.repository, idempotency, clock: () => later } as never;
    await expect(
      returnDossierResult(
        {
          code: ready().code,
          caller: { ...officerCaller, branch: '000.01.01.H26' },
          request: {},
          how: { method: 'post' },
        },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'DOSSIER_NOT_FOUND' });
  });
});

describe('attaching result documents to an approval', () => {
  const task = { id: 'T~s0-0~r1', agency: WARD, stepId: 's0-0' } as AgencyTask;
  const upload = (id: string, over: Partial<Upload> = {}): Upload => ({
    id,
    ownerSub: `agency:${WARD}`,
    procedureCode: '1.001193',
    requirementId: 'result',
    taskId: task.id,
    fileName: 'kq.pdf',
    contentType: 'application/pdf',
    sizeBytes: 900,
    sha256: `${'B'.repeat(43)}=`,
    s3Key: `documents/${id}`,
    status: 'VERIFIED',
    createdAt: at.toISOString(),
    expiresAt: later.toISOString(),
    ...over,
  });

  it('takes verified uploads of the deciding agency for this task, in the order given', async () => {
    const uploads = memoryUploads();
    for (const u of [upload('a'.repeat(26)), upload('b'.repeat(26))]) uploads.all.set(u.id, u);
    const docs = await attachedResults(
      task,
      [
        { uploadId: 'b'.repeat(26), title: 'Giấy khai sinh', documentType: 'giay-khai-sinh' },
        { uploadId: 'a'.repeat(26), title: 'Trích lục' },
      ],
      uploads.repository,
    );
    expect(docs.map((d) => [d.id[0], d.title, d.agency, d.stepId, d.documentType])).toEqual([
      ['b', 'Giấy khai sinh', WARD, 's0-0', 'giay-khai-sinh'],
      ['a', 'Trích lục', WARD, 's0-0', undefined],
    ]);
  });

  it("refuses another agency's upload, another task's, an unverified one and a repeated one", async () => {
    const uploads = memoryUploads();
    const cases = {
      ['c'.repeat(26)]: upload('c'.repeat(26), { ownerSub: `agency:${POLICE}` }),
      ['d'.repeat(26)]: upload('d'.repeat(26), { taskId: 'T~s1-0~r1' }),
      ['e'.repeat(26)]: upload('e'.repeat(26), { status: 'PENDING' }),
      ['f'.repeat(26)]: upload('f'.repeat(26), { ownerSub: 'sub-citizen-an', taskId: undefined }),
    };
    for (const u of Object.values(cases)) uploads.all.set(u.id, u);
    for (const id of [...Object.keys(cases), 'g'.repeat(26)]) {
      await expect(
        attachedResults(task, [{ uploadId: id, title: 'Kết quả' }], uploads.repository),
      ).rejects.toMatchObject({ code: 'RESULT_UPLOAD_INVALID', status: 422 });
    }
    uploads.all.set('h'.repeat(26), upload('h'.repeat(26)));
    const twice = { uploadId: 'h'.repeat(26), title: 'Kết quả' };
    await expect(attachedResults(task, [twice, twice], uploads.repository)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
