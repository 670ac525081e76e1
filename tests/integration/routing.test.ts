// Inter-agency routing on the embedded stack, end to end: a counter-filed under-6 bundle is routed as soon as it is
// received, each agency decides its task through signed partner calls, and the dossier ends RESULT_READY with every
// hand-off recorded (form 06); a rejection in a parallel stage closes the route, and a supplement request pauses the
// clock and brings the step back to its agency as a new task. Everything runs on the real local services: DynamoDB
// Local and its stream, the S3 emulator, the local workflow service running the definition CDK synthesizes.
import { randomUUID } from 'node:crypto';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPartners } from '../../local/demo';
import { eventually, sfnClient } from '../fixtures/workflow/client';
import { fileBundle } from './support/routing';
import { signedFetch } from './support/signed';
import { startTestStack, type TestStack } from './support/stack';

const [ward, police, insurance] = demoPartners as [
  (typeof demoPartners)[0],
  (typeof demoPartners)[0],
  (typeof demoPartners)[0],
];

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(() => stack?.stop());

type Task = { id: string; dossierCode: string; stepId: string; round: number; status: string };
type View = { code: string; status: string; deadline?: { pauses: { from: string; to?: string }[] } };

const partnerCall = (who: typeof ward, path: string, init: Parameters<typeof signedFetch>[3] = {}) =>
  signedFetch(stack.urls.gateway, path, who, init);

/** The agency's open task for the dossier, once the workflow has assigned it. */
const openTask = (who: typeof ward, code: string, round = 1) =>
  eventually(async () => {
    const response = await partnerCall(who, '/v1/partner/tasks?status=open&limit=100');
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: Task[] };
    return items.find((task) => task.dossierCode === code && task.round === round);
  }, `an open task of ${who.agency} for ${code}`);

const decide = (who: typeof ward, id: string, body: unknown, key?: string) =>
  partnerCall(who, `/v1/partner/tasks/${encodeURIComponent(id)}/decision`, {
    method: 'POST',
    body,
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });

const dossier = async (code: string) =>
  (await (await stack.call(`/v1/dossiers/${code}`, { as: 'officer.badinh' })).json()) as View & {
    history: { action: string; actor: { kind: string } }[];
  };

const statusOf = (code: string, status: string) =>
  eventually(async () => {
    const view = await dossier(code);
    return view.status === status ? view : undefined;
  }, `${code} to be ${status}`);

describe('routing a received dossier through its agencies', () => {
  it('goes through three agencies deciding by signed calls, to RESULT_READY with every hand-off on form 06', async () => {
    const code = await fileBundle(stack);
    await statusOf(code, 'IN_PROGRESS');

    const first = await openTask(ward, code);
    expect(first.stepId).toBe('s0-0');
    // Only the stage's agency has it: the next stage's agencies are not asked yet, and cannot read it.
    const others = await partnerCall(police, '/v1/partner/tasks?limit=100');
    expect(((await others.json()) as { items: Task[] }).items.some((t) => t.dossierCode === code)).toBe(
      false,
    );
    const foreign = await partnerCall(police, `/v1/partner/tasks/${encodeURIComponent(first.id)}`);
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('TASK_NOT_FOUND');
    expect((await decide(police, first.id, { decision: 'approve' })).status).toBe(404);

    const detail = await partnerCall(ward, `/v1/partner/tasks/${encodeURIComponent(first.id)}`);
    expect(detail.status).toBe(200);
    const seen = (await detail.json()) as { applicant: { fullName: string }; documents: { url: string }[] };
    expect(seen.applicant.fullName).toBe('Trần Thị Bình');
    expect(seen.documents).toHaveLength(2);
    // The links open the filed documents, for a short while only.
    const document = await fetch(seen.documents[0]!.url);
    expect(document.status).toBe(200);
    expect((await document.text()).startsWith('%PDF')).toBe(true);

    const key = randomUUID();
    const approved = await decide(
      ward,
      first.id,
      { decision: 'approve', note: 'Đã cấp giấy khai sinh' },
      key,
    );
    expect(approved.status).toBe(200);
    const answer = (await approved.json()) as { task: Task; delivered: boolean };
    expect(answer.task.status).toBe('decided');
    // The same key replays the first answer; a second decision is refused and changes nothing.
    expect(
      (await decide(ward, first.id, { decision: 'approve', note: 'Đã cấp giấy khai sinh' }, key)).status,
    ).toBe(200);
    const again = await decide(ward, first.id, { decision: 'reject', reason: 'Đổi ý' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('TASK_CLOSED');

    const [residence, health] = await Promise.all([openTask(police, code), openTask(insurance, code)]);
    expect([residence.stepId, health.stepId].sort()).toEqual(['s1-0', 's1-1']);
    const both = await Promise.all([
      decide(police, residence.id, { decision: 'approve' }),
      decide(insurance, health.id, { decision: 'approve' }),
    ]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);

    const done = await statusOf(code, 'RESULT_READY');
    const actions = done.history.map((h) => h.action);
    expect(actions.filter((a) => a === 'decideStep')).toHaveLength(3);
    expect(actions.filter((a) => a === 'completeStage')).toHaveLength(2);
    expect(actions.at(-1)).toBe('approveAll');
    // Form 06 lists every hand-off: desk → agency and back, three times, with its result against the step's budget.
    const slip = await stack.call(`/v1/dossiers/${code}/forms/06`, { as: 'officer.badinh' });
    expect(slip.status).toBe(200);
    expect(slip.headers.get('content-type')).toContain('application/pdf');
    const routed = (
      await DynamoDBDocumentClient.from(stack.clients.dynamodb).send(
        new GetCommand({ TableName: process.env.TABLE_DOSSIERS, Key: { pk: `DOSSIER#${code}`, sk: 'META' } }),
      )
    ).Item?.data as { routing: { handoffs: { giver: { kind: string }; result?: string }[] } };
    expect(routed.routing.handoffs).toHaveLength(6);
    expect(routed.routing.handoffs.filter((h) => h.giver.kind === 'agency').every((h) => h.result)).toBe(
      true,
    );
  });

  it('closes the route when an agency of a parallel stage rejects: REJECTED with its reason, the other task expired', async () => {
    const code = await fileBundle(stack);
    const first = await openTask(ward, code);
    expect((await decide(ward, first.id, { decision: 'approve' })).status).toBe(200);
    const [residence, health] = await Promise.all([openTask(police, code), openTask(insurance, code)]);
    const rejected = await decide(police, residence.id, {
      decision: 'reject',
      reason: 'Địa chỉ thường trú không có thật',
    });
    expect(rejected.status).toBe(200);
    await statusOf(code, 'REJECTED');
    const late = await decide(insurance, health.id, { decision: 'approve' });
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('TASK_EXPIRED');
  });

  it('pauses the clock on an agency’s supplement request and brings the step back as a new task after it', async () => {
    const code = await fileBundle(stack);
    const first = await openTask(ward, code);
    const asked = await decide(ward, first.id, {
      decision: 'request-supplement',
      items: [{ name: 'Giấy chứng sinh', reason: 'Bản chụp bị mờ' }],
    });
    expect(asked.status).toBe(200);
    const waiting = await statusOf(code, 'SUPPLEMENT_REQUESTED');
    expect(waiting.deadline?.pauses.at(-1)?.to).toBeUndefined();
    // Form 02 tells the applicant what the agency asks for.
    expect((await stack.call(`/v1/dossiers/${code}/forms/02`, { as: 'officer.badinh' })).status).toBe(200);

    const supplied = await stack.call(`/v1/dossiers/${code}/supplements`, {
      method: 'POST',
      as: 'citizen.binh',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ answers: { motherFullName: 'Trần Thị Bình' } }),
    });
    expect(supplied.status, await supplied.clone().text()).toBe(200);
    const back = await openTask(ward, code, 2);
    expect(back.stepId).toBe('s0-0');
    const resumed = await dossier(code);
    expect(resumed.status).toBe('IN_PROGRESS');
    expect(resumed.deadline?.pauses.at(-1)?.to).toBeDefined();
    expect((await decide(ward, back.id, { decision: 'approve' })).status).toBe(200);
    await openTask(police, code);
  });

  it('stops at the applicant’s request: the waiting agency is released, STOPPED with form 05', async () => {
    const code = await fileBundle(stack);
    const first = await openTask(ward, code);
    const stop = await stack.call(`/v1/dossiers/${code}/stop-request`, {
      method: 'POST',
      as: 'citizen.binh',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'Gia đình chuyển nơi cư trú' }),
    });
    expect(stop.status).toBe(202);
    expect(await stop.json()).toEqual({ code, stopping: 1 });
    await statusOf(code, 'STOPPED');
    expect((await stack.call(`/v1/dossiers/${code}/forms/05`, { as: 'officer.badinh' })).status).toBe(200);
    const late = await decide(ward, first.id, { decision: 'approve' });
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('TASK_EXPIRED');
    // A stopped dossier cannot be stopped again.
    const again = await stack.call(`/v1/dossiers/${code}/stop-request`, {
      method: 'POST',
      as: 'citizen.binh',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'Lần nữa' }),
    });
    expect(again.status).toBe(409);
  });

  it('ends the run of a dossier withdrawn in progress, releasing the agency that waited', async () => {
    const code = await fileBundle(stack);
    const first = await openTask(ward, code);
    const withdrawn = await stack.call(`/v1/dossiers/${code}/withdrawal`, {
      method: 'POST',
      as: 'citizen.binh',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'Nộp nhầm thủ tục' }),
    });
    expect(withdrawn.status).toBe(200);
    const sfn = sfnClient(stack.urls.workflow);
    const name = `${code.replace(/[^0-9A-Za-z_-]/g, '_')}-a1`;
    const ended = await eventually(async () => {
      const run = await sfn.send(
        new DescribeExecutionCommand({
          executionArn: `${stack.routingMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
        }),
      );
      return run.status === 'RUNNING' ? undefined : run;
    }, 'the run to end');
    expect(ended.status).toBe('SUCCEEDED');
    expect((await dossier(code)).status).toBe('WITHDRAWN');
    const listed = await partnerCall(ward, '/v1/partner/tasks?status=closed&limit=100');
    expect(((await listed.json()) as { items: Task[] }).items.map((t) => t.id)).toContain(first.id);
  });
});
