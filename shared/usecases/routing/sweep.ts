// The routing sweep (a schedule) and the admin's re-drive: nothing stays silently stuck. Decisions stored but not yet
// heard by the workflow are sent again with the task's current token; supplements that brought a step back are
// passed on; a dossier in progress whose run is gone (failed, aborted, lost with a crashed service) is re-driven
// from its recorded stage, until MAX_AUTOMATIC_REDRIVES runs in a row have failed (recorded on the dossier by the
// workflow's RecordFailure task): then it is reported stuck, for an operator's re-drive. Every part is safe to repeat.
import type { Caller } from '../../domain/caller';
import type { Dossier } from '../../domain/dossier';
import { executionName, routeInProgress } from '../../domain/routing';
import type { AgencyTask } from '../../domain/tasks';
import { redriveRouting } from '../../domain/transitions';
import { ConflictError, NotFoundError } from '../../errors';
import { MAX_AUTOMATIC_REDRIVES } from '../../workflow/tasks';
import { sendDecision } from './decide-task';
import { bySystem, type SweepDeps } from './deps';
import { sendPendingResumes } from './supplement-loop';

export interface SweepReport {
  decisionsSent: number;
  resumesSent: number;
  redriven: string[];
  /** Decisions whose step has moved on without them (the run ended): marked done, nothing sent. */
  settled: number;
  /** Dossiers whose last MAX_AUTOMATIC_REDRIVES runs failed: left for an operator's re-drive (alarmed). */
  stuck: string[];
}

/** Whether the sweep leaves a dossier whose run is gone to an operator: its recent runs kept failing. */
export function needsOperator(dossier: Dossier): boolean {
  const failure = dossier.routing?.failure;
  return Boolean(
    failure && failure.attempt === dossier.routing?.attempt && failure.count >= MAX_AUTOMATIC_REDRIVES,
  );
}

/** Whether the workflow evidently has the decision: the step's stage is behind it, or it parked for a supplement. */
function workflowHeard(task: AgencyTask, dossier: Dossier): boolean {
  if (!routeInProgress(dossier)) return true;
  if ((dossier.routing?.completedStages ?? 0) > task.stage) return true;
  return task.decision?.kind === 'request-supplement' && Boolean(task.supplementToken);
}

/** A new run from the dossier's recorded progress; refused while its current run is still going. */
export async function redrive(
  code: string,
  by: { actor: Parameters<typeof redriveRouting>[1]['actor']; caller: Caller },
  reason: string,
  deps: Pick<SweepDeps, 'dossiers' | 'workflow' | 'clock'>,
): Promise<{ executionName: string; attempt: number }> {
  const dossier = await deps.dossiers.get(code);
  if (!dossier) throw new NotFoundError('No such dossier', 'DOSSIER_NOT_FOUND');
  if (!dossier.routing || !routeInProgress(dossier)) {
    throw new ConflictError('The dossier has no route in progress', 'INVALID_TRANSITION', {
      status: dossier.status,
    });
  }
  if ((await deps.workflow.status(dossier.routing.executionName)) === 'RUNNING') {
    throw new ConflictError('Its run is still going', 'CONFLICT', {
      executionName: dossier.routing.executionName,
    });
  }
  const attempt = dossier.routing.attempt + 1;
  const name = executionName(dossier.code, attempt);
  const moved = redriveRouting(dossier, by, deps.clock(), { attempt, executionName: name }, reason);
  await deps.dossiers.update({
    dossier: moved.dossier,
    expectedVersion: dossier.version,
    entry: moved.entry,
    events: moved.events,
  });
  await deps.workflow.start(name, { dossierCode: code, attempt, next: dossier.routing.completedStages });
  return { executionName: name, attempt };
}

export async function sweepRouting(deps: SweepDeps, pageSize = 50): Promise<SweepReport> {
  const report: SweepReport = { decisionsSent: 0, resumesSent: 0, redriven: [], settled: 0, stuck: [] };
  let cursor: string | undefined;
  do {
    const page = await deps.tasks.listUnsent({ limit: pageSize, ...(cursor ? { cursor } : {}) });
    for (const task of page.items) {
      const dossier = await deps.dossiers.get(task.dossierCode);
      if (!dossier) continue;
      if (task.decision && !task.sentAt) {
        const outcome = await sendDecision(task, deps);
        if (outcome === 'sent') report.decisionsSent += 1;
        else if (workflowHeard(task, dossier)) {
          await deps.tasks.put({
            task: { ...task, sentAt: deps.clock().toISOString(), version: task.version + 1 },
            expectedVersion: task.version,
          });
          report.settled += 1;
        }
      }
      if (task.resumedAt && !task.resumeSentAt)
        report.resumesSent += await sendPendingResumes(task.dossierCode, deps);
    }
    cursor = page.nextCursor;
  } while (cursor);

  // Dossiers whose route is in progress, branch by branch (Queries of the branch-status index, never a Scan).
  let branchCursor: string | undefined;
  do {
    const branches = await deps.catalogue.branches({
      limit: 100,
      ...(branchCursor ? { cursor: branchCursor } : {}),
    });
    for (const branch of branches.items) {
      for (const status of ['IN_PROGRESS', 'SUPPLEMENT_REQUESTED'] as const) {
        let dossierCursor: string | undefined;
        do {
          const dossiers = await deps.dossierLists.listByBranchStatus(branch.code, status, {
            limit: pageSize,
            ...(dossierCursor ? { cursor: dossierCursor } : {}),
          });
          for (const dossier of dossiers.items) {
            if (!dossier.routing || dossier.routing.endedAt) continue;
            if ((await deps.workflow.status(dossier.routing.executionName)) === 'RUNNING') continue;
            if (needsOperator(dossier)) {
              report.stuck.push(dossier.code);
              continue;
            }
            try {
              const run = await redrive(
                dossier.code,
                bySystem,
                'Chạy lại quy trình / Route re-driven by the sweep',
                deps,
              );
              report.redriven.push(run.executionName);
            } catch (error) {
              // Moved meanwhile (a decision, or another sweep): the next sweep looks again.
              if ((error as { code?: string }).code !== 'VERSION_CONFLICT') throw error;
            }
          }
          dossierCursor = dossiers.nextCursor;
        } while (dossierCursor);
      }
    }
    branchCursor = branches.nextCursor;
  } while (branchCursor);
  return report;
}
