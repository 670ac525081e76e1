// The supplement loop: an agency asked the applicant for more (its decision), the workflow waits on a callback
// (`AwaitSupplement`) whose token is kept on the task; the applicant's supplement passes the step back to the agency
// as a new task (the next round) with its due time moved by the pause.
import type { DomainEvent } from '../../domain/events';
import { stepDueAt, stepTimeoutSeconds } from '../../domain/routing';
import { taskId } from '../../domain/tasks';
import { startStage } from '../../domain/transitions';
import type { StepTask } from './advance-route';
import { type AssignInput, currentRun } from './assign-step';
import { bySystem, type CallbackDeps, retryOnConflict, type TaskDeps } from './deps';

/** The consumer that brings steps back after a supplement; idempotent by the steps' recorded state. */
export const ROUTING_RESUME_CONSUMER = 'routing-resume';

/** `AwaitSupplement`: keeps the token the applicant's supplement will answer. */
export async function awaitSupplement(
  input: AssignInput,
  deps: TaskDeps,
): Promise<'waiting' | 'resume-pending'> {
  const dossier = await currentRun(input, deps);
  await retryOnConflict(async () => {
    const id = taskId(dossier.code, input.step.stepId, input.step.round);
    const task = await deps.tasks.get(id);
    if (!task) throw new Error(`task ${id} that asked for a supplement is missing`);
    if (task.supplementToken === input.taskToken) return;
    await deps.tasks.put({
      task: { ...task, supplementToken: input.taskToken, version: task.version + 1 },
      expectedVersion: task.version,
    });
  });
  // Already supplemented (the applicant was quicker than this task): the resume consumer retries until the token is
  // here, and the sweep finishes it otherwise.
  const now = await deps.dossiers.get(input.dossierCode);
  return now?.status === 'SUPPLEMENT_REQUESTED' ? 'waiting' : 'resume-pending';
}

/**
 * On the applicant's supplement of a routed dossier: the step that asked for it comes back to its agency as the next
 * round, due by its budget plus the paused time, and the workflow is told. Safe to repeat: a step already back is
 * only told again if the workflow has not heard.
 */
export async function resumeAfterSupplement(
  event: DomainEvent<'DossierSupplemented'>,
  deps: CallbackDeps,
): Promise<'resumed' | 'not-routed'> {
  const dossier = await deps.dossiers.get(event.dossierCode);
  if (!dossier?.routing || dossier.routing.endedAt || dossier.status !== 'IN_PROGRESS') return 'not-routed';
  const waiting = Object.entries(dossier.routing.steps ?? {}).filter(
    ([, step]) => step.state === 'supplement-requested',
  );
  if (waiting.length === 0) {
    // Resumed earlier: tell the workflow only what it has not heard.
    await sendPendingResumes(dossier.code, deps);
    return 'resumed';
  }
  await retryOnConflict(async () => {
    const current = await deps.dossiers.get(event.dossierCode);
    if (!current?.routing) return;
    const now = deps.clock();
    const pauses = (current.deadline?.pauses ?? [])
      .filter((pause) => pause.to)
      .map((pause) => ({ from: new Date(pause.from), to: new Date(pause.to!) }));
    const back = Object.entries(current.routing.steps ?? {})
      .filter(([, step]) => step.state === 'supplement-requested')
      .map(([stepId, step]) => ({ stepId, step }));
    for (const { stepId, step } of back) {
      const task = await deps.tasks.get(taskId(current.code, stepId, step.round));
      // The workflow has not parked the step yet (its token is not here): retried by the stream, or the sweep.
      if (!task?.supplementToken) throw new Error(`step ${stepId} of ${current.code} is not waiting yet`);
    }
    const moved = startStage(
      current,
      bySystem,
      now,
      back[0]!.step.stage,
      back.map(({ stepId, step }) => ({
        stepId,
        agency: step.agency,
        workingDays: step.workingDays,
        round: step.round + 1,
        dueAt: stepDueAt(new Date(step.assignedAt), step.workingDays, pauses).toISOString(),
        // Back to the agency that asked (a forwarded step stays with whoever holds it), still forwardable.
        ...(step.holders ? { holders: step.holders } : {}),
      })),
    );
    const tasks = await Promise.all(
      back.map(async ({ stepId, step }) => {
        const task = (await deps.tasks.get(taskId(current.code, stepId, step.round)))!;
        return {
          task: { ...task, resumedAt: now.toISOString(), version: task.version + 1 },
          expectedVersion: task.version,
        };
      }),
    );
    await deps.dossiers.update({
      dossier: moved.dossier,
      expectedVersion: current.version,
      entry: moved.entry,
      events: moved.events,
      tasks,
    });
  });
  await sendPendingResumes(event.dossierCode, deps);
  return 'resumed';
}

/** The step output `AwaitSupplement` returns to the Map iteration: the next round, with its timeout. */
function resumedStep(
  dossier: NonNullable<Awaited<ReturnType<CallbackDeps['dossiers']['get']>>>,
  stepId: string,
  task: { task: { vi: string; en: string } },
  deps: Pick<TaskDeps, 'clock' | 'timeScale'>,
): StepTask {
  const step = dossier.routing!.steps![stepId]!;
  return {
    stepId,
    agency: step.agency,
    task: task.task,
    workingDays: step.workingDays,
    round: step.round,
    dueAt: step.dueAt,
    timeoutSeconds: stepTimeoutSeconds(new Date(step.dueAt), deps.clock(), deps.timeScale),
  };
}

/** Tells the workflow each resumed step it has not heard of (resumed on the dossier, token kept, not yet sent). */
export async function sendPendingResumes(dossierCode: string, deps: CallbackDeps): Promise<number> {
  const dossier = await deps.dossiers.get(dossierCode);
  if (!dossier?.routing) return 0;
  let sent = 0;
  for (const task of await deps.tasks.listByDossier(dossierCode)) {
    if (!task.supplementToken || !task.resumedAt || task.resumeSentAt) continue;
    const outcome = await deps.callbacks.succeed(
      task.supplementToken,
      resumedStep(dossier, task.stepId, task, deps),
    );
    await deps.tasks
      .put({
        task: { ...task, resumeSentAt: deps.clock().toISOString(), version: task.version + 1 },
        expectedVersion: task.version,
      })
      .catch(() => undefined);
    if (outcome === 'sent') sent += 1;
  }
  return sent;
}
