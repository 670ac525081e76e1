// UndeliveredNotices over Amazon SQS: each letter is one SendMessage to the environment's queue
// `motcua-<env>-agency-webhooks-dead-letters` (its URL in AGENCY_WEBHOOK_DEAD_LETTERS_URL), the letter as the JSON body,
// the agency, the event type, the webhook id and the giving-up function as message attributes (what
// `aws sqs receive-message --message-attribute-names All` shows without parsing). One client per warm function,
// created on first use; its endpoint comes from AWS_ENDPOINT_URL_SQS when set.
import type { SendMessageCommandInput, SQSClient } from '@aws-sdk/client-sqs';
import type { UndeliveredNotice, UndeliveredNotices } from '../ports/undelivered-notices';

export const AGENCY_WEBHOOK_DEAD_LETTERS_URL = 'AGENCY_WEBHOOK_DEAD_LETTERS_URL';

/** The queue's physical name: how the workflow, events and monitoring stacks address it, with no export. */
export const agencyWebhookDeadLettersQueueName = (envName: string) =>
  `motcua-${envName}-agency-webhooks-dead-letters`;

/** SendMessage as far as this uses it (the SDK client by default; a fake in tests). */
export type SendQueueMessage = (
  input: SendMessageCommandInput,
) => Promise<{ MessageId?: string | undefined }>;

let sdkSend: SendQueueMessage | undefined;
function defaultSend(): SendQueueMessage {
  sdkSend ??= (() => {
    let client: Promise<{ sqs: SQSClient; send: SendQueueMessage }> | undefined;
    return async (input) => {
      client ??= import('@aws-sdk/client-sqs').then(({ SQSClient, SendMessageCommand }) => {
        const sqs = new SQSClient({});
        return { sqs, send: (message) => sqs.send(new SendMessageCommand(message)) };
      });
      return (await client).send(input);
    };
  })();
  return sdkSend;
}

const attribute = (value: string) => ({ DataType: 'String', StringValue: value });

export function sqsUndeliveredNotices(
  queueUrl: string,
  send: SendQueueMessage = defaultSend(),
): UndeliveredNotices {
  return {
    async keep(letter: UndeliveredNotice) {
      const { MessageId } = await send({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(letter),
        MessageAttributes: {
          agency: attribute(letter.agency),
          type: attribute(letter.message.type),
          webhookId: attribute(letter.message.id),
          source: attribute(letter.source),
        },
      });
      if (!MessageId) throw new Error('SQS answered SendMessage without a MessageId');
    },
  };
}

/** The queue named by AGENCY_WEBHOOK_DEAD_LETTERS_URL, or undefined when the variable is not set. */
export function sqsUndeliveredNoticesFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): UndeliveredNotices | undefined {
  const url = env[AGENCY_WEBHOOK_DEAD_LETTERS_URL];
  return url ? sqsUndeliveredNotices(url) : undefined;
}
