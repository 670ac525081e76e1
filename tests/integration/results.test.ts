// Returning results on the embedded stack, end to end: an agency uploads its signed result and attaches it to its
// approval; the applicant downloads it through 5-minute links (the first download returns the dossier) and finds it
// in their personal data store; a paper result goes by post or is collected at the counter after the identity
// check; the applicant rates once. Every refusal is tried: another citizen, another branch, an agency, no one.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBundle, demoPartners } from '../../local/demo';
import { storedEvents } from '../../scripts/stored-events';
import { dynamoDocumentClient } from '../../shared/adapters/aws';
import { dynamoStatistics } from '../../shared/adapters/dynamo/statistics';
import { dayString, localParts } from '../../shared/domain/calendar-core';
import { statisticsEvents } from '../../shared/domain/statistics';
import { rebuildStatistics } from '../../shared/usecases/stats/record-statistics';
import { eventually } from '../fixtures/workflow/client';
import { BA_DINH, paymentFlow } from './support/payments';
import { fileBundle } from './support/routing';
import { signedFetch } from './support/signed';
import { startTestStack, type TestStack } from './support/stack';
import { samplePdf } from './support/uploads';

const [ward, police, insurance] = demoPartners as [
  (typeof demoPartners)[0],
  (typeof demoPartners)[0],
  (typeof demoPartners)[0],
];
type Partner = typeof ward;
type Task = { id: string; dossierCode: string; stepId: string; round: number };
type ResultView = {
  status: string;
  kind: string;
  documents: { id: string; title: string; sha256: string; url: string; expiresAt: string }[];
  returned?: { method: string };
  dispatch?: { trackingNumber: string };
};

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(() => stack?.stop());

const partnerCall = (who: Partner, path: string, init: Parameters<typeof signedFetch>[3] = {}) =>
  signedFetch(stack.urls.gateway, path, who, init);

const openTask = (who: Partner, code: string) =>
  eventually(async () => {
    const response = await partnerCall(who, '/v1/partner/tasks?status=open&limit=100');
    const { items } = (await response.json()) as { items: Task[] };
    return items.find((task) => task.dossierCode === code);
  }, `an open task of ${who.agency} for ${code}`);

const approve = async (who: Partner, task: Task, results?: unknown[]) => {
  const response = await partnerCall(who, `/v1/partner/tasks/${encodeURIComponent(task.id)}/decision`, {
    method: 'POST',
    body: { decision: 'approve', ...(results ? { results } : {}) },
  });
  expect(response.status, await response.clone().text()).toBe(200);
};

/** The agency's signed result: declared, PUT to the presigned URL, verified. */
async function uploadResult(who: Partner, task: Task, bytes: Buffer): Promise<string> {
  const ticket = await partnerCall(who, `/v1/partner/tasks/${encodeURIComponent(task.id)}/results`, {
    method: 'POST',
    body: {
      fileName: 'giay-khai-sinh.pdf',
      contentType: 'application/pdf',
      sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('base64'),
    },
  });
  expect(ticket.status, await ticket.clone().text()).toBe(201);
  const { uploadId, upload } = (await ticket.json()) as {
    uploadId: string;
    upload: { url: string; headers: Record<string, string> };
  };
  expect((await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: bytes })).ok).toBe(true);
  // Only the agency that uploaded it may complete it.
  expect(
    (await partnerCall(police, `/v1/partner/uploads/${uploadId}/complete`, { method: 'POST' })).status,
  ).toBe(404);
  const done = await partnerCall(who, `/v1/partner/uploads/${uploadId}/complete`, { method: 'POST' });
  expect(done.status, await done.clone().text()).toBe(200);
  return uploadId;
}

/** Files the bundle, and each agency approves its step; the ward attaches `wardResults` (uploaded for its task). */
async function routedToResult(withResult: Buffer | undefined): Promise<string> {
  const code = await fileBundle(stack);
  const first = await openTask(ward, code);
  const results = withResult
    ? [
        {
          uploadId: await uploadResult(ward, first, withResult),
          title: 'Giấy khai sinh',
          documentType: 'giay-khai-sinh',
        },
      ]
    : undefined;
  await approve(ward, first, results);
  const [residence, health] = await Promise.all([openTask(police, code), openTask(insurance, code)]);
  await Promise.all([approve(police, residence), approve(insurance, health)]);
  await eventually(async () => {
    const view = (await (await stack.call(`/v1/dossiers/${code}`, { as: 'officer.badinh' })).json()) as {
      status: string;
    };
    return view.status === 'RESULT_READY' ? view : undefined;
  }, `${code} to be RESULT_READY`);
  return code;
}

const errorCode = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;
const post = (path: string, as: string, body: unknown) =>
  stack.call(path, {
    method: 'POST',
    as,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('an electronic result', () => {
  it('reaches only its applicant, through short-lived links; the first download returns it; it is rated once', async () => {
    const bytes = samplePdf(`giấy khai sinh ${Math.random()}`);
    const code = await routedToResult(bytes);
    const path = `/v1/dossiers/${code}/result`;

    // Nobody else gets it, and nothing changes: another citizen, an officer (even of the branch), an agency, no one.
    const another = await stack.call(path, { as: 'citizen.an' });
    expect([another.status, await errorCode(another)]).toEqual([404, 'DOSSIER_NOT_FOUND']);
    expect((await stack.call(path, { as: 'officer.hoankiem' })).status).toBe(403);
    expect((await stack.call(path, { as: 'officer.badinh' })).status).toBe(403);
    expect((await partnerCall(ward, path)).status).toBe(401);
    expect((await stack.call(path)).status).toBe(401);
    // Not rated before it ends.
    const early = await post(`/v1/dossiers/${code}/rating`, 'citizen.binh', { score: 5 });
    expect([early.status, await errorCode(early)]).toEqual([409, 'NOT_ENDED']);

    const response = await stack.call(path, { as: 'citizen.binh' });
    expect(response.status, await response.clone().text()).toBe(200);
    const result = (await response.json()) as ResultView;
    expect(result).toMatchObject({
      status: 'RETURNED',
      kind: 'documents',
      returned: { method: 'electronic' },
    });
    expect(result.documents.map((d) => d.title)).toEqual(['Giấy khai sinh']);
    const [document] = result.documents;
    // A 5-minute link, signed for exactly that.
    expect(new URL(document!.url).searchParams.get('X-Amz-Expires')).toBe('300');
    const downloaded = Buffer.from(await (await fetch(document!.url)).arrayBuffer());
    expect(downloaded.equals(bytes)).toBe(true);
    expect(createHash('sha256').update(downloaded).digest('base64')).toBe(document!.sha256);

    // Downloading again gives fresh links and returns nothing twice.
    const again = (await (await stack.call(path, { as: 'citizen.binh' })).json()) as ResultView;
    expect(again.returned).toEqual(result.returned);
    const view = (await (await stack.call(`/v1/dossiers/${code}`, { as: 'citizen.binh' })).json()) as {
      history: { action: string }[];
      result: { returned: { method: string } };
    };
    expect(view.history.filter((h) => h.action === 'return')).toHaveLength(1);

    // The result reaches the applicant's personal data store, for reuse in later dossiers.
    await eventually(async () => {
      const mine = await stack.call('/v1/me/documents', { as: 'citizen.binh' });
      const { items } = (await mine.json()) as { items: { requirementId: string; sourceDossier: string }[] };
      return items.find((d) => d.sourceDossier === code && d.requirementId === 'giay-khai-sinh');
    }, 'the result in the personal data store');

    // Rated once, by the applicant only.
    expect((await post(`/v1/dossiers/${code}/rating`, 'citizen.an', { score: 1 })).status).toBe(404);
    const rated = await post(`/v1/dossiers/${code}/rating`, 'citizen.binh', {
      score: 5,
      comment: 'Nhanh, gọn',
    });
    expect(rated.status, await rated.clone().text()).toBe(200);
    expect(((await rated.json()) as { rating: { score: number } }).rating.score).toBe(5);
    const twice = await post(`/v1/dossiers/${code}/rating`, 'citizen.binh', { score: 4 });
    expect([twice.status, await errorCode(twice)]).toEqual([409, 'ALREADY_RATED']);
    expect((await post(`/v1/dossiers/${code}/rating`, 'citizen.binh', { score: 6 })).status).toBe(400);
  }, 120_000);
});

describe('a paper result', () => {
  it('goes by post (dispatch, then delivery) or is collected at the counter on an identity check', async () => {
    const [byPost, atCounter] = await Promise.all([routedToResult(undefined), routedToResult(undefined)]);

    // By post: not delivered before it is dispatched; another branch's officer cannot dispatch it.
    const undelivered = await post(`/v1/dossiers/${byPost}/return`, 'officer.badinh', { method: 'post' });
    expect([undelivered.status, await errorCode(undelivered)]).toEqual([409, 'NOT_DISPATCHED']);
    const dispatch = { carrier: 'VNPost', trackingNumber: 'EB123456789VN' };
    expect((await post(`/v1/dossiers/${byPost}/dispatch`, 'officer.hoankiem', dispatch)).status).toBe(404);
    expect((await post(`/v1/dossiers/${byPost}/dispatch`, 'citizen.binh', dispatch)).status).toBe(403);
    const sent = await post(`/v1/dossiers/${byPost}/dispatch`, 'officer.badinh', dispatch);
    expect(sent.status, await sent.clone().text()).toBe(200);
    expect(((await sent.json()) as { status: string }).status).toBe('RESULT_READY');
    const tracked = (await (
      await stack.call(`/v1/dossiers/${byPost}/result`, { as: 'citizen.binh' })
    ).json()) as ResultView;
    expect(tracked).toMatchObject({
      status: 'RESULT_READY',
      documents: [],
      dispatch: { trackingNumber: 'EB123456789VN' },
    });
    const delivered = await post(`/v1/dossiers/${byPost}/return`, 'officer.badinh', { method: 'post' });
    expect(delivered.status, await delivered.clone().text()).toBe(200);
    expect(await delivered.json()).toMatchObject({
      status: 'RETURNED',
      result: { returned: { method: 'post' } },
    });
    const late = await post(`/v1/dossiers/${byPost}/return`, 'officer.badinh', { method: 'post' });
    expect([late.status, await errorCode(late)]).toEqual([409, 'ALREADY_RETURNED']);

    // At the counter: someone else collects only on a written authorization; nothing changes without one.
    const stranger = { name: 'Lê Văn Cường', idNumber: '001090099999' };
    const refused = await post(`/v1/dossiers/${atCounter}/return`, 'officer.badinh', {
      method: 'counter',
      collector: stranger,
    });
    expect([refused.status, await errorCode(refused)]).toEqual([422, 'AUTHORIZATION_REQUIRED']);
    const still = (await (
      await stack.call(`/v1/dossiers/${atCounter}`, { as: 'officer.badinh' })
    ).json()) as {
      status: string;
    };
    expect(still.status).toBe('RESULT_READY');
    const collected = await post(`/v1/dossiers/${atCounter}/return`, 'officer.badinh', {
      method: 'counter',
      collector: { name: demoBundle.applicant.fullName, idNumber: demoBundle.applicant.citizenId },
    });
    expect(collected.status, await collected.clone().text()).toBe(200);
    expect(await collected.json()).toMatchObject({
      status: 'RETURNED',
      result: { returned: { method: 'counter' } },
    });
  }, 120_000);
});

describe('a fee-bearing dossier filed online', () => {
  it('is paid through the checkout, routed, its result downloaded and rated: the whole life of one dossier', async () => {
    const flow = paymentFlow(() => stack);
    await flow.publishFeeVersion();
    const code = await flow.receivedDossier();
    // Fees due before processing: it waits, received, until they are paid.
    const waiting = (await (await stack.call(`/v1/dossiers/${code}`, { as: 'citizen.an' })).json()) as {
      status: string;
      fees: { awaitingPayment?: boolean };
    };
    expect(waiting).toMatchObject({ status: 'RECEIVED', fees: { awaitingPayment: true } });
    await flow.pay(code, `pay-${code}`);
    const task = await openTask(ward, code);
    const bytes = samplePdf(`giấy khai sinh ${code}`);
    await approve(ward, task, [
      {
        uploadId: await uploadResult(ward, task, bytes),
        title: 'Giấy khai sinh',
        documentType: 'giay-khai-sinh',
      },
    ]);
    await eventually(async () => {
      const view = (await (await stack.call(`/v1/dossiers/${code}`, { as: 'citizen.an' })).json()) as {
        status: string;
      };
      return view.status === 'RESULT_READY' ? view : undefined;
    }, `${code} to be RESULT_READY`);
    const result = (await (
      await stack.call(`/v1/dossiers/${code}/result`, { as: 'citizen.an' })
    ).json()) as ResultView;
    expect(result).toMatchObject({ status: 'RETURNED', returned: { method: 'electronic' } });
    expect(Buffer.from(await (await fetch(result.documents[0]!.url)).arrayBuffer()).equals(bytes)).toBe(true);
    const rated = await post(`/v1/dossiers/${code}/rating`, 'citizen.an', { score: 2, comment: 'Chậm' });
    expect(rated.status, await rated.clone().text()).toBe(200);
  }, 120_000);
});

describe('the statistics of these dossiers', () => {
  it('count them from the events, as the service index shows, and a rebuild from the stored events agrees', async () => {
    // The four dossiers above, all received at Ba Đình today (or yesterday, if the file ran across midnight).
    const today = dayString(localParts(new Date()).day);
    const period = `from=${dayString(localParts(new Date()).day - 1)}&to=${today}`;
    const index = await eventually(async () => {
      const read = (await (await stack.call(`/v1/stats/index?unit=${BA_DINH}&${period}`)).json()) as {
        counters: Record<string, number>;
        groups: { id: string; points?: number }[];
      };
      return read.counters.returned === 4 && read.counters.ratings === 2 ? read : undefined;
    }, 'the statistics to count the four returns and the two ratings');
    // Three bundles filed at the counter, one birth registration filed online, fee-bearing and paid online.
    expect(index.counters).toMatchObject({
      received: 4,
      verifiedFilings: 1,
      digitizedInputs: 4,
      feeBearing: 1,
      paidOnline: 1,
      finished: 4,
      finishedLate: 0,
      digitizedResults: 2,
      returned: 4,
      ratings: 2,
      ratingScoreSum: 7,
      ratingsDissatisfied: 1,
    });
    const points = Object.fromEntries(index.groups.map((g) => [g.id, g.points]));
    expect(points).toMatchObject({ progress: 20, online: 6, payment: 6 });
    const center = (await (await stack.call(`/v1/stats/index?${period}`)).json()) as typeof index;
    expect(center.counters.received).toBe(4);

    const client = dynamoDocumentClient();
    const table = process.env.TABLE_DOSSIERS!;
    const rebuilt = await rebuildStatistics(
      { events: () => storedEvents(client, table), stats: dynamoStatistics(client, table) },
      { write: false },
    );
    expect(rebuilt).toMatchObject({ dossiers: 4, differences: [] });

    // What the consumer's batches start from, in one read: every dossier's profile, and its events' marks.
    const events = [...(await storedEvents(client, table))].filter((e) =>
      (statisticsEvents as readonly string[]).includes(e.name),
    );
    const codes = [...new Set(events.map((e) => e.dossierCode))];
    const { profiles, counted } = await dynamoStatistics(client, table).read(codes, 'statistics', [
      ...events.map((e) => e.id),
      'never-delivered',
    ]);
    expect([...profiles.keys()].sort()).toEqual([...codes].sort());
    for (const stored of profiles.values()) expect(stored.rev).toBeGreaterThanOrEqual(1);
    expect(counted.has('never-delivered')).toBe(false);
    expect(counted.size).toBeGreaterThan(0);
    expect([...counted].every((id) => events.some((e) => e.id === id))).toBe(true);
  }, 120_000);
});
