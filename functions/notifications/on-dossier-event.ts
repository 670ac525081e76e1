// The applicant hears of their dossier by email and SMS: each message on each channel once per event.
import { notifyDeps } from '../../shared/adapters/notification-deps';
import { consumer } from '../../shared/events/consumers';
import { onEvents } from '../../shared/events/handler';
import { NotificationFailedError, notifyApplicant } from '../../shared/notifications/notify-applicant';
import { notifiedEvents } from '../../shared/notifications/plan';

const deps = notifyDeps();
const { id } = consumer('notifications');

export const handler = onEvents(
  notifiedEvents,
  async (event, { log }) => {
    try {
      // Kinds, channels and outcomes only: never an address, a phone number or a message's text.
      const deliveries = await notifyApplicant(event, deps);
      log.info('notified', { deliveries: deliveries.map(({ messageId: _id, ...d }) => d) });
    } catch (error) {
      if (error instanceof NotificationFailedError)
        log.warn('notification failed', { deliveries: error.deliveries });
      throw error;
    }
  },
  { consumer: id },
);
