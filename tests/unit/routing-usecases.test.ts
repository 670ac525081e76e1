// The routing use cases the workflow's tasks and the starter run: once per dossier whatever redelivers, each
// stage's hand-off recorded once, a stale run refused, the route ending in RESULT_READY.
import { describe, expect, it } from 'vitest';
import { advanceRoute, StaleRunError } from '../../shared/usecases/routing/advance-route';
import { closeRoute } from '../../shared/usecases/routing/close-route';
import { failRoute } from '../../shared/usecases/routing/fail-route';
import { startRouting } from '../../shared/usecases/routing/start-routing';
import { redrive, sweepRouting } from '../../shared/usecases/routing/sweep';
import { asTaskError, TaskFailedError } from '../../shared/workflow/task-handler';
import { MAX_AUTOMATIC_REDRIVES, taskErrors } from '../../shared/workflow/tasks';
import { now, setup } from './support/routing';

describe('starting a route', () => {
  it('moves a received dossier to IN_PROGRESS and starts its run once, however often the event comes', async () => {
    const { deps, dossiers, code, event, runs, starts } = await setup();
    expect(await startRouting(event, deps)).toBe('started');
    const routed = dossiers.dossiers.get(code)!;
    expect(routed).toMatchObject({
      status: 'IN_PROGRESS',
      routing: {
        attempt: 1,
        completedStages: 0,
        stageCount: 2,
        executionName: expect.stringMatching(/-a1$/),
      },
    });
    expect([...runs.values()]).toEqual([{ dossierCode: code, attempt: 1, next: 0 }]);
    expect(await startRouting(event, deps)).toBe('started');
    expect(dossiers.dossiers.get(code)!.version).toBe(routed.version);
    expect(starts).toHaveLength(2);
    expect(new Set(starts).size).toBe(1);
    expect(dossiers.events.filter((e) => e.name === 'DossierRouted')).toHaveLength(1);
  });

  it('routes nothing that was withdrawn before its run began', async () => {
    const { deps, dossiers, code, event, starts } = await setup();
    dossiers.dossiers.set(code, { ...dossiers.dossiers.get(code)!, status: 'WITHDRAWN' });
    expect(await startRouting(event, deps)).toBe('not-routable');
    expect(starts).toEqual([]);
  });
});

describe('advancing a route', () => {
  it('hands out each stage’s steps with their timeouts, records each hand-off once, then the result is ready', async () => {
    const { deps, dossiers, code, event } = await setup();
    await startRouting(event, deps);
    const first = await advanceRoute({ dossierCode: code, attempt: 1, next: 0 }, deps);
    expect(first).toMatchObject({ done: false, stage: 0, next: 1 });
    if (first.done) throw new Error('unreachable');
    expect(first.steps.map((s) => s.stepId)).toEqual(['s0-0']);
    // A same-day step from Wednesday 10:00 is due at 17:00: seven hours.
    expect(first.steps[0]!.timeoutSeconds).toBe(7 * 3600);

    const second = await advanceRoute({ dossierCode: code, attempt: 1, next: 1 }, deps);
    if (second.done) throw new Error('stage 1 expected');
    expect(second.steps.map((s) => s.stepId)).toEqual(['s1-0', 's1-1']);
    const afterHandOff = dossiers.dossiers.get(code)!;
    expect(afterHandOff.routing?.completedStages).toBe(1);
    // Step Functions retries a task after a Lambda failure: the hand-off is not recorded twice.
    const retried = await advanceRoute({ dossierCode: code, attempt: 1, next: 1 }, deps);
    expect(retried).toEqual(second);
    expect(dossiers.dossiers.get(code)!.version).toBe(afterHandOff.version);

    expect(await advanceRoute({ dossierCode: code, attempt: 1, next: 2 }, deps)).toMatchObject({
      done: true,
    });
    expect(dossiers.dossiers.get(code)).toMatchObject({
      status: 'RESULT_READY',
      routing: { completedStages: 2 },
    });
    expect(dossiers.events.map((e) => e.name).filter((n) => n !== 'DossierRouted')).toEqual([
      'DossierStageStarted',
      'DossierStageCompleted',
      'DossierStageStarted',
      'DossierStageCompleted',
      'DossierResultReady',
    ]);
  });

  it('refuses a run that is no longer the dossier’s and leaves the dossier as it is', async () => {
    const { deps, dossiers, code, event } = await setup();
    await startRouting(event, deps);
    const before = dossiers.dossiers.get(code)!.version;
    await expect(advanceRoute({ dossierCode: code, attempt: 2, next: 1 }, deps)).rejects.toBeInstanceOf(
      StaleRunError,
    );
    expect(dossiers.dossiers.get(code)!.version).toBe(before);
  });
});

describe('closing a route', () => {
  it('closes on an agency’s rejection with its reason, once, and on a stop', async () => {
    const { deps, dossiers, code, event } = await setup();
    await startRouting(event, deps);
    const cause = JSON.stringify({ agency: '000.33.08.H26', reason: 'không đủ điều kiện cư trú' });
    expect(await closeRoute({ dossierCode: code, attempt: 1, error: 'Rejected', cause }, deps)).toBe(
      'rejected',
    );
    const closed = dossiers.dossiers.get(code)!;
    expect(closed).toMatchObject({
      status: 'REJECTED',
      rejection: { agency: '000.33.08.H26', reason: 'không đủ điều kiện cư trú' },
    });
    expect(closed.routing?.endedAt).toBe(now.toISOString());
    // Step Functions may run the task again: nothing moves twice.
    expect(await closeRoute({ dossierCode: code, attempt: 1, error: 'Rejected', cause }, deps)).toBe(
      'already-closed',
    );
    expect(dossiers.dossiers.get(code)!.version).toBe(closed.version);

    const other = await setup();
    await startRouting(other.event, other.deps);
    const stop = JSON.stringify({ reason: 'người nộp đề nghị dừng' });
    expect(
      await closeRoute({ dossierCode: other.code, attempt: 1, error: 'Stopped', cause: stop }, other.deps),
    ).toBe('stopped');
    expect(other.dossiers.dossiers.get(other.code)).toMatchObject({
      status: 'STOPPED',
      stop: { reason: 'người nộp đề nghị dừng' },
    });
  });

  it('refuses a rejection that names no agency, an unknown error and a stale run, changing nothing', async () => {
    const { deps, dossiers, code, event } = await setup();
    await startRouting(event, deps);
    const before = dossiers.dossiers.get(code)!.version;
    await expect(
      closeRoute({ dossierCode: code, attempt: 1, error: 'Rejected', cause: 'no' }, deps),
    ).rejects.toThrow(/names no agency/);
    await expect(
      closeRoute({ dossierCode: code, attempt: 1, error: 'States.ALL', cause: '' }, deps),
    ).rejects.toThrow(/cannot close/);
    await expect(
      closeRoute({ dossierCode: code, attempt: 9, error: 'Stopped', cause: '{}' }, deps),
    ).rejects.toBeInstanceOf(StaleRunError);
    expect(dossiers.dossiers.get(code)!.version).toBe(before);
  });
});

describe('a run that failed past its task retries', () => {
  async function failing() {
    const base = await setup();
    await startRouting(base.event, base.deps);
    await advanceRoute({ dossierCode: base.code, attempt: 1, next: 0 }, base.deps);
    const failure = {
      dossierCode: base.code,
      attempt: 1,
      error: 'Motcua.TaskFailed',
      cause: '{"errorMessage":"x"}',
    };
    return { ...base, failure };
  }

  it('is recorded on the dossier once per run, with its event, keeping the status', async () => {
    const { deps, dossiers, code, failure } = await failing();
    const before = dossiers.dossiers.get(code)!;
    expect(await failRoute(failure, deps)).toBe('recorded');
    const after = dossiers.dossiers.get(code)!;
    expect(after.status).toBe(before.status);
    expect(after.routing?.failure).toMatchObject({ attempt: 1, error: 'Motcua.TaskFailed', count: 1 });
    expect(dossiers.events.filter((e) => e.name === 'DossierRoutingFailed')).toMatchObject([
      { payload: { attempt: 1, error: 'Motcua.TaskFailed', failures: 1 } },
    ]);
    // The task's own retry: nothing recorded twice.
    expect(await failRoute(failure, deps)).toBe('already-recorded');
    expect(dossiers.dossiers.get(code)!.version).toBe(after.version);
    // A stale run records nothing.
    expect(await failRoute({ ...failure, attempt: 7 }, deps)).toBe('stale');
    expect(dossiers.dossiers.get(code)!.version).toBe(after.version);
  });

  it('is re-driven by the sweep until MAX_AUTOMATIC_REDRIVES runs in a row failed, then reported stuck', async () => {
    const { deps, dossiers, code, failure } = await failing();
    const unit = dossiers.dossiers.get(code)!.unit;
    const sweepDeps = {
      ...deps,
      tasks: dossiers.taskRepository,
      callbacks: { success: async () => 'sent', failure: async () => 'sent' } as never,
      dossierLists: dossiers.repository,
      catalogue: {
        procedure: deps.catalogue.procedure,
        branches: async () => ({ items: [{ code: unit }] }),
      } as never,
      workflow: { start: deps.workflow.start, status: async () => 'FAILED' as const },
    };
    for (let attempt = 1; attempt <= MAX_AUTOMATIC_REDRIVES; attempt++) {
      expect(await failRoute({ ...failure, attempt }, deps)).toBe('recorded');
      const report = await sweepRouting(sweepDeps);
      if (attempt < MAX_AUTOMATIC_REDRIVES) {
        expect(report).toMatchObject({
          redriven: [expect.stringMatching(new RegExp(`-a${attempt + 1}$`))],
          stuck: [],
        });
      } else {
        expect(report).toMatchObject({ redriven: [], stuck: [code] });
      }
    }
    expect(dossiers.dossiers.get(code)!.routing).toMatchObject({
      attempt: MAX_AUTOMATIC_REDRIVES,
      failure: { count: MAX_AUTOMATIC_REDRIVES },
    });
    // An operator's re-drive starts the count again; the next sweep has nothing to do.
    await redrive(
      code,
      { actor: { kind: 'officer', id: 'admin-1' } as never, caller: { kind: 'admin' } as never },
      'fixed',
      sweepDeps,
    );
    const redriven = dossiers.dossiers.get(code)!;
    expect(redriven.routing?.failure).toBeUndefined();
    expect(redriven.routing?.attempt).toBe(MAX_AUTOMATIC_REDRIVES + 1);
  });

  it('stops counting once a stage completes: progress clears the failure', async () => {
    const { deps, dossiers, code, failure } = await failing();
    await failRoute(failure, deps);
    expect(dossiers.dossiers.get(code)!.routing?.failure?.count).toBe(1);
    await advanceRoute({ dossierCode: code, attempt: 1, next: 1 }, deps);
    expect(dossiers.dossiers.get(code)!.routing?.failure).toBeUndefined();
  });
});

describe('the task wrapper', () => {
  it('hands the workflow an unexpected failure as Motcua.TaskFailed, and a stale run as it is', () => {
    const wrapped = asTaskError(new TypeError('socket hang up'));
    expect(wrapped).toBeInstanceOf(TaskFailedError);
    expect(wrapped.name).toBe(taskErrors.failed);
    expect(wrapped.message).toBe('TypeError: socket hang up');
    const stale = new StaleRunError('run 1 is stale');
    expect(asTaskError(stale)).toBe(stale);
    expect(asTaskError(wrapped)).toBe(wrapped);
    expect(asTaskError('boom').name).toBe(taskErrors.failed);
  });
});
