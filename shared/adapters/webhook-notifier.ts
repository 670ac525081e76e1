// AgencyNotifier over Standard Webhooks: looks the agency's endpoint up and delivers the message with retries.
import type { AgencyEndpoints } from '../ports/agency-endpoints';
import type { AgencyNotifier, NotificationOutcome, NotificationRefusal } from '../ports/agency-notifier';
import { type DeliveryOptions, deliver, WebhookEndpointError } from '../webhooks/delivery';
import { WebhookSecretError } from '../webhooks/standard-webhooks';

export type WebhookNotifierOptions = Omit<DeliveryOptions, 'secret'>;

const refused = (messageId: string, reason: NotificationRefusal): NotificationOutcome => ({
  status: 'failed',
  messageId,
  attempts: [],
  permanent: true,
  refused: reason,
});

export function webhookNotifier(
  endpoints: AgencyEndpoints,
  options: WebhookNotifierOptions = {},
): AgencyNotifier {
  return {
    async notify(agency, message) {
      const endpoint = await endpoints.endpointOf(agency);
      if (!endpoint) return refused(message.id, 'no-endpoint');
      // The body follows the spec's payload structure; the id travels in the webhook-id header.
      const payload = { type: message.type, timestamp: message.timestamp, data: message.data };
      try {
        return await deliver(
          endpoint.url,
          { id: message.id, payload },
          { ...options, secret: endpoint.secrets },
        );
      } catch (error) {
        if (error instanceof WebhookEndpointError) return refused(message.id, error.reason);
        if (error instanceof WebhookSecretError) return refused(message.id, 'invalid-secret');
        throw error;
      }
    },
  };
}
