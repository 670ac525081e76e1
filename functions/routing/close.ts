// Workflow task `Close`: an agency rejected the dossier or processing stopped; the dossier records why.
import { taskDeps } from '../../shared/adapters/routing-deps';
import { type CloseInput, closeRoute } from '../../shared/usecases/routing/close-route';
import { workflowTask } from '../../shared/workflow/task-handler';
import { routingTasks } from '../../shared/workflow/tasks';

const deps = taskDeps();

export const handler = workflowTask(routingTasks.close, async (input: CloseInput) => ({
  closed: await closeRoute(input, deps),
}));
