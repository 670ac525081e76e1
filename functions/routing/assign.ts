// Workflow callback task `Decide`: the step's task is recorded for its agency with the token, and the agency told by
// a signed webhook (Standard Webhooks). A delivery that still fails after its retries is logged and counted
// (`NotificationsFailed`, alarmed); the agency's queue has the task whatever happens to the webhook.
import { taskDeps } from '../../shared/adapters/routing-deps';
import { webhookNotifier } from '../../shared/adapters/webhook-notifier';
import type { AgencyEndpoints } from '../../shared/ports/agency-endpoints';
import type { AgencyNotice } from '../../shared/ports/agency-notices';
import { type AssignInput, assignStep } from '../../shared/usecases/routing/assign-step';
import { messageId } from '../../shared/webhooks/standard-webhooks';
import { workflowTask } from '../../shared/workflow/task-handler';
import { routingTasks } from '../../shared/workflow/tasks';

// Endpoints and secrets are agency data: a git-ignored file on the embedded stack. In the cloud they are to come
// from Secrets Manager (not built yet): without a source, agencies pull their queue.
async function endpoints(): Promise<AgencyEndpoints | undefined> {
  const file = process.env.AGENCY_ENDPOINTS_FILE;
  if (!file) return undefined;
  const { fileAgencyEndpoints } = await import('../../local/agency-endpoints');
  return fileAgencyEndpoints(file);
}
const deps = taskDeps();
const registry = endpoints();
const loopback = process.env.STAGE === 'local';

export const handler = workflowTask(routingTasks.assign, async (input: AssignInput, { log, metrics }) => {
  const source = await registry;
  const notifier = source
    ? webhookNotifier(source, { attempts: 3, baseDelayMs: 500, maxDelayMs: 5000, allowLoopback: loopback })
    : undefined;
  const notify = notifier
    ? async (notice: AgencyNotice) => {
        const outcome = await notifier.notify(notice.agency, {
          // One id per task (its round included), kind and due time: a redelivery repeats it, a new round does not.
          id: messageId(notice.taskId, notice.type, notice.dueAt),
          type: notice.type === 'task.overdue' ? 'dossier.step.overdue' : 'dossier.step.assigned',
          timestamp: notice.at,
          data: notice,
        });
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
