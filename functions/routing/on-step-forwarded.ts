// Stream consumer: a step forwarded to another agency; that agency gets the signed webhook of a task assigned to it.
// A delivery that fails after its retries fails the event (the stream retries it, then the dead-letter queue alarms).
import { agencyWebhooks } from '../../shared/adapters/agency-webhooks';
import { taskRepository } from '../../shared/adapters/routing-deps';
import { onEvents } from '../../shared/events/handler';
import { notifyForward, ROUTING_FORWARDED_CONSUMER } from '../../shared/usecases/routing/notify-forward';

const tasks = taskRepository();
const webhooks = agencyWebhooks();

export const handler = onEvents(
  ['DossierStepForwarded'],
  async (event, { log }) => {
    const send = await webhooks;
    const result = await notifyForward(event, { tasks, ...(send ? { send } : {}) });
    log.info('forward notice', { dossierCode: event.dossierCode, agency: event.payload.to, ...result });
  },
  { consumer: ROUTING_FORWARDED_CONSUMER },
);
