// The workflow's `Advance` task: records the stage that just finished (a hand-off), and hands the next stage's steps
// to their agencies with their due times and timeouts, or ends the route with the result ready. Safe to run again
// for the same input; on a re-drive it leaves out the steps the dossier records as approved (never re-notified).
import { planRoute, stepDueAt, stepTimeoutSeconds } from '../../domain/routing';
import { completeRouting, completeStage, startStage } from '../../domain/transitions';
import type { RoutingInput } from '../../ports/workflow';
import { withForm } from '../dossiers/forms';
import { bySystem, type RoutingDeps, retryOnConflict } from './deps';

export interface StepTask {
  stepId: string;
  agency: string;
  task: { vi: string; en: string };
  workingDays: number;
  /** 1, then one more each time the step returns to its agency after a supplement. */
  round: number;
  dueAt: string;
  timeoutSeconds: number;
}

export type AdvanceOutput =
  | (RoutingInput & { done: false; stage: number; steps: StepTask[] })
  | (RoutingInput & { done: true });

/** A run that is not the dossier's current one (a re-drive replaced it) must stop, not move the dossier. */
export class StaleRunError extends Error {
  override name = 'StaleRun';
}

export function advanceRoute(input: RoutingInput, deps: RoutingDeps): Promise<AdvanceOutput> {
  return retryOnConflict(() => advanceOnce(input, deps));
}

async function advanceOnce(input: RoutingInput, deps: RoutingDeps): Promise<AdvanceOutput> {
  let dossier = await deps.dossiers.get(input.dossierCode);
  if (!dossier?.routing) throw new Error(`dossier ${input.dossierCode} is not routed`);
  if (dossier.routing.attempt !== input.attempt) {
    throw new StaleRunError(`run ${input.attempt} of ${input.dossierCode} is stale`);
  }
  const now = deps.clock();
  const save = async (moved: ReturnType<typeof completeStage>) => {
    await deps.dossiers.update({
      dossier: moved.dossier,
      expectedVersion: dossier!.version,
      entry: moved.entry,
      events: moved.events,
    });
    dossier = moved.dossier;
  };
  // The stage before `next` just finished, unless a retry of this task already recorded it.
  if (dossier.routing!.completedStages < input.next)
    await save(completeStage(dossier, bySystem, now, input.next - 1));
  const { completedStages, stageCount } = dossier.routing!;
  if (completedStages >= stageCount) {
    if (dossier.status === 'IN_PROGRESS') {
      // The processing-control slip (form 06) is issued with the route's end: every hand-off, each with its result.
      const ended = completeRouting(dossier, bySystem, now);
      await save({ ...ended, dossier: withForm(ended.dossier, '06', '', now) });
    }
    return { ...input, done: true };
  }
  const procedure = await deps.catalogue.procedure(dossier.procedure.code, dossier.procedure.version);
  if (!procedure)
    throw new Error(`pinned version ${dossier.procedure.version} of ${dossier.procedure.code} is missing`);
  const planned = planRoute(procedure.route).stages[completedStages]!;
  const progress = () => dossier!.routing!.steps ?? {};
  // Steps not handed out yet (a first run of the stage) are assigned now, in one write; those a retry or an earlier
  // run assigned keep their round and due time; approved ones are done.
  const fresh = planned.filter((step) => !progress()[step.stepId]);
  if (fresh.length > 0) {
    await save(
      startStage(
        dossier,
        bySystem,
        now,
        completedStages,
        fresh.map((step) => ({
          stepId: step.stepId,
          agency: step.agency,
          workingDays: step.workingDays,
          dueAt: stepDueAt(now, step.workingDays).toISOString(),
          round: 1,
          ...(step.holders ? { holders: step.holders } : {}),
        })),
      ),
    );
  }
  const open = planned.filter((step) => progress()[step.stepId]?.state !== 'approved');
  return {
    dossierCode: input.dossierCode,
    attempt: input.attempt,
    next: completedStages + 1,
    done: false,
    stage: completedStages,
    steps: open.map((step) => {
      const recorded = progress()[step.stepId]!;
      return {
        stepId: step.stepId,
        // Whoever holds the step now: a forward may have moved it from the route's agency.
        agency: recorded.agency,
        task: step.task,
        workingDays: step.workingDays,
        round: recorded.round,
        dueAt: recorded.dueAt,
        timeoutSeconds: stepTimeoutSeconds(new Date(recorded.dueAt), now, deps.timeScale),
      };
    }),
  };
}
