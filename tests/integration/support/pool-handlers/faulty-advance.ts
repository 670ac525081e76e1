// The real `advance` task behind the same wrapper, failing while a planted fault is left (support/faults.ts): as a task
// function whose database is unreachable fails.
import { handler as real } from '../../../../functions/routing/advance';
import { workflowTask } from '../../../../shared/workflow/task-handler';
import { routingTasks } from '../../../../shared/workflow/tasks';
import { takeFault } from '../faults';

export const handler = workflowTask(routingTasks.advance, async (input: Parameters<typeof real>[0]) => {
  if (takeFault('advance')) throw new Error('injected fault: the table did not answer');
  return real(input);
});
