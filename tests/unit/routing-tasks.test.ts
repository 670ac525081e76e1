// Agency tasks over in-memory fakes: the assign task records a task once and takes new tokens without announcing it
// again; a partner's decision is refused for another agency's task (404), a decided one (409 TASK_CLOSED) and an ended
// route (409 TASK_EXPIRED); a decision the workflow did not hear stays for the sweep; an overdue step is extended
// once however often its task runs.
import { describe, expect, it } from 'vitest';
import { noticeId, reportingSender, type SendNotice } from '../../shared/adapters/agency-webhooks';
import type { Caller } from '../../shared/domain/caller';
import type { CallbackOutcome, WorkflowCallbacks } from '../../shared/ports/workflow';
import { advanceRoute } from '../../shared/usecases/routing/advance-route';
import { assignStep } from '../../shared/usecases/routing/assign-step';
import { decideTask } from '../../shared/usecases/routing/decide-task';
import { overdueStep } from '../../shared/usecases/routing/overdue-step';
import { startRouting } from '../../shared/usecases/routing/start-routing';
import { sweepRouting } from '../../shared/usecases/routing/sweep';
import { memoryUploads } from './fakes/memory-documents';
import { memoryUndeliveredNotices, recordingReport } from './fakes/memory-undelivered';
import { recordingCallbacks, routedToWard, setup } from './support/routing';

const WARD = '000.00.33.H26';
const ward: Caller = { kind: 'agency', agency: WARD, principalArn: 'arn:aws:iam::1:user/ward' };
const police: Caller = {
  kind: 'agency',
  agency: '000.33.08.H26',
  principalArn: 'arn:aws:iam::1:user/police',
};

/** The same deps, counting how often the task repository is read by key. */
function countingTaskReads<D extends { tasks: { get: (id: string) => Promise<unknown> } }>(deps: D) {
  let reads = 0;
  const counted = {
    ...deps,
    tasks: {
      ...deps.tasks,
      get: (id: string) => {
        reads += 1;
        return deps.tasks.get(id);
      },
    },
  } as D;
  return { counted, reads: () => reads };
}

describe('the assign task', () => {
  it('records the task once and announces it once; a re-run takes the new token under the same id', async () => {
    const { taskDeps, input, task, notices, dossiers } = await routedToWard();
    expect(task).toMatchObject({ agency: WARD, stepId: 's0-0', round: 1, status: 'open', token: 'token-1' });
    const again = await assignStep({ ...input, taskToken: 'token-2' }, taskDeps);
    expect(again.task.id).toBe(task.id);
    expect(again.announced).toBe(false);
    expect((await dossiers.taskRepository.get(task.id))?.token).toBe('token-2');
    expect(notices.map((n) => n.type)).toEqual(['task.assigned']);
  });

  it('puts a step’s first task without reading; a re-run reads the one there once and updates it', async () => {
    const { taskDeps, input, task } = await routedToWard();
    const { counted, reads } = countingTaskReads(taskDeps);
    const next = { ...input, step: { ...input.step, round: input.step.round + 1 }, taskToken: 'token-9' };
    const created = await assignStep(next, counted);
    expect(created.task.id).not.toBe(task.id);
    expect(reads()).toBe(0);
    await assignStep({ ...next, taskToken: 'token-10' }, counted);
    expect(reads()).toBe(1);
    expect((await taskDeps.tasks.get(created.task.id))?.token).toBe('token-10');
  });

  it('dead-letters the notice of a failed webhook, records the task all the same, and never fails on the letter', async () => {
    const down: SendNotice = async (notice) => ({
      status: 'failed',
      messageId: noticeId(notice),
      attempts: [{ at: notice.at, error: 'HTTP 503', status: 503, durationMs: 3 }],
      permanent: false,
    });
    const assignWith = async (undelivered: ReturnType<typeof memoryUndeliveredNotices>) => {
      const base = await setup();
      await startRouting(base.event, base.deps);
      const first = await advanceRoute({ dossierCode: base.code, attempt: 1, next: 0 }, base.deps);
      if (first.done) throw new Error('a stage was expected');
      const report = recordingReport();
      const send = reportingSender(down, {
        source: 'routing-assign',
        undelivered,
        keep: 'every-failure',
        ...report,
      });
      const result = await assignStep(
        { dossierCode: base.code, attempt: 1, stage: 0, step: first.steps[0]!, taskToken: 'token-1' },
        {
          dossiers: base.dossiers.repository,
          tasks: base.dossiers.taskRepository,
          clock: base.deps.clock,
          timeScale: 1,
          notify: async (notice) => void (await send(notice)),
        },
      );
      return { result, report, task: await base.dossiers.taskRepository.get(result.task.id) };
    };
    const undelivered = memoryUndeliveredNotices();
    const { result, report, task } = await assignWith(undelivered);
    expect(result.announced).toBe(true);
    expect(task).toMatchObject({ status: 'open', token: 'token-1' });
    expect(undelivered.letters).toEqual([
      expect.objectContaining({
        agency: WARD,
        source: 'routing-assign',
        reason: 'failed',
        attempts: 1,
        message: expect.objectContaining({ type: 'dossier.step.assigned' }),
      }),
    ]);
    expect(undelivered.letters[0]?.message.data).toMatchObject({
      type: 'task.assigned',
      taskId: result.task.id,
    });
    expect(report.counted).toEqual(['NotificationsFailed']);

    // A keeper that fails: the task is recorded and announced all the same; the loss is logged and counted.
    const lost = await assignWith(memoryUndeliveredNotices({ failing: true }));
    expect(lost.result.announced).toBe(true);
    expect(lost.task).toMatchObject({ status: 'open', token: 'token-1' });
    expect(lost.report.counted).toEqual(['NotificationsFailed', 'UndeliveredNoticesLost']);
  });

  it('refuses a stale run and records nothing', async () => {
    const { taskDeps, input, dossiers } = await routedToWard();
    await expect(assignStep({ ...input, attempt: 2, taskToken: 't' }, taskDeps)).rejects.toThrow(/stale/);
    expect(await dossiers.taskRepository.listByDossier(input.dossierCode)).toHaveLength(1);
  });
});

describe('a partner decision', () => {
  const deciding = async (fail = false) => {
    const routed = await routedToWard();
    const { sent, callbacks } = recordingCallbacks(fail);
    const uploads = memoryUploads().repository;
    const deps = { ...routed.taskDeps, callbacks, idempotency: routed.dossiers.idempotency, uploads };
    return { ...routed, sent, deps };
  };

  it('is refused for another agency’s task as if it did not exist, and changes nothing', async () => {
    const { deps, task, dossiers, code } = await deciding();
    const before = dossiers.dossiers.get(code)!.version;
    await expect(
      decideTask({ caller: police, taskId: task.id, decision: { kind: 'approve' } }, deps),
    ).rejects.toMatchObject({ code: 'TASK_NOT_FOUND', status: 404 });
    await expect(
      decideTask({ caller: ward, taskId: 'not-a-task', decision: { kind: 'approve' } }, deps),
    ).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
    expect(dossiers.dossiers.get(code)!.version).toBe(before);
  });

  it('is stored, then sent with the task’s token; a second decision is 409 TASK_CLOSED', async () => {
    const { deps, task, sent, dossiers, code } = await deciding();
    const answer = await decideTask({ caller: ward, taskId: task.id, decision: { kind: 'approve' } }, deps);
    expect(answer.delivered).toBe(true);
    expect(sent).toEqual([{ token: 'token-1', kind: 'success' }]);
    expect(dossiers.dossiers.get(code)!.routing!.steps!['s0-0']).toMatchObject({ state: 'approved' });
    await expect(
      decideTask({ caller: ward, taskId: task.id, decision: { kind: 'reject', reason: 'no' } }, deps),
    ).rejects.toMatchObject({ code: 'TASK_CLOSED', status: 409 });
    expect(sent).toHaveLength(1);
  });

  it('reads its task once for a first decision; a replay reads it again to see whether the workflow heard', async () => {
    const { deps, task, sent } = await deciding();
    const { counted, reads } = countingTaskReads(deps);
    const decide = {
      caller: ward,
      taskId: task.id,
      decision: { kind: 'approve' as const },
      idempotencyKey: 'k-1',
    };
    expect((await decideTask(decide, counted)).delivered).toBe(true);
    expect(reads()).toBe(1);
    expect((await decideTask(decide, counted)).delivered).toBe(true);
    expect(reads()).toBe(3);
    expect(sent).toHaveLength(1);
  });

  it('is sent again with the new token when the step went overdue just as the agency decided', async () => {
    const { deps, task, dossiers, taskDeps, input } = await deciding();
    const sent: string[] = [];
    const callbacks: WorkflowCallbacks = {
      async succeed(token): Promise<CallbackOutcome> {
        sent.push(token);
        if (token !== 'token-1') return 'sent';
        // The old token closed with the timeout; the new assignment records its token meanwhile.
        await assignStep({ ...input, taskToken: 'token-2' }, taskDeps);
        return 'token-invalid';
      },
      fail: async () => 'sent',
    };
    const answer = await decideTask(
      { caller: ward, taskId: task.id, decision: { kind: 'approve' } },
      { ...deps, callbacks },
    );
    expect(answer.delivered).toBe(true);
    expect(sent).toEqual(['token-1', 'token-2']);
    expect((await dossiers.taskRepository.listUnsent({ limit: 10 })).items).toEqual([]);
  });

  it('sends a rejection as the Rejected error with the agency and reason', async () => {
    const { deps, task, sent } = await deciding();
    await decideTask(
      { caller: ward, taskId: task.id, decision: { kind: 'reject', reason: 'Sai địa chỉ' } },
      deps,
    );
    expect(sent).toEqual([{ token: 'token-1', kind: 'failure', error: 'Rejected' }]);
  });

  it('is 409 TASK_EXPIRED once the route has ended', async () => {
    const { deps, task, dossiers, code } = await deciding();
    dossiers.dossiers.set(code, { ...dossiers.dossiers.get(code)!, status: 'WITHDRAWN' });
    await expect(
      decideTask({ caller: ward, taskId: task.id, decision: { kind: 'approve' } }, deps),
    ).rejects.toMatchObject({ code: 'TASK_EXPIRED', status: 409 });
  });

  it('stays stored when the workflow cannot be told, and the sweep tells it later', async () => {
    const { deps, task, dossiers } = await deciding(true);
    const answer = await decideTask({ caller: ward, taskId: task.id, decision: { kind: 'approve' } }, deps);
    expect(answer).toMatchObject({ delivered: false, task: { status: 'decided' } });
    expect((await dossiers.taskRepository.listUnsent({ limit: 10 })).items.map((t) => t.id)).toEqual([
      task.id,
    ]);

    const { sent, callbacks } = recordingCallbacks();
    const report = await sweepRouting({
      ...deps,
      callbacks,
      dossierLists: dossiers.repository,
      catalogue: { procedure: async () => undefined, branches: async () => ({ items: [] }) },
      workflow: { start: async () => 'started', status: async () => 'RUNNING' },
    });
    expect(report.decisionsSent).toBe(1);
    expect(sent).toEqual([{ token: 'token-1', kind: 'success' }]);
    expect((await dossiers.taskRepository.listUnsent({ limit: 10 })).items).toEqual([]);
  });

  it('decided between tokens is answered by the next assignment with its new token, without the sweep', async () => {
    const { deps, task, dossiers, taskDeps, input } = await deciding(true);
    // The step timed out just as the agency decided: the old token is closed, the decision stays stored.
    const answer = await decideTask(
      { caller: ward, taskId: task.id, decision: { kind: 'reject', reason: 'Sai địa chỉ' } },
      deps,
    );
    expect(answer.delivered).toBe(false);

    const { sent, callbacks } = recordingCallbacks();
    const again = await assignStep({ ...input, taskToken: 'token-2' }, { ...taskDeps, callbacks });
    expect(again).toMatchObject({ answered: true, announced: false, task: { token: 'token-2' } });
    expect(sent).toEqual([{ token: 'token-2', kind: 'failure', error: 'Rejected' }]);
    expect((await dossiers.taskRepository.listUnsent({ limit: 10 })).items).toEqual([]);
  });

  it('decided between tokens stays for the sweep when the new assignment cannot send it either', async () => {
    const { deps, task, dossiers, taskDeps, input } = await deciding(true);
    await decideTask({ caller: ward, taskId: task.id, decision: { kind: 'approve' } }, deps);
    const again = await assignStep(
      { ...input, taskToken: 'token-2' },
      { ...taskDeps, callbacks: recordingCallbacks(true).callbacks },
    );
    // The assignment is recorded with its token all the same; the decision waits, unsent, for the sweep.
    expect(again).toMatchObject({ answered: false, task: { token: 'token-2', status: 'decided' } });
    expect((await dossiers.taskRepository.listUnsent({ limit: 10 })).items.map((t) => t.token)).toEqual([
      'token-2',
    ]);
  });
});

describe('an overdue step', () => {
  it('is flagged and extended once, with form 04, however often its task runs', async () => {
    const { taskDeps, input, dossiers, code } = await routedToWard();
    const deps = taskDeps;
    const first = await overdueStep(input, deps);
    expect(first.overdue).toBe(true);
    expect(first.dueAt > input.step.dueAt).toBe(true);
    const retried = await overdueStep(input, deps);
    expect(retried.dueAt).toBe(first.dueAt);
    const dossier = dossiers.dossiers.get(code)!;
    expect(dossier.routing!.overdue).toHaveLength(1);
    expect(dossier.routing!.steps!['s0-0']!.dueAt).toBe(first.dueAt);
    // Form 04 issued once, with the flag.
    expect(dossier.forms.filter((f) => f.form === '04')).toHaveLength(1);
  });

  it('is flagged again when its extended due time passes too, with a second form 04 that follows the first', async () => {
    const { taskDeps, input, dossiers, code } = await routedToWard();
    const first = await overdueStep(input, taskDeps);
    const firstForm = structuredClone(dossiers.dossiers.get(code)!.forms.find((f) => f.form === '04')!);
    // The workflow waits again under the new due time; when that passes, its Overdue task runs for it.
    const second = await overdueStep({ ...input, step: { ...input.step, dueAt: first.dueAt } }, taskDeps);
    expect(second.dueAt > first.dueAt).toBe(true);
    const dossier = dossiers.dossiers.get(code)!;
    expect(dossier.routing!.overdue).toHaveLength(2);
    const apologies = dossier.forms.filter((f) => f.form === '04');
    // One form 04 per flag, each at its own version's key; the first is kept as it was issued.
    expect(apologies).toHaveLength(2);
    expect(new Set(apologies.map((f) => f.key)).size).toBe(2);
    expect(apologies[0]).toEqual(firstForm);
    const [one, two] = apologies.map(
      (f) => f.facts as { previousAppointmentDay: string; newAppointmentDay: string },
    );
    expect(two!.previousAppointmentDay).toBe(one!.newAppointmentDay);
    expect(two!.newAppointmentDay > one!.newAppointmentDay).toBe(true);
    // Run again for the same due time (a retry), nothing more is flagged or issued.
    await overdueStep({ ...input, step: { ...input.step, dueAt: first.dueAt } }, taskDeps);
    expect(dossiers.dossiers.get(code)!.forms.filter((f) => f.form === '04')).toHaveLength(2);
  });
});
