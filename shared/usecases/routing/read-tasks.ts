// What a partner agency reads of its tasks: its queue by due time, and one task with what the agency is entitled to
// see of the dossier (the applicant, the answers, the documents as short-lived links, earlier agencies' decisions).

import type { Page } from '../../cursor';
import { documentKeys } from '../../data/resources';
import type { Caller } from '../../domain/caller';
import type { AgencyTask, TaskStatus } from '../../domain/tasks';
import type { ObjectStore } from '../../ports/documents';
import type { DossierRepository } from '../../ports/dossier-repository';
import type { TaskRepository } from '../../ports/task-repository';
import { agencyTask } from './decide-task';

/** Short enough that a leaked link is soon useless, long enough to open a few documents. */
export const DOCUMENT_LINK_SECONDS = 300;

export interface TaskSummary {
  id: string;
  dossierCode: string;
  procedure: { code: string; name: string };
  stepId: string;
  round: number;
  task: string;
  status: TaskStatus;
  overdue: boolean;
  assignedAt: string;
  dueAt: string;
  decision?: string;
  /** The last forward: from the agency that held the task to the one holding it now. */
  forwarded?: { from: string; to: string; at: string; reason: string };
}

export function taskSummary(task: AgencyTask): TaskSummary {
  const forwarded = task.forwards?.at(-1);
  return {
    id: task.id,
    dossierCode: task.dossierCode,
    procedure: { code: task.procedure.code, name: task.procedure.name.vi },
    stepId: task.stepId,
    round: task.round,
    task: task.task.vi,
    status: task.status,
    overdue: task.overdue,
    assignedAt: task.assignedAt,
    dueAt: task.dueAt,
    ...(task.decision ? { decision: task.decision.kind } : {}),
    ...(forwarded
      ? { forwarded: { from: forwarded.from, to: forwarded.to, at: forwarded.at, reason: forwarded.reason } }
      : {}),
  };
}

export async function listAgencyTasks(
  caller: Caller,
  query: { status: TaskStatus; procedure?: string; limit: number; cursor?: string },
  deps: { tasks: Pick<TaskRepository, 'listByAgency'> },
): Promise<Page<TaskSummary>> {
  // The route admits partners only; anything else reads an empty queue, never another's.
  if (caller.kind !== 'agency') return { items: [] };
  const page = await deps.tasks.listByAgency(caller.agency, query.status, query);
  return { ...page, items: page.items.map(taskSummary) };
}

export interface TaskDetail extends TaskSummary {
  applicant: { fullName: string; citizenId: string; address?: string; phone?: string; email?: string };
  answers: Record<string, string | number | boolean>;
  documents: {
    requirementId: string;
    name: string;
    contentType: string;
    sizeBytes: number;
    sha256: string;
    url: string;
    expiresAt: string;
  }[];
  /** What the agencies before this step decided, in order. */
  earlierDecisions: { stepId: string; agency: string; state: string; decidedAt: string; note?: string }[];
  dossierStatus: string;
}

export async function getAgencyTask(
  caller: Caller,
  id: string,
  deps: {
    tasks: Pick<TaskRepository, 'get'>;
    dossiers: Pick<DossierRepository, 'get'>;
    objects: Pick<ObjectStore, 'presignGet'>;
  },
): Promise<TaskDetail> {
  const task = await agencyTask(caller, id, deps);
  const dossier = await deps.dossiers.get(task.dossierCode);
  if (!dossier) throw new Error(`dossier ${task.dossierCode} of task ${task.id} is missing`);
  const documents = await Promise.all(
    dossier.documents.map(async (document) => {
      const link = await deps.objects.presignGet(documentKeys.filed(document.documentId), {
        expiresInSeconds: DOCUMENT_LINK_SECONDS,
        fileName: document.fileName,
      });
      return {
        requirementId: document.requirementId,
        name: document.name.vi,
        contentType: document.contentType,
        sizeBytes: document.sizeBytes,
        sha256: document.sha256,
        ...link,
      };
    }),
  );
  const earlierDecisions = Object.entries(dossier.routing?.steps ?? {})
    .filter(([stepId, step]) => step.decidedAt && stepId !== task.stepId)
    .map(([stepId, step]) => ({
      stepId,
      agency: step.agency,
      state: step.state,
      decidedAt: step.decidedAt!,
      ...(step.note ? { note: step.note } : {}),
    }))
    .sort((a, b) => a.decidedAt.localeCompare(b.decidedAt));
  const { applicant } = dossier;
  return {
    ...taskSummary(task),
    applicant: {
      fullName: applicant.fullName,
      citizenId: applicant.citizenId,
      ...(applicant.address ? { address: applicant.address } : {}),
      ...(applicant.phone ? { phone: applicant.phone } : {}),
      ...(applicant.email ? { email: applicant.email } : {}),
    },
    answers: dossier.answers,
    documents,
    earlierDecisions,
    dossierStatus: dossier.status,
  };
}
