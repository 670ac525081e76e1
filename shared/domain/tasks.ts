// An agency's task: one step of a dossier's route assigned to one agency, with the token its decision answers the
// workflow with. Kept in the dossier's item collection, queryable per agency and status by due time.
import type { Localized } from './dossier';

export type TaskStatus = 'open' | 'decided' | 'closed';
export const taskStatuses: readonly TaskStatus[] = ['open', 'decided', 'closed'];

export type TaskDecision =
  | { kind: 'approve'; note?: string; results?: { uploadId: string; title: string; documentType?: string }[] }
  | { kind: 'reject'; reason: string }
  | { kind: 'request-supplement'; items: { name: string; reason: string }[]; reason?: string }
  /** Not an agency's: processing stops at the applicant's request (or the dossier was withdrawn). */
  | { kind: 'stop'; reason: string; requestedBy: 'applicant' };

/**
 * What the agency holding an open task may answer: a decision, or a forward of the step to another agency its route
 * allows. A forward decides nothing: the same task stays open, now the other agency's, and the workflow waits on.
 */
export type AgencyAnswer =
  | Exclude<TaskDecision, { kind: 'stop' }>
  | { kind: 'forward'; to: string; reason: string };

/** One hand-over of an open task from the agency that held it to another (the step's `holders`). */
export interface TaskForward {
  from: string;
  to: string;
  reason: string;
  at: string;
  /** The caller's scope, as a decision's `by`. */
  by: string;
}

export interface AgencyTask {
  /** `<dossier code>~<step id>~r<round>`: a new round is a new task (the step back after a supplement). */
  id: string;
  dossierCode: string;
  procedure: { code: string; version: number; name: Localized };
  agency: string;
  stepId: string;
  stage: number;
  round: number;
  task: Localized;
  workingDays: number;
  assignedAt: string;
  dueAt: string;
  status: TaskStatus;
  /** The step ran past its due time at least once (form 04 issued); `dueAt` is the extended one. */
  overdue: boolean;
  /** The workflow's task token, stored verbatim and never parsed; replaced when the step waits again. */
  token: string;
  /** The token of the wait for the applicant's supplement, once the workflow waits for it. */
  supplementToken?: string;
  decision?: TaskDecision & { at: string; by: string };
  /** Each time the task was forwarded, in order: `agency` is the last one's `to`. */
  forwards?: TaskForward[];
  /** When the workflow was told the decision; unset while it still has to be (the sweep finishes it). */
  sentAt?: string;
  /** When the applicant's supplement brought the step back (the next round is assigned on the dossier). */
  resumedAt?: string;
  /** When the workflow was told of that return. */
  resumeSentAt?: string;
  version: number;
}

export const taskId = (dossierCode: string, stepId: string, round: number) =>
  `${dossierCode}~${stepId}~r${round}`;

/** The parts of a task id, or undefined for anything that is not one (a 404, never a 500). */
export function parseTaskId(id: string): { dossierCode: string; stepId: string; round: number } | undefined {
  const match = /^([0-9A-Za-z.]+-\d{6}-\d{4,6})~(s\d{1,3}-\d{1,3})~r(\d{1,4})$/.exec(id);
  if (!match) return undefined;
  return { dossierCode: match[1]!, stepId: match[2]!, round: Number(match[3]) };
}

/** The token a decision answers: a stop while the step waits for the applicant's supplement answers that wait. */
export function answeredToken(
  task: Pick<AgencyTask, 'token' | 'supplementToken' | 'resumedAt' | 'decision'>,
): string {
  if (task.decision?.kind === 'stop' && task.supplementToken && !task.resumedAt) return task.supplementToken;
  return task.token;
}

/** What the workflow is told for a decision: success, or the error the definition's catches route on. */
export function workflowAnswer(
  task: Pick<AgencyTask, 'agency' | 'stepId' | 'round'>,
  decision: TaskDecision,
): { kind: 'success'; output: unknown } | { kind: 'failure'; error: string; cause: string } {
  switch (decision.kind) {
    case 'approve':
      return { kind: 'success', output: { stepId: task.stepId, approved: true } };
    case 'reject':
      return {
        kind: 'failure',
        error: 'Rejected',
        cause: JSON.stringify({ agency: task.agency, reason: decision.reason }),
      };
    case 'request-supplement':
      return {
        kind: 'failure',
        error: 'SupplementRequested',
        cause: JSON.stringify({ agency: task.agency, stepId: task.stepId, round: task.round }),
      };
    case 'stop':
      return {
        kind: 'failure',
        error: 'Stopped',
        cause: JSON.stringify({ reason: decision.reason, requestedBy: decision.requestedBy }),
      };
  }
}
