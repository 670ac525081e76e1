// The workflow's `Overdue` task: a step ran past its due time. The dossier is flagged overdue with form 04 (apology
// and a new appointment day), and the step waits again for its budget once more. Safe to run again: a step already
// extended past now is not extended twice.
import type { Dossier } from '../../domain/dossier';
import { stepDueAt, stepTimeoutSeconds } from '../../domain/routing';
import { flagOverdue } from '../../domain/transitions';
import type { StepTask } from './advance-route';
import { currentRun, type StepInput } from './assign-step';
import { bySystem, retryOnConflict, type TaskDeps } from './deps';

export interface OverdueDeps extends TaskDeps {
  /** Adds the form 04 record to the flagged dossier (forms are rendered on download, never here). */
  issueApology?: (dossier: Dossier, at: Date) => Dossier;
}

export const overdueReason = (agency: string) =>
  `Quá hạn giải quyết tại ${agency} / Past its due time at ${agency}`;

export async function overdueStep(
  input: StepInput,
  deps: OverdueDeps,
): Promise<StepTask & { overdue: true }> {
  return retryOnConflict(async () => {
    const dossier = await currentRun(input, deps);
    const now = deps.clock();
    const recorded = dossier.routing!.steps?.[input.step.stepId];
    if (!recorded) throw new Error(`step ${input.step.stepId} of ${dossier.code} was never assigned`);
    let dueAt = recorded.dueAt;
    // The due time this timeout was for is still the recorded one (not a retry after the extension was saved): the
    // step gets its budget once more, from its old due time (or now, if that is later), and the dossier is flagged.
    if (recorded.state === 'assigned' && recorded.dueAt === input.step.dueAt) {
      const from = Math.max(now.getTime(), new Date(recorded.dueAt).getTime());
      // At least a working day more: a same-day step (budget 0) would otherwise be due again at once.
      dueAt = stepDueAt(new Date(from), Math.max(1, recorded.workingDays)).toISOString();
      const flagged = flagOverdue(dossier, bySystem, now, {
        stepId: input.step.stepId,
        reason: overdueReason(recorded.agency),
        newDueAt: dueAt,
      });
      const withApology = deps.issueApology ? deps.issueApology(flagged.dossier, now) : flagged.dossier;
      await deps.dossiers.update({
        dossier: withApology,
        expectedVersion: dossier.version,
        entry: flagged.entry,
        events: flagged.events,
      });
    }
    return {
      ...input.step,
      dueAt,
      timeoutSeconds: stepTimeoutSeconds(new Date(dueAt), now, deps.timeScale),
      overdue: true as const,
    };
  });
}
