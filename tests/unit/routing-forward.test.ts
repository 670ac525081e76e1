// Forwarding a step: the agency holding an open task hands it to another agency its route allows for that step. The
// same task (id, round, token, due time) becomes the other agency's, in one write with the dossier, its history, the
// form 06 row and the DossierStepForwarded event; the workflow is told nothing, and the new agency's decision
// completes the step as any other. Refusals: a step with no forward, an agency not allowed, the holder itself, a
// decided task, another agency's task, a key reused with another body.
import { describe, expect, it } from 'vitest';
import { noticeId, reportingSender } from '../../shared/adapters/agency-webhooks';
import type { Caller } from '../../shared/domain/caller';
import type { Actor } from '../../shared/domain/dossier';
import { type DomainEvent, domainEvent } from '../../shared/domain/events';
import { planRoute } from '../../shared/domain/routing';
import { forwardStep } from '../../shared/domain/transitions';
import type { AgencyNotice } from '../../shared/ports/agency-notices';
import type { NotificationOutcome } from '../../shared/ports/agency-notifier';
import { routeStepSchema } from '../../shared/schemas/catalogue';
import { decisionSchema } from '../../shared/schemas/tasks';
import { advanceRoute } from '../../shared/usecases/routing/advance-route';
import { assignStep } from '../../shared/usecases/routing/assign-step';
import { decideTask } from '../../shared/usecases/routing/decide-task';
import { notifyForward } from '../../shared/usecases/routing/notify-forward';
import { memoryUploads } from './fakes/memory-documents';
import { memoryUndeliveredNotices, recordingReport } from './fakes/memory-undelivered';
import { now, recordingCallbacks, routedToWard } from './support/routing';

const WARD = '000.00.33.H26';
const HOAN_KIEM = '000.00.31.H26';
const CUA_NAM = '000.00.32.H26';
const agencyCaller = (agency: string): Caller => ({
  kind: 'agency',
  agency,
  principalArn: `arn:aws:iam::1:user/${agency}`,
});
const ward = agencyCaller(WARD);
const hoanKiem = agencyCaller(HOAN_KIEM);
const police = agencyCaller('000.33.08.H26');
const insurance = agencyCaller('000.00.09.H26');
const REASON = 'Cha mẹ thường trú tại phường Hoàn Kiếm';
const forward = (to: string, reason = REASON) => ({ kind: 'forward' as const, to, reason });

/** The under-6 bundle routed, its ward step (forwardable to Hoàn Kiếm and Cửa Nam) assigned to Ba Đình ward. */
async function wardTask() {
  const { taskDeps, input, task, notices, ...base } = await routedToWard();
  const { sent, callbacks } = recordingCallbacks();
  const deps = {
    ...taskDeps,
    callbacks,
    idempotency: base.dossiers.idempotency,
    uploads: memoryUploads().repository,
  };
  const queue = async (agency: string) =>
    (await base.dossiers.taskRepository.listByAgency(agency, 'open', { limit: 50 })).items.map((t) => t.id);
  return { ...base, routingDeps: base.deps, taskDeps, input, task, notices, sent, deps, queue };
}

describe('the catalogue and the plan of a forwardable step', () => {
  it('plans the step with its holders, its own agency first', () => {
    const plan = planRoute([
      {
        steps: [
          { agency: WARD, task: { vi: 'Khai sinh', en: 'Birth' }, workingDays: 0, forwardTo: [HOAN_KIEM] },
          { agency: '000.00.09.H26', task: { vi: 'BHYT', en: 'Insurance' }, workingDays: 2 },
        ],
      },
    ]);
    expect(plan.stages[0]!.map((step) => step.holders)).toEqual([[WARD, HOAN_KIEM], undefined]);
  });

  it('refuses a step forwarded to its own agency or to one agency twice', () => {
    const step = { agency: WARD, task: { vi: 'Khai sinh', en: 'Birth' }, workingDays: 0 };
    expect(routeStepSchema.safeParse({ ...step, forwardTo: [HOAN_KIEM, CUA_NAM] }).success).toBe(true);
    expect(routeStepSchema.safeParse({ ...step, forwardTo: [WARD] }).success).toBe(false);
    expect(routeStepSchema.safeParse({ ...step, forwardTo: [HOAN_KIEM, HOAN_KIEM] }).success).toBe(false);
  });

  it('takes a forward decision with a target agency and a bounded reason', () => {
    expect(decisionSchema.safeParse({ decision: 'forward', to: HOAN_KIEM, reason: REASON }).success).toBe(
      true,
    );
    expect(decisionSchema.safeParse({ decision: 'forward', to: HOAN_KIEM }).success).toBe(false);
    expect(decisionSchema.safeParse({ decision: 'forward', to: 'ward', reason: REASON }).success).toBe(false);
    expect(
      decisionSchema.safeParse({ decision: 'forward', to: HOAN_KIEM, reason: 'x'.repeat(1001) }).success,
    ).toBe(false);
  });
});

describe('forwardStep', () => {
  const byWard = {
    actor: { kind: 'agency', agency: WARD } as Actor & { kind: 'agency' },
    caller: ward,
  };

  it('gives the step to the other agency with its round and due time, a form 06 row, the history and the event', async () => {
    const { dossiers, code } = await wardTask();
    const before = dossiers.dossiers.get(code)!;
    const step = before.routing!.steps!['s0-0']!;
    const at = new Date(now.getTime() + 60_000);
    const moved = forwardStep(before, byWard, at, {
      stepId: 's0-0',
      round: 1,
      to: HOAN_KIEM,
      reason: REASON,
    });
    expect(moved.dossier.status).toBe('IN_PROGRESS');
    expect(moved.dossier.routing!.steps!['s0-0']).toEqual({ ...step, agency: HOAN_KIEM });
    expect(moved.dossier.routing!.handoffs!.at(-1)).toEqual({
      at: at.toISOString(),
      giver: { kind: 'agency', id: WARD },
      receiver: { kind: 'agency', id: HOAN_KIEM },
      stepId: 's0-0',
      dueAt: step.dueAt,
      note: REASON,
    });
    expect(moved.entry).toMatchObject({
      action: 'forwardStep',
      from: 'IN_PROGRESS',
      to: 'IN_PROGRESS',
      actor: { kind: 'agency', agency: WARD },
      reason: `Chuyển từ ${WARD} sang ${HOAN_KIEM} / Forwarded from ${WARD} to ${HOAN_KIEM}: ${REASON}`,
    });
    expect(moved.events.map((e) => [e.name, e.payload])).toEqual([
      [
        'DossierStepForwarded',
        {
          stepId: 's0-0',
          round: 1,
          taskId: `${code}~s0-0~r1`,
          from: WARD,
          to: HOAN_KIEM,
          reason: REASON,
          dueAt: step.dueAt,
        },
      ],
    ]);
    expect(moved.events[0]!.caller).toEqual({ kind: 'agency', id: WARD });
  });

  it('lets the agency that received the step hand it on, or back to the route’s own agency', async () => {
    const { dossiers, code } = await wardTask();
    const toHoanKiem = forwardStep(dossiers.dossiers.get(code)!, byWard, now, {
      stepId: 's0-0',
      round: 1,
      to: HOAN_KIEM,
      reason: REASON,
    });
    const byHoanKiem = { actor: { kind: 'agency' as const, agency: HOAN_KIEM }, caller: hoanKiem };
    const back = forwardStep(toHoanKiem.dossier, byHoanKiem, now, {
      stepId: 's0-0',
      round: 1,
      to: WARD,
      reason: 'Không thuộc địa bàn phường Hoàn Kiếm',
    });
    expect(back.dossier.routing!.steps!['s0-0']!.agency).toBe(WARD);
    // The agency that gave it away holds it no more.
    expect(() =>
      forwardStep(toHoanKiem.dossier, byWard, now, { stepId: 's0-0', round: 1, to: CUA_NAM, reason: REASON }),
    ).toThrow(expect.objectContaining({ code: 'TASK_CLOSED', status: 409 }));
  });

  it('refuses with 422 FORWARD_NOT_ALLOWED a step with no forward, an agency not allowed, and the holder itself', async () => {
    const { dossiers, code } = await wardTask();
    const dossier = dossiers.dossiers.get(code)!;
    const attempt =
      (to: string, d = dossier) =>
      () =>
        forwardStep(d, byWard, now, { stepId: 's0-0', round: 1, to, reason: REASON });
    expect(attempt('000.00.99.H26')).toThrow(
      expect.objectContaining({
        code: 'FORWARD_NOT_ALLOWED',
        status: 422,
        details: { stepId: 's0-0', to: '000.00.99.H26', allowed: [HOAN_KIEM, CUA_NAM] },
      }),
    );
    expect(attempt(WARD)).toThrow(expect.objectContaining({ code: 'FORWARD_NOT_ALLOWED' }));
    const { holders: _none, ...fixed } = dossier.routing!.steps!['s0-0']!;
    const notForwardable = {
      ...dossier,
      routing: { ...dossier.routing!, steps: { 's0-0': fixed } },
    };
    expect(attempt(HOAN_KIEM, notForwardable)).toThrow(
      expect.objectContaining({
        code: 'FORWARD_NOT_ALLOWED',
        details: expect.objectContaining({ allowed: [] }),
      }),
    );
  });
});

describe('a partner’s forward (decideTask)', () => {
  it('moves the same open task to the other agency’s queue in one write, telling the workflow nothing', async () => {
    const { deps, task, code, dossiers, sent, queue } = await wardTask();
    const before = dossiers.dossiers.get(code)!;
    expect(await queue(WARD)).toEqual([task.id]);
    const answer = await decideTask({ caller: ward, taskId: task.id, decision: forward(HOAN_KIEM) }, deps);
    expect(answer.delivered).toBe(true);
    expect(answer.task).toMatchObject({ id: task.id, agency: HOAN_KIEM, status: 'open' });
    expect(sent).toEqual([]);

    const moved = (await dossiers.taskRepository.get(task.id))!;
    const { agency: _a, version: _v, forwards, ...kept } = moved;
    const { agency: _oa, version: _ov, ...original } = task;
    // Same step, round, token and due time: the clock does not restart.
    expect(kept).toEqual(original);
    expect(forwards).toEqual([
      { from: WARD, to: HOAN_KIEM, reason: REASON, at: now.toISOString(), by: expect.any(String) },
    ]);
    expect(await queue(WARD)).toEqual([]);
    expect(await queue(HOAN_KIEM)).toEqual([task.id]);

    const dossier = dossiers.dossiers.get(code)!;
    // One move of the dossier: one version, one history entry.
    expect([dossier.version, dossier.historyCount]).toEqual([before.version + 1, before.historyCount + 1]);
    expect(dossier.routing!.steps!['s0-0']).toMatchObject({ agency: HOAN_KIEM, state: 'assigned', round: 1 });
    expect(dossier.routing!.handoffs!.at(-1)).toMatchObject({
      giver: { kind: 'agency', id: WARD },
      receiver: { kind: 'agency', id: HOAN_KIEM },
      note: REASON,
    });
    expect(dossiers.events.filter((e) => e.name === 'DossierStepForwarded')).toHaveLength(1);
  });

  it('answers the old agency 404 afterwards, and the new agency’s approval completes the step with the same token', async () => {
    const { deps, task, code, dossiers, sent, routingDeps } = await wardTask();
    await decideTask({ caller: ward, taskId: task.id, decision: forward(HOAN_KIEM) }, deps);
    await expect(
      decideTask({ caller: ward, taskId: task.id, decision: { kind: 'approve' } }, deps),
    ).rejects.toMatchObject({ code: 'TASK_NOT_FOUND', status: 404 });

    const approved = await decideTask(
      { caller: hoanKiem, taskId: task.id, decision: { kind: 'approve', note: 'Đã cấp Giấy khai sinh' } },
      deps,
    );
    expect(approved).toMatchObject({ delivered: true, task: { status: 'decided', agency: HOAN_KIEM } });
    expect(sent).toEqual([{ token: 'token-1', kind: 'success' }]);
    expect(dossiers.dossiers.get(code)!.routing!.steps!['s0-0']).toMatchObject({
      agency: HOAN_KIEM,
      state: 'approved',
    });
    expect(
      dossiers.events.filter((e) => e.name === 'DossierStepDecided').map((e) => e.payload),
    ).toMatchObject([{ agency: HOAN_KIEM, decision: 'approve' }]);
    // The workflow goes on: the next stage is handed out.
    const next = await advanceRoute({ dossierCode: code, attempt: 1, next: 1 }, routingDeps);
    expect(next).toMatchObject({ done: false, stage: 1 });
  });

  it('keeps the step with the new agency when the workflow assigns it again (a timeout’s new token)', async () => {
    const { deps, task, taskDeps, input, notices } = await wardTask();
    await decideTask({ caller: ward, taskId: task.id, decision: forward(HOAN_KIEM) }, deps);
    // The workflow's Map item still names the route's agency; the recorded task keeps whoever holds it.
    const { sent, callbacks } = recordingCallbacks();
    const again = await assignStep(
      { ...input, step: { ...input.step, overdue: true }, taskToken: 'token-2' },
      { ...taskDeps, callbacks },
    );
    expect(again.task).toMatchObject({ agency: HOAN_KIEM, token: 'token-2', overdue: true, status: 'open' });
    // A forward is no answer: the task waits for the new agency, and the workflow is told nothing.
    expect(again.answered).toBe(false);
    expect(sent).toEqual([]);
    expect(notices.at(-1)).toMatchObject({ type: 'task.overdue', agency: HOAN_KIEM });
  });

  it('refuses a forward its route does not allow, changing nothing', async () => {
    const { deps, task, code, dossiers } = await wardTask();
    const before = dossiers.dossiers.get(code)!.version;
    for (const to of ['000.00.99.H26', WARD, '000.33.08.H26']) {
      await expect(
        decideTask({ caller: ward, taskId: task.id, decision: forward(to) }, deps),
      ).rejects.toMatchObject({ code: 'FORWARD_NOT_ALLOWED', status: 422 });
    }
    expect(dossiers.dossiers.get(code)!.version).toBe(before);
    expect((await dossiers.taskRepository.get(task.id))!).toEqual(task);
  });

  it('refuses a step whose route allows no forward (the health insurance step)', async () => {
    const { deps, taskDeps, task, code, routingDeps } = await wardTask();
    await decideTask({ caller: ward, taskId: task.id, decision: { kind: 'approve' } }, deps);
    const next = await advanceRoute({ dossierCode: code, attempt: 1, next: 1 }, routingDeps);
    if (next.done) throw new Error('stage 1 expected');
    const health = next.steps.find((s) => s.agency === '000.00.09.H26')!;
    const assigned = await assignStep(
      { dossierCode: code, attempt: 1, stage: 1, step: health, taskToken: 'token-h' },
      taskDeps,
    );
    await expect(
      decideTask({ caller: insurance, taskId: assigned.task.id, decision: forward('000.00.08.H26') }, deps),
    ).rejects.toMatchObject({
      code: 'FORWARD_NOT_ALLOWED',
      details: expect.objectContaining({ allowed: [] }),
    });
  });

  it('is 409 TASK_CLOSED for a decided task and TASK_EXPIRED once the route has ended', async () => {
    const { deps, task, dossiers } = await wardTask();
    await decideTask({ caller: ward, taskId: task.id, decision: { kind: 'approve' } }, deps);
    await expect(
      decideTask({ caller: ward, taskId: task.id, decision: forward(HOAN_KIEM) }, deps),
    ).rejects.toMatchObject({ code: 'TASK_CLOSED', status: 409 });

    const other = await wardTask();
    other.dossiers.dossiers.set(other.code, {
      ...other.dossiers.dossiers.get(other.code)!,
      status: 'WITHDRAWN',
    });
    await expect(
      decideTask({ caller: ward, taskId: other.task.id, decision: forward(HOAN_KIEM) }, other.deps),
    ).rejects.toMatchObject({ code: 'TASK_EXPIRED', status: 409 });
    expect(dossiers.events.filter((e) => e.name === 'DossierStepForwarded')).toEqual([]);
  });

  it('is 404 TASK_NOT_FOUND for another agency’s task', async () => {
    const { deps, task, code, dossiers } = await wardTask();
    const before = dossiers.dossiers.get(code)!.version;
    await expect(
      decideTask({ caller: police, taskId: task.id, decision: forward(HOAN_KIEM) }, deps),
    ).rejects.toMatchObject({ code: 'TASK_NOT_FOUND', status: 404 });
    expect(dossiers.dossiers.get(code)!.version).toBe(before);
  });

  it('replays the first answer for the same Idempotency-Key and refuses the key with another body', async () => {
    const { deps, task, code, dossiers } = await wardTask();
    const input = { caller: ward, taskId: task.id, decision: forward(HOAN_KIEM), idempotencyKey: 'key-1' };
    const first = await decideTask(input, deps);
    const again = await decideTask(input, deps);
    expect(again).toEqual(first);
    expect(dossiers.events.filter((e) => e.name === 'DossierStepForwarded')).toHaveLength(1);
    const version = dossiers.dossiers.get(code)!.version;
    await expect(decideTask({ ...input, decision: forward(CUA_NAM) }, deps)).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      status: 422,
    });
    expect(dossiers.dossiers.get(code)!.version).toBe(version);
  });
});

describe('telling the agency a step was forwarded to', () => {
  const forwardedEvent = async () => {
    const routed = await wardTask();
    await decideTask({ caller: ward, taskId: routed.task.id, decision: forward(HOAN_KIEM) }, routed.deps);
    const event = routed.dossiers.events.find(
      (e): e is DomainEvent<'DossierStepForwarded'> => e.name === 'DossierStepForwarded',
    );
    if (!event) throw new Error('no forward event');
    return { ...routed, event };
  };
  const recordingSend = (outcome: Partial<NotificationOutcome> = {}) => {
    const notices: AgencyNotice[] = [];
    const send = async (notice: AgencyNotice): Promise<NotificationOutcome> => {
      notices.push(notice);
      return { status: 'delivered', messageId: noticeId(notice), attempts: [], permanent: false, ...outcome };
    };
    return { notices, send };
  };

  it('sends the new agency the assignment of its task, with who handed it over and why', async () => {
    const { event, dossiers, task } = await forwardedEvent();
    const { notices, send } = recordingSend();
    expect(await notifyForward(event, { tasks: dossiers.taskRepository, send })).toEqual({
      outcome: 'delivered',
    });
    expect(notices).toEqual([
      {
        type: 'task.assigned',
        agency: HOAN_KIEM,
        taskId: task.id,
        dossierCode: task.dossierCode,
        procedure: { code: task.procedure.code, name: task.procedure.name.vi },
        stepId: 's0-0',
        task: task.task.vi,
        dueAt: task.dueAt,
        at: event.at,
        forwardedFrom: { agency: WARD, reason: REASON },
      },
    ]);
    // Its webhook id is its own (not the first assignment's), and the same on a redelivery.
    const assigned = { ...notices[0]!, agency: WARD, at: task.assignedAt };
    delete assigned.forwardedFrom;
    expect(noticeId(notices[0]!)).not.toBe(noticeId(assigned));
    await notifyForward(event, { tasks: dossiers.taskRepository, send });
    expect(noticeId(notices[1]!)).toBe(noticeId(notices[0]!));
  });

  it('sends nothing once the task was decided or handed on since', async () => {
    const { event, dossiers, deps, task } = await forwardedEvent();
    const { notices, send } = recordingSend();
    await decideTask({ caller: hoanKiem, taskId: task.id, decision: { kind: 'approve' } }, deps);
    expect(await notifyForward(event, { tasks: dossiers.taskRepository, send })).toEqual({
      outcome: 'superseded',
    });
    expect(notices).toEqual([]);
  });

  it('gives up on an endpoint that refuses for good, and fails the event for a retry otherwise', async () => {
    const { event, dossiers } = await forwardedEvent();
    const refused = recordingSend({ status: 'failed', permanent: true, refused: 'no-endpoint' });
    expect(await notifyForward(event, { tasks: dossiers.taskRepository, send: refused.send })).toEqual({
      outcome: 'refused',
      refused: 'no-endpoint',
    });
    const down = recordingSend({ status: 'failed', permanent: false });
    await expect(notifyForward(event, { tasks: dossiers.taskRepository, send: down.send })).rejects.toThrow(
      /not told/,
    );
    expect(await notifyForward(event, { tasks: dossiers.taskRepository })).toEqual({
      outcome: 'not-configured',
    });
  });

  it('dead-letters a notice refused for good, not one the stream retries, nor an agency without an endpoint', async () => {
    const { event, dossiers } = await forwardedEvent();
    const undelivered = memoryUndeliveredNotices();
    const report = recordingReport();
    const reporting = {
      source: 'routing-forwarded',
      undelivered,
      keep: 'permanent-failures' as const,
      ...report,
    };
    const tasks = dossiers.taskRepository;
    const badSecret = recordingSend({ status: 'failed', permanent: true, refused: 'invalid-secret' });
    expect(await notifyForward(event, { tasks, send: reportingSender(badSecret.send, reporting) })).toEqual({
      outcome: 'refused',
      refused: 'invalid-secret',
    });
    expect(undelivered.letters).toEqual([
      expect.objectContaining({
        agency: HOAN_KIEM,
        source: 'routing-forwarded',
        reason: 'refused',
        refused: 'invalid-secret',
        message: {
          id: noticeId(badSecret.notices[0]!),
          type: 'dossier.step.assigned',
          timestamp: event.at,
          data: badSecret.notices[0],
        },
      }),
    ]);
    expect(undelivered.letters[0]?.message.data.forwardedFrom).toEqual({ agency: WARD, reason: REASON });
    // Down for now: the event fails and the stream retries it (then dead-letters the event itself), no letter.
    const down = recordingSend({ status: 'failed', permanent: false });
    await expect(
      notifyForward(event, { tasks, send: reportingSender(down.send, reporting) }),
    ).rejects.toThrow(/not told/);
    const none = recordingSend({ status: 'failed', permanent: true, refused: 'no-endpoint' });
    await notifyForward(event, { tasks, send: reportingSender(none.send, reporting) });
    const delivered = recordingSend();
    await notifyForward(event, { tasks, send: reportingSender(delivered.send, reporting) });
    expect(undelivered.letters).toHaveLength(1);
    expect(report.counted).toEqual(['NotificationsFailed', 'NotificationsFailed']);
    // A keeper that fails does not fail the event: the agency's queue has the task.
    const failing = { ...reporting, undelivered: memoryUndeliveredNotices({ failing: true }) };
    expect(await notifyForward(event, { tasks, send: reportingSender(badSecret.send, failing) })).toEqual({
      outcome: 'refused',
      refused: 'invalid-secret',
    });
    expect(report.counted.at(-1)).toBe('UndeliveredNoticesLost');
  });

  it('fails an event whose task is missing (a producer’s bug, retried then dead-lettered)', async () => {
    const { dossiers } = await forwardedEvent();
    const stray = domainEvent(
      'DossierStepForwarded',
      {
        stepId: 's0-0',
        round: 1,
        taskId: '000.00.01.H26-261127-0999~s0-0~r1',
        from: WARD,
        to: HOAN_KIEM,
        reason: REASON,
        dueAt: now.toISOString(),
      },
      { dossierCode: '000.00.01.H26-261127-0999', dossierVersion: 5, at: now, caller: { kind: 'agency' } },
    );
    await expect(notifyForward(stray, { tasks: dossiers.taskRepository })).rejects.toThrow(/missing/);
  });
});
