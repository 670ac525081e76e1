// The workflow's `Advance` task: records the stage that just finished (a hand-off), and hands back the next stage's
// steps with their timeouts, or ends the route with the result ready. Safe to run again for the same input.
import { planRoute, stepDueAt, stepTimeoutSeconds } from '../../domain/routing';
import { completeRouting, completeStage } from '../../domain/transitions';
import type { RoutingInput } from '../../ports/workflow';
import { bySystem, type RoutingDeps } from './deps';

export interface StepTask {
  stepId: string;
  agency: string;
  task: { vi: string; en: string };
  workingDays: number;
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

export async function advanceRoute(input: RoutingInput, deps: RoutingDeps): Promise<AdvanceOutput> {
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
    if (dossier.status === 'IN_PROGRESS') await save(completeRouting(dossier, bySystem, now));
    return { ...input, done: true };
  }
  const procedure = await deps.catalogue.procedure(dossier.procedure.code, dossier.procedure.version);
  if (!procedure)
    throw new Error(`pinned version ${dossier.procedure.version} of ${dossier.procedure.code} is missing`);
  const stage = planRoute(procedure.route).stages[completedStages]!;
  return {
    dossierCode: input.dossierCode,
    attempt: input.attempt,
    next: completedStages + 1,
    done: false,
    stage: completedStages,
    steps: stage.map((step) => {
      const due = stepDueAt(now, step.workingDays);
      return {
        stepId: step.stepId,
        agency: step.agency,
        task: step.task,
        workingDays: step.workingDays,
        dueAt: due.toISOString(),
        timeoutSeconds: stepTimeoutSeconds(due, now, deps.timeScale),
      };
    }),
  };
}
