// Workflow callback task `Decide`: the step's task is recorded for its agency with the token, and the agency told by
// a signed webhook (Standard Webhooks). A delivery that still fails after its retries is logged, counted
// (`NotificationsFailed`) and dead-lettered (UndeliveredNotices: the queue `motcua-<env>-agency-webhooks-dead-letters`,
// alarmed; `npm run dlq` locally); the agency's queue has the task whatever happens to the webhook. A task the agency
// decided while the step waited under an older token is answered at once with this one (its only Step Functions
// grant: SendTask* with the token it was given).
import { agencyWebhooks, reportingSender, undeliveredNotices } from '../../shared/adapters/agency-webhooks';
import { callbackDeps } from '../../shared/adapters/routing-deps';
import { type AssignInput, assignStep } from '../../shared/usecases/routing/assign-step';
import { workflowTask } from '../../shared/workflow/task-handler';
import { routingTasks } from '../../shared/workflow/tasks';

const deps = callbackDeps();
const webhooks = agencyWebhooks();
const undelivered = undeliveredNotices();

export const handler = workflowTask(routingTasks.assign, async (input: AssignInput, { log, metrics }) => {
  const send = await webhooks;
  // An agency with no endpoint registered (no secret under motcua/<env>/agency-webhooks/) pulls its queue: nothing
  // failed, nothing to alarm on. Any other failure is kept, and never fails the task.
  const report = send
    ? reportingSender(send, {
        source: routingTasks.assign.id,
        undelivered: await undelivered,
        keep: 'every-failure',
        log,
        metrics,
      })
    : undefined;
  const notify = report
    ? async (notice: Parameters<typeof report>[0]) => void (await report(notice))
    : undefined;
  const { task, announced, answered } = await assignStep(input, {
    ...deps,
    ...(notify ? { notify } : {}),
  });
  return { taskId: task.id, announced, answered };
});
