// Workflow task `Overdue`: the step ran past its due time; the dossier is flagged, form 04 issued, the step waits on.
import { taskDeps } from '../../shared/adapters/routing-deps';
import type { StepInput } from '../../shared/usecases/routing/assign-step';
import { overdueStep } from '../../shared/usecases/routing/overdue-step';
import { workflowTask } from '../../shared/workflow/task-handler';
import { routingTasks } from '../../shared/workflow/tasks';

const deps = taskDeps();

export const handler = workflowTask(routingTasks.overdue, async (input: StepInput, { log, metrics }) => {
  const step = await overdueStep(input, deps);
  // Supervisors are alerted through the OverdueSteps alarm (monitoring stack).
  metrics.countOperational('OverdueSteps');
  log.warn('step overdue', { stepId: step.stepId, agency: step.agency, dueAt: step.dueAt });
  return step;
});
