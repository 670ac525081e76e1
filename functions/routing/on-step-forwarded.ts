// Stream consumer: a step forwarded to another agency; that agency gets the signed webhook of a task assigned to it.
// A delivery that fails after its retries fails the event (the stream retries it, then the dead-letter queue alarms);
// one refused for good (an invalid secret or URL, an endpoint that refuses the message) is counted
// (`NotificationsFailed`) and dead-lettered like the assign task's (UndeliveredNotices), the event done.
import { agencyWebhooks, reportingSender, undeliveredNotices } from '../../shared/adapters/agency-webhooks';
import { taskRepository } from '../../shared/adapters/routing-deps';
import { onEvents } from '../../shared/events/handler';
import { notifyForward, ROUTING_FORWARDED_CONSUMER } from '../../shared/usecases/routing/notify-forward';

const tasks = taskRepository();
const webhooks = agencyWebhooks();
const undelivered = undeliveredNotices();

export const handler = onEvents(
  ['DossierStepForwarded'],
  async (event, { log, metrics }) => {
    const send = await webhooks;
    const report = send
      ? reportingSender(send, {
          source: ROUTING_FORWARDED_CONSUMER,
          undelivered: await undelivered,
          keep: 'permanent-failures',
          log,
          metrics,
        })
      : undefined;
    const result = await notifyForward(event, { tasks, ...(report ? { send: report } : {}) });
    log.info('forward notice', { dossierCode: event.dossierCode, agency: event.payload.to, ...result });
  },
  { consumer: ROUTING_FORWARDED_CONSUMER },
);
