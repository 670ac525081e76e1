// Consumed-event marks (`CONSUMED#<consumer>#<eventId>`), written only if absent: in the effect's own transaction
// where the effect is a DynamoDB write, or on their own after an effect that is itself keyed by the event id.
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ConsumedEvents, ConsumedMark } from '../../ports/consumed-events';
import { batchGetAll } from './batch-get';
import { batchPutAll } from './batch-write';

export interface MarkOptions {
  /** The table's TTL attribute: marks outlive every redelivery (24 h stream, 14 days of DLQ) and then expire. */
  ttlAttribute?: string;
  keepDays?: number;
}

const DEFAULT_KEEP_DAYS = 30;

export const consumedMarkKey = (consumer: string, eventId: string) => ({
  pk: `CONSUMED#${consumer}#${eventId}`,
  sk: 'CONSUMED',
});

/** The Put to add to a TransactWriteItems call; its condition fails for an event the consumer already took. */
export function consumedMarkPut(tableName: string, mark: ConsumedMark, options: MarkOptions = {}) {
  const expires = options.ttlAttribute
    ? {
        [options.ttlAttribute]:
          Math.floor(Date.parse(mark.at) / 1000) + (options.keepDays ?? DEFAULT_KEEP_DAYS) * 86_400,
      }
    : {};
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...consumedMarkKey(mark.consumer, mark.eventId),
        entity: 'consumed',
        consumer: mark.consumer,
        eventId: mark.eventId,
        at: mark.at,
        ...expires,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Whether the consumer's mark for the event exists (a consistent read: a mark just written counts). */
export async function consumedMarkExists(
  client: DynamoDBDocumentClient,
  tableName: string,
  consumer: string,
  eventId: string,
): Promise<boolean> {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: consumedMarkKey(consumer, eventId), ConsistentRead: true }),
  );
  return Item !== undefined;
}

export function dynamoConsumedEvents(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: MarkOptions = {},
): ConsumedEvents {
  return {
    has: (consumer, eventId) => consumedMarkExists(client, tableName, consumer, eventId),
    async taken(consumer, eventIds) {
      if (eventIds.length === 0) return new Set();
      const items = await batchGetAll(
        client,
        tableName,
        eventIds.map((id) => consumedMarkKey(consumer, id)),
        { consistent: true },
      );
      return new Set(items.map((item) => item.eventId as string));
    },
    async recordAll(marks) {
      await batchPutAll(
        client,
        tableName,
        marks.map((mark) => consumedMarkPut(tableName, mark, options).Put.Item),
      );
    },
    async record(mark) {
      try {
        await client.send(new PutCommand(consumedMarkPut(tableName, mark, options).Put));
        return true;
      } catch (error) {
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },
  };
}
