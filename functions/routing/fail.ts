// Workflow task `RecordFailure`: a task failed past its retries; the dossier records the failed run.
import { taskDeps } from '../../shared/adapters/routing-deps';
import { type FailInput, failRoute } from '../../shared/usecases/routing/fail-route';
import { workflowTask } from '../../shared/workflow/task-handler';
import { routingTasks } from '../../shared/workflow/tasks';

const deps = taskDeps();

export const handler = workflowTask(routingTasks.fail, async (input: FailInput, { metrics }) => {
  const outcome = await failRoute(input, deps);
  if (outcome === 'recorded') metrics.countOperational('RoutingFailed');
  return { outcome };
});
