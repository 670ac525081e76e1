// The workflow's `Overdue` task: a step ran past its due time. The dossier is flagged overdue with form 04 (apology
// and a new appointment day), and the step waits again for its budget once more. Safe to run again: a step already
// extended past now is not extended twice.

import { stepDueAt, stepTimeoutSeconds } from '../../domain/routing';
import { flagOverdue } from '../../domain/transitions';
import { withForm } from '../dossiers/forms';
import type { StepTask } from './advance-route';
import { currentRun, type StepInput } from './assign-step';
import { bySystem, retryOnConflict, type TaskDeps } from './deps';

export const overdueReason = (agency: string) =>
  `Quá hạn giải quyết tại ${agency} / Past its due time at ${agency}`;

export async function overdueStep(input: StepInput, deps: TaskDeps): Promise<StepTask & { overdue: true }> {
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
      // Form 04 is recorded with the flag (rendered on download): the late agency, the reason, both appointment days.
      const withApology = withForm(flagged.dossier, '04', '', now);
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
