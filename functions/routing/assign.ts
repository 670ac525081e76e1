// Workflow callback task `Decide`: the step's task is recorded for its agency with the token, and the agency told by
// a signed webhook (Standard Webhooks). A delivery that still fails after its retries is logged and counted
// (`NotificationsFailed`, alarmed); the agency's queue has the task whatever happens to the webhook.
import { agencyWebhooks } from '../../shared/adapters/agency-webhooks';
import { taskDeps } from '../../shared/adapters/routing-deps';
import type { AgencyNotice } from '../../shared/ports/agency-notices';
import { type AssignInput, assignStep } from '../../shared/usecases/routing/assign-step';
import { workflowTask } from '../../shared/workflow/task-handler';
import { routingTasks } from '../../shared/workflow/tasks';

const deps = taskDeps();
const webhooks = agencyWebhooks();

export const handler = workflowTask(routingTasks.assign, async (input: AssignInput, { log, metrics }) => {
  const send = await webhooks;
  const notify = send
    ? async (notice: AgencyNotice) => {
        const outcome = await send(notice);
        // An agency with no endpoint registered (no secret under motcua/<env>/agency-webhooks/) pulls its queue:
        // nothing failed, nothing to alarm on.
        if (outcome.refused === 'no-endpoint') {
          log.info('agency has no webhook endpoint', { agency: notice.agency, taskId: notice.taskId });
          return;
        }
        if (outcome.status !== 'delivered') {
          metrics.countOperational('NotificationsFailed');
          log.error('agency not notified', {
            agency: notice.agency,
            taskId: notice.taskId,
            refused: outcome.refused,
          });
        }
      }
    : undefined;
  const { task, announced } = await assignStep(input, { ...deps, ...(notify ? { notify } : {}) });
  return { taskId: task.id, announced };
});
