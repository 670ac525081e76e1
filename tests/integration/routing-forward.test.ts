// Forwarding a step on the embedded stack: the Ba Đình ward hands the under-6 bundle's first step to the Hoàn Kiếm
// ward (the route allows it), signed calls throughout. The same task leaves Ba Đình's queue (404 for it afterwards)
// and appears in Hoàn Kiếm's, which gets the signed webhook of a task assigned to it; its approval answers the
// workflow's waiting token, and the dossier goes on to the next stage's agencies and RESULT_READY, form 06 listing
// the hand-over between the wards.
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPartners } from '../../local/demo';
import type { Handoff } from '../../shared/domain/routing';
import { eventually } from '../fixtures/workflow/client';
import { fileBundle } from './support/routing';
import { signedFetch } from './support/signed';
import { startTestStack, type TestStack } from './support/stack';

type Partner = (typeof demoPartners)[number];
const partnerOf = (agency: string) => demoPartners.find((p) => p.agency === agency)!;
const ward = partnerOf('000.00.33.H26');
const hoanKiem = partnerOf('000.00.31.H26');
const police = partnerOf('000.33.08.H26');
const insurance = partnerOf('000.00.09.H26');
const REASON = 'Cha mẹ thường trú tại phường Hoàn Kiếm';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(() => stack?.stop());

type Task = {
  id: string;
  dossierCode: string;
  status: string;
  dueAt: string;
  forwarded?: { from: string; to: string; reason: string };
};

const partnerCall = (who: Partner, path: string, init: Parameters<typeof signedFetch>[3] = {}) =>
  signedFetch(stack.urls.gateway, path, who, init);

const openTasks = async (who: Partner, code: string) => {
  const response = await partnerCall(who, '/v1/partner/tasks?status=open&limit=100');
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Task[] }).items.filter((task) => task.dossierCode === code);
};

const openTask = (who: Partner, code: string) =>
  eventually(async () => (await openTasks(who, code))[0], `an open task of ${who.agency} for ${code}`);

const decide = (who: Partner, id: string, body: unknown, key = randomUUID()) =>
  partnerCall(who, `/v1/partner/tasks/${encodeURIComponent(id)}/decision`, {
    method: 'POST',
    body,
    headers: { 'idempotency-key': key },
  });

const errorCode = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;

describe('forwarding a step to another agency its route allows', () => {
  it('moves the task from one ward to the other, which approves it, and the route goes on', async () => {
    const code = await fileBundle(stack);
    const first = await openTask(ward, code);

    const refused = await decide(ward, first.id, { decision: 'forward', to: police.agency, reason: REASON });
    expect(refused.status).toBe(422);
    expect(await errorCode(refused)).toBe('FORWARD_NOT_ALLOWED');

    const key = randomUUID();
    const body = { decision: 'forward', to: hoanKiem.agency, reason: REASON };
    const forwarded = await decide(ward, first.id, body, key);
    expect(forwarded.status).toBe(200);
    const answer = (await forwarded.json()) as { task: Task; delivered: boolean };
    expect(answer).toMatchObject({
      delivered: true,
      task: {
        id: first.id,
        status: 'open',
        forwarded: { from: ward.agency, to: hoanKiem.agency, reason: REASON },
      },
    });
    // A retry with the same key replays the answer; the same key with another body is refused.
    expect(await (await decide(ward, first.id, body, key)).json()).toEqual(answer);
    const reused = await decide(ward, first.id, { ...body, to: '000.00.32.H26' }, key);
    expect([reused.status, await errorCode(reused)]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);

    // Ba Đình holds it no more: not in its queue, and 404 like any other agency's task.
    expect(await openTasks(ward, code)).toEqual([]);
    const foreign = await partnerCall(ward, `/v1/partner/tasks/${encodeURIComponent(first.id)}`);
    expect([foreign.status, await errorCode(foreign)]).toEqual([404, 'TASK_NOT_FOUND']);
    // Hoàn Kiếm has the same task, due when it was due, and its signed webhook says who handed it over.
    const taken = await openTask(hoanKiem, code);
    expect(taken).toMatchObject({ id: first.id, dueAt: first.dueAt, forwarded: { from: ward.agency } });
    const told = await eventually(
      async () =>
        stack.inbox
          .deliveries()
          .find(
            (d) =>
              d.agency === hoanKiem.agency &&
              (d.body as { data?: { taskId?: string } }).data?.taskId === first.id,
          ),
      `the webhook of ${first.id} to ${hoanKiem.agency}`,
    );
    expect(told).toMatchObject({
      verified: true,
      body: {
        type: 'dossier.step.assigned',
        data: { forwardedFrom: { agency: ward.agency, reason: REASON } },
      },
    });

    expect(
      (await decide(hoanKiem, first.id, { decision: 'approve', note: 'Đã cấp Giấy khai sinh' })).status,
    ).toBe(200);
    const [residence, health] = await Promise.all([openTask(police, code), openTask(insurance, code)]);
    const both = await Promise.all([
      decide(police, residence.id, { decision: 'approve' }),
      decide(insurance, health.id, { decision: 'approve' }),
    ]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);

    const done = await eventually(async () => {
      const view = (await (await stack.call(`/v1/dossiers/${code}`, { as: 'officer.badinh' })).json()) as {
        status: string;
        history: { action: string; reason?: string }[];
      };
      return view.status === 'RESULT_READY' ? view : undefined;
    }, `${code} to be RESULT_READY`);
    expect(done.history.filter((h) => h.action === 'forwardStep')).toEqual([
      expect.objectContaining({
        reason: expect.stringContaining(`${ward.agency} to ${hoanKiem.agency}: ${REASON}`),
      }),
    ]);
    // Form 06: the desk to Ba Đình, Ba Đình to Hoàn Kiếm (with the reason), Hoàn Kiếm back to the desk, then stage 2.
    const stored = (
      await DynamoDBDocumentClient.from(stack.clients.dynamodb).send(
        new GetCommand({ TableName: process.env.TABLE_DOSSIERS, Key: { pk: `DOSSIER#${code}`, sk: 'META' } }),
      )
    ).Item?.data as { routing: { handoffs: Handoff[] } };
    expect(stored.routing.handoffs.slice(0, 3).map((h) => [h.giver.id, h.receiver.id, h.note])).toEqual([
      [expect.any(String), ward.agency, undefined],
      [ward.agency, hoanKiem.agency, REASON],
      [hoanKiem.agency, expect.any(String), 'Đã cấp Giấy khai sinh'],
    ]);
    const slip = await stack.call(`/v1/dossiers/${code}/forms/06`, { as: 'officer.badinh' });
    expect(slip.status).toBe(200);
    expect(slip.headers.get('content-type')).toContain('application/pdf');
    // Generous: cold starts of every function on the route, on a loaded machine; it only catches a hang.
  }, 150_000);
});
