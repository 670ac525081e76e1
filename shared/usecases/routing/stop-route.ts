// Processing stops at the applicant's request (Decree 118 Art. 21), or because the applicant withdrew a routed
// dossier: every step still waiting (on an agency, or on the applicant's supplement) is closed and the workflow told
// `Stopped`, which closes the route (STOPPED with form 05; a withdrawn dossier stays WITHDRAWN). Stored on the tasks
// first, so the sweep finishes what could not be sent. Safe to repeat: closed tasks are not stopped twice.
import type { Caller } from '../../domain/caller';
import type { Dossier } from '../../domain/dossier';
import { routeInProgress } from '../../domain/routing';
import type { AgencyTask } from '../../domain/tasks';
import { ConflictError } from '../../errors';
import { applicantOf } from '../dossiers/access';
import { sendDecision } from './decide-task';
import type { CallbackDeps } from './deps';

const waiting = (task: AgencyTask) =>
  task.status === 'open' ||
  (task.decision?.kind === 'request-supplement' && Boolean(task.supplementToken) && !task.resumedAt);

export async function stopRun(dossier: Dossier, reason: string, by: string, deps: CallbackDeps) {
  const now = deps.clock().toISOString();
  let stopped = 0;
  for (const task of await deps.tasks.listByDossier(dossier.code)) {
    if (!waiting(task)) continue;
    const closed: AgencyTask = {
      ...task,
      status: 'closed',
      decision: { kind: 'stop', reason, requestedBy: 'applicant', at: now, by },
      version: task.version + 1,
    };
    delete closed.sentAt;
    await deps.tasks.put({ task: closed, expectedVersion: task.version });
    await sendDecision(closed, deps).catch(() => 'unsent');
    stopped += 1;
  }
  return stopped;
}

/** The applicant asks to stop a dossier in progress; the answer is given before the route has closed. */
export async function requestStop(
  input: { code: string; caller: Caller; reason: string },
  deps: CallbackDeps,
): Promise<{ code: string; stopping: number }> {
  const { dossier } = applicantOf(await deps.dossiers.get(input.code), input.code, input.caller);
  if (!routeInProgress(dossier)) {
    throw new ConflictError('Only a dossier in progress can be stopped', 'INVALID_TRANSITION', {
      status: dossier.status,
      action: 'stop',
    });
  }
  const by = input.caller.kind === 'citizen' ? `citizen:${input.caller.sub}` : 'citizen';
  return { code: dossier.code, stopping: await stopRun(dossier, input.reason, by, deps) };
}
