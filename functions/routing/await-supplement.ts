// Workflow callback task `AwaitSupplement`: the token the applicant's supplement will answer is kept on the task.
import { taskDeps } from '../../shared/adapters/routing-deps';
import type { AssignInput } from '../../shared/usecases/routing/assign-step';
import { awaitSupplement } from '../../shared/usecases/routing/supplement-loop';
import { workflowTask } from '../../shared/workflow/task-handler';
import { routingTasks } from '../../shared/workflow/tasks';

const deps = taskDeps();

export const handler = workflowTask(routingTasks.awaitSupplement, async (input: AssignInput) => ({
  state: await awaitSupplement(input, deps),
}));
