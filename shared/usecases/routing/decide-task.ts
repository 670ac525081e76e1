// A partner agency decides its task: the decision is stored on the dossier and the task first (one transaction,
// once per Idempotency-Key), then the workflow is told. If telling it fails, the sweep tells it later. A forward is
// stored the same way and tells the workflow nothing: the same task, still open, is the other agency's.
import { type Caller, callerScope } from '../../domain/caller';
import { routeInProgress } from '../../domain/routing';
import { type AgencyAnswer, type AgencyTask, answeredToken, workflowAnswer } from '../../domain/tasks';
import { decideStep, forwardStep, requestStepSupplement, type Transition } from '../../domain/transitions';
import { ConflictError, NotFoundError } from '../../errors';
import type { UploadRepository } from '../../ports/documents';
import type { IdempotencyStore } from '../../ports/idempotency-store';
import type { CallbackOutcome } from '../../ports/workflow';
import { withForm } from '../dossiers/forms';
import { idempotent } from '../idempotent';
import { attachedResults } from '../results/result-uploads';
import { type CallbackDeps, retryOnConflict } from './deps';

export interface DecideInput {
  caller: Caller;
  taskId: string;
  /** An agency's decision or forward (a stop is the applicant's: stop-route.ts). */
  decision: AgencyAnswer;
  idempotencyKey?: string;
}

export interface DecideDeps extends CallbackDeps {
  idempotency: IdempotencyStore;
  uploads: Pick<UploadRepository, 'getMany'>;
}

export interface DecisionAnswer {
  task: AgencyTask;
  /**
   * Whether the workflow has the decision already (`false`: stored, and the sweep will pass it on); always true for a
   * forward, which the workflow is not told of.
   */
  delivered: boolean;
}

/** The calling agency's task, or 404: another agency's task is not one it may know exists. */
export async function agencyTask(
  caller: Caller,
  id: string,
  deps: { tasks: Pick<CallbackDeps['tasks'], 'get'> },
) {
  const task = caller.kind === 'agency' ? await deps.tasks.get(id) : undefined;
  if (!task || caller.kind !== 'agency' || task.agency !== caller.agency) {
    throw new NotFoundError('No such task', 'TASK_NOT_FOUND');
  }
  return task;
}

export async function decideTask(input: DecideInput, deps: DecideDeps): Promise<DecisionAnswer> {
  // The task this call wrote, when it was not a replay: no one has sent it yet, so it needs no second read.
  let written: AgencyTask | undefined;
  const stored = await idempotent<DecisionAnswer>(
    deps.idempotency,
    {
      scope: callerScope(input.caller),
      operation: 'decideTask',
      key: input.idempotencyKey,
      request: { taskId: input.taskId, decision: input.decision },
    },
    // Agencies of one stage decide independently: a decision that lost the dossier's version race to another
    // agency's is applied again on the new version, not refused.
    (remember) =>
      retryOnConflict(async () => {
        const task = await agencyTask(input.caller, input.taskId, deps);
        const dossier = await deps.dossiers.get(task.dossierCode);
        if (!dossier) throw new Error(`dossier ${task.dossierCode} of task ${task.id} is missing`);
        if (task.status === 'closed' || !routeInProgress(dossier)) {
          throw new ConflictError('The route of this task has ended', 'TASK_EXPIRED', {
            status: dossier.status,
          });
        }
        if (task.status !== 'open') {
          throw new ConflictError('The task was already decided', 'TASK_CLOSED', {
            decision: task.decision?.kind,
          });
        }
        const now = deps.clock();
        const agency = { actor: { kind: 'agency' as const, agency: task.agency }, caller: input.caller };
        const step = { stepId: task.stepId, round: task.round };
        let moved: Transition;
        let next: AgencyTask;
        const decision = input.decision;
        const at = now.toISOString();
        const by = callerScope(input.caller);
        if (decision.kind === 'forward') {
          moved = forwardStep(dossier, agency, now, { ...step, to: decision.to, reason: decision.reason });
          // The same task, still open, now the other agency's: key, token and due time stay; its queue key moves.
          const forward = { from: task.agency, to: decision.to, reason: decision.reason, at, by };
          next = {
            ...task,
            agency: decision.to,
            forwards: [...(task.forwards ?? []), forward],
            version: task.version + 1,
          };
        } else {
          if (decision.kind === 'request-supplement') {
            const asked = requestStepSupplement(dossier, agency, now, {
              ...step,
              items: decision.items,
              ...(decision.reason ? { reason: decision.reason } : {}),
            });
            moved = { ...asked, dossier: withForm(asked.dossier, '02', task.agency, now) };
          } else if (decision.kind === 'approve') {
            const results = await attachedResults(task, decision.results, deps.uploads);
            moved = decideStep(dossier, agency, now, { ...step, ...decision, results });
          } else {
            moved = decideStep(dossier, agency, now, { ...step, ...decision });
          }
          next = { ...task, status: 'decided', decision: { ...decision, at, by }, version: task.version + 1 };
        }
        // A forward is not the workflow's to hear: nothing is left to deliver once it is stored.
        const answer: DecisionAnswer = { task: next, delivered: decision.kind === 'forward' };
        const record = remember(answer);
        await deps.dossiers.update({
          dossier: moved.dossier,
          expectedVersion: dossier.version,
          entry: moved.entry,
          events: moved.events,
          tasks: [{ task: next, expectedVersion: task.version }],
          ...(record ? { idempotency: record } : {}),
        });
        written = next;
        return answer;
      }),
    // The decision's only write is its transaction (the workflow hears after): a retry of a committed one finds the
    // task closed, then its first answer.
    'on-failure',
  );
  // A forward has nothing to tell the workflow, and its replay answers as the first time (the task is another's now).
  if (input.decision.kind === 'forward') return stored;
  // A replay tells the workflow again if it had not heard yet; the workflow ignores a token it has done with.
  const current = written ?? (await deps.tasks.get(stored.task.id));
  if (current?.sentAt) return { task: current, delivered: true };
  const task = current ?? stored.task;
  const outcome = await sendDecision(task, deps).catch(() => 'unsent' as const);
  return {
    task: outcome === 'sent' ? { ...task, sentAt: deps.clock().toISOString() } : task,
    delivered: outcome === 'sent',
  };
}

/**
 * Sends a stored decision with the task's token. A step that just ran past its due time gets a new token (Overdue,
 * then a new assignment): a decision sent in between finds the old token closed. It is sent again with the new one
 * once the assignment has recorded it (a short wait, a few times); otherwise the sweep sends it later.
 */
export async function sendDecision(task: AgencyTask, deps: CallbackDeps): Promise<CallbackOutcome> {
  let current = task;
  for (let attempt = 0; ; attempt++) {
    const outcome = await deliverDecision(current, deps);
    if (outcome === 'sent' || attempt >= 4) return outcome;
    await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    const fresh = await deps.tasks.get(current.id);
    if (!fresh?.decision || fresh.sentAt) return outcome;
    // No new token after a second look: the run is not waiting on this step (ended, or parked); the sweep settles it.
    if (attempt >= 1 && answeredToken(fresh) === answeredToken(current)) return outcome;
    current = fresh;
  }
}

/**
 * Tells the workflow a stored decision once, with the task's token, and records that it was told. `token-invalid`:
 * the step timed out and waits under a new token (the assign task answers with it), or the run ended.
 */
export async function deliverDecision(task: AgencyTask, deps: CallbackDeps): Promise<CallbackOutcome> {
  if (!task.decision) throw new Error(`task ${task.id} has no decision`);
  const answer = workflowAnswer(task, task.decision);
  const outcome =
    answer.kind === 'success'
      ? await deps.callbacks.succeed(answeredToken(task), answer.output)
      : await deps.callbacks.fail(answeredToken(task), answer.error, answer.cause);
  if (outcome === 'sent') {
    await deps.tasks
      .put({
        task: { ...task, sentAt: deps.clock().toISOString(), version: task.version + 1 },
        expectedVersion: task.version,
      })
      // Lost to a newer write (the assign task's new token): the sweep sees it unsent and sends again; harmless.
      .catch(() => undefined);
  }
  return outcome;
}
