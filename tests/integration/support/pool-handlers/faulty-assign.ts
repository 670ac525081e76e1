// The real `assign` task behind the same wrapper, failing while a planted fault is left (support/faults.ts): as a task
// function whose database is unreachable fails.
import { handler as real } from '../../../../functions/routing/assign';
import { workflowTask } from '../../../../shared/workflow/task-handler';
import { routingTasks } from '../../../../shared/workflow/tasks';
import { takeFault } from '../faults';

export const handler = workflowTask(routingTasks.assign, async (input: Parameters<typeof real>[0]) => {
  if (takeFault('assign')) throw new Error('injected fault: the table did not answer');
  return real(input);
});
