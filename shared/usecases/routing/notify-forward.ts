// A step forwarded to another agency: that agency is told as it is of any task assigned to it (the signed webhook the
// `Decide` task sends), with who handed it over and why. Only while the task is still theirs and open from this very
// forward; a redelivery sends the same webhook id again, which the agency drops.
import type { DomainEvent } from '../../domain/events';
import type { AgencyNotice } from '../../ports/agency-notices';
import type { NotificationOutcome } from '../../ports/agency-notifier';
import type { TaskRepository } from '../../ports/task-repository';

/** The consumer that tells the agency a step was forwarded to. */
export const ROUTING_FORWARDED_CONSUMER = 'routing-forwarded';

/** A delivery that may succeed later (the endpoint was down): the event fails, so the stream retries it. */
export class ForwardNoticeFailedError extends Error {
  override name = 'ForwardNoticeFailed';
}

export interface NotifyForwardDeps {
  tasks: Pick<TaskRepository, 'get'>;
  /** Sends the signed webhook; absent where agencies have no endpoints configured (they pull their queue). */
  send?: (notice: AgencyNotice) => Promise<NotificationOutcome>;
}

export type ForwardNoticeOutcome =
  | { outcome: 'delivered' }
  | { outcome: 'superseded' }
  | { outcome: 'not-configured' }
  | { outcome: 'refused'; refused?: string };

export async function notifyForward(
  event: DomainEvent<'DossierStepForwarded'>,
  deps: NotifyForwardDeps,
): Promise<ForwardNoticeOutcome> {
  const { taskId, to, from, reason } = event.payload;
  const task = await deps.tasks.get(taskId);
  // Written in the transaction of the event: a missing task is a bug, retried and then dead-lettered.
  if (!task) throw new Error(`task ${taskId} of a forward to ${to} is missing`);
  const last = task.forwards?.at(-1);
  // Decided, or handed on again since: the agency no longer holds it from this forward (the next one tells its own).
  if (task.status !== 'open' || task.agency !== to || last?.at !== event.at || last.to !== to) {
    return { outcome: 'superseded' };
  }
  if (!deps.send) return { outcome: 'not-configured' };
  const outcome = await deps.send({
    type: 'task.assigned',
    agency: to,
    taskId: task.id,
    dossierCode: task.dossierCode,
    procedure: { code: task.procedure.code, name: task.procedure.name.vi },
    stepId: task.stepId,
    task: task.task.vi,
    dueAt: task.dueAt,
    at: event.at,
    forwardedFrom: { agency: from, reason },
  });
  if (outcome.status === 'delivered') return { outcome: 'delivered' };
  // Refused for good (no endpoint, a bad secret, an endpoint that refuses the message): retrying cannot fix it.
  if (outcome.permanent)
    return { outcome: 'refused', ...(outcome.refused ? { refused: outcome.refused } : {}) };
  throw new ForwardNoticeFailedError(`agency ${to} was not told of task ${taskId} after its retries`);
}
