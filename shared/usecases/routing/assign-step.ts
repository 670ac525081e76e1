// The workflow's `Decide` callback task: the step's task is recorded for its agency with the token the decision will
// answer, and the agency is told. Safe to run again: a task already recorded keeps its id and takes the new token
// (the step waits again after a timeout, or a re-drive), and is not announced twice unless it became overdue. A task
// the agency already decided (while the step was between tokens) is answered here at once, with the new token: the
// run goes on without waiting for the sweep, and a step that keeps timing out cannot starve a decision.
import type { Dossier } from '../../domain/dossier';
import { type AgencyTask, taskId } from '../../domain/tasks';
import type { AgencyNotice } from '../../ports/agency-notices';
import type { WorkflowCallbacks } from '../../ports/workflow';
import { StaleRunError, type StepTask } from './advance-route';
import { deliverDecision } from './decide-task';
import { retryOnConflict, type TaskDeps } from './deps';

export interface StepInput {
  dossierCode: string;
  attempt: number;
  stage: number;
  step: StepTask & { overdue?: boolean };
}

export interface AssignInput extends StepInput {
  taskToken: string;
}

export interface AssignDeps extends TaskDeps {
  /** Tells the agency (a signed webhook); optional: the agency can always pull its queue. */
  notify?: (notice: AgencyNotice) => Promise<void>;
  /** Answers a decision stored before this token existed; without it the sweep does, later. */
  callbacks?: WorkflowCallbacks;
}

export async function currentRun(
  input: { dossierCode: string; attempt: number },
  deps: Pick<TaskDeps, 'dossiers'>,
) {
  const dossier = await deps.dossiers.get(input.dossierCode);
  if (!dossier?.routing) throw new Error(`dossier ${input.dossierCode} is not routed`);
  if (dossier.routing.attempt !== input.attempt) {
    throw new StaleRunError(`run ${input.attempt} of ${input.dossierCode} is stale`);
  }
  return dossier;
}

function newTask(dossier: Dossier, input: AssignInput, now: Date): AgencyTask {
  const { step } = input;
  return {
    id: taskId(dossier.code, step.stepId, step.round),
    dossierCode: dossier.code,
    procedure: {
      code: dossier.procedure.code,
      version: dossier.procedure.version,
      name: dossier.procedure.name,
    },
    agency: step.agency,
    stepId: step.stepId,
    stage: input.stage,
    round: step.round,
    task: step.task,
    workingDays: step.workingDays,
    assignedAt: now.toISOString(),
    dueAt: step.dueAt,
    status: 'open',
    overdue: Boolean(step.overdue),
    token: input.taskToken,
    version: 1,
  };
}

export async function assignStep(
  input: AssignInput,
  deps: AssignDeps,
): Promise<{ task: AgencyTask; announced: boolean; answered: boolean }> {
  const dossier = await currentRun(input, deps);
  const { step } = input;
  const now = deps.clock();
  // Most assignments are a step's first: put the new task at once (conditional on there being none), and read the
  // one there only when that is refused.
  let firstTry = true;
  const { task, announce } = await retryOnConflict(async () => {
    const id = taskId(dossier.code, step.stepId, step.round);
    if (firstTry) {
      firstTry = false;
      const created = newTask(dossier, input, now);
      try {
        await deps.tasks.put({ task: created, expectedVersion: null });
        return { task: created, announce: true };
      } catch (error) {
        if ((error as { code?: string }).code !== 'VERSION_CONFLICT') throw error;
      }
    }
    const earlier = await deps.tasks.get(id);
    if (!earlier) {
      const created = newTask(dossier, input, now);
      await deps.tasks.put({ task: created, expectedVersion: null });
      return { task: created, announce: true };
    }
    // The same step waiting again: a decided task keeps its decision (answered below with this token); an open one
    // takes the new token and, after a timeout, the new due time.
    const overdueNow = Boolean(step.overdue) && !earlier.overdue;
    const updated: AgencyTask = {
      ...earlier,
      token: input.taskToken,
      dueAt: step.dueAt,
      overdue: earlier.overdue || Boolean(step.overdue),
      version: earlier.version + 1,
    };
    if (earlier.decision) delete updated.sentAt;
    await deps.tasks.put({ task: updated, expectedVersion: earlier.version });
    return { task: updated, announce: earlier.status === 'open' && overdueNow };
  });
  if (announce && deps.notify) {
    await deps.notify({
      type: task.overdue ? 'task.overdue' : 'task.assigned',
      agency: task.agency,
      taskId: task.id,
      dossierCode: task.dossierCode,
      procedure: { code: task.procedure.code, name: task.procedure.name.vi },
      stepId: task.stepId,
      task: task.task.vi,
      dueAt: task.dueAt,
      at: now.toISOString(),
    });
  }
  // A forward leaves the task open (the other agency's to decide): only a decided task has an answer to give. The
  // assignment is recorded whatever happens to the answer: one that cannot be sent stays for the sweep.
  const answered =
    task.status === 'decided' && deps.callbacks
      ? (await deliverDecision(task, { ...deps, callbacks: deps.callbacks }).catch(() => 'unsent')) === 'sent'
      : false;
  return { task, announced: announce && Boolean(deps.notify), answered };
}
