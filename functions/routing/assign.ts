// Workflow callback task `Decide`: the step's task is recorded for its agency with the token, and the agency told.
import { taskDeps } from '../../shared/adapters/routing-deps';
import { type AssignInput, assignStep } from '../../shared/usecases/routing/assign-step';
import { workflowTask } from '../../shared/workflow/task-handler';
import { routingTasks } from '../../shared/workflow/tasks';

const deps = taskDeps();

export const handler = workflowTask(routingTasks.assign, async (input: AssignInput) => {
  const { task, announced } = await assignStep(input, deps);
  return { taskId: task.id, announced };
});
