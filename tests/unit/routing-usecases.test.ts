// The routing use cases the workflow's tasks and the starter run: once per dossier whatever redelivers, each
// stage's hand-off recorded once, a stale run refused, the route ending in RESULT_READY.
import { describe, expect, it } from 'vitest';
import { advanceRoute, StaleRunError } from '../../shared/usecases/routing/advance-route';
import { closeRoute } from '../../shared/usecases/routing/close-route';
import { startRouting } from '../../shared/usecases/routing/start-routing';
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
