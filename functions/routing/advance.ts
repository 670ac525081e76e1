// Workflow task `Advance`: the stage just finished is recorded, the next stage's steps are handed out.
import { routingDeps } from '../../shared/adapters/routing-deps';
import type { RoutingInput } from '../../shared/ports/workflow';
import { advanceRoute } from '../../shared/usecases/routing/advance-route';
import { workflowTask } from '../../shared/workflow/task-handler';
import { routingTasks } from '../../shared/workflow/tasks';

const deps = routingDeps();

export const handler = workflowTask(routingTasks.advance, (input: RoutingInput) => advanceRoute(input, deps));
