// The applicant hears of their dossier by email and SMS: each message on each channel once per event. A stream batch
// at once: one read for its dossiers, one for the marks, one write for the marks of what was sent.
import { notifyDeps } from '../../shared/adapters/notification-deps';
import { consumer } from '../../shared/events/consumers';
import { onEventBatches } from '../../shared/events/handler';
import { NotificationFailedError, notifyApplicants } from '../../shared/notifications/notify-applicant';
import { notifiedEvents } from '../../shared/notifications/plan';

const deps = notifyDeps();
const { id } = consumer('notifications');

export const handler = onEventBatches(
  notifiedEvents,
  async (events, { log }) => {
    try {
      // Kinds, channels and outcomes only: never an address, a phone number or a message's text.
      for (const { event, deliveries } of await notifyApplicants(events, deps)) {
        log.info('notified', {
          eventId: event.id,
          event: event.name,
          dossierCode: event.dossierCode,
          deliveries: deliveries.map(({ messageId: _id, ...d }) => d),
        });
      }
    } catch (error) {
      if (error instanceof NotificationFailedError)
        log.warn('notification failed', { deliveries: error.deliveries, missing: error.missing.length });
      throw error;
    }
  },
  { consumer: id },
);
