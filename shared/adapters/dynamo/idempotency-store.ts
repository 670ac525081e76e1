// Idempotency records in DynamoDB: written inside the acting transaction; read before acting or once it fails
// (shared/usecases/idempotent.ts).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyRecord, IdempotencyStore, StoredAnswer } from '../../ports/idempotency-store';

const RETENTION_SECONDS = 24 * 3600;

export function dynamoIdempotencyStore(client: DynamoDBDocumentClient, tableName: string): IdempotencyStore {
  return {
    async find(id) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: { pk: id }, ConsistentRead: true }),
      );
      // TTL deletes lazily (up to ~48 h), so an expired record is treated as gone here.
      if (!Item || (Item.expiresAt as number) < Date.now() / 1000) return undefined;
      return { requestHash: Item.requestHash as string, answer: Item.answer as StoredAnswer };
    },
  };
}

/** The Put to add to a TransactWriteItems call; its condition loses the race for a concurrent duplicate. */
export function idempotencyPut(tableName: string, record: IdempotencyRecord) {
  return {
    Put: {
      TableName: tableName,
      Item: {
        pk: record.id,
        requestHash: record.requestHash,
        answer: record.answer,
        expiresAt: Math.floor(Date.now() / 1000) + RETENTION_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': Math.floor(Date.now() / 1000) },
    },
  };
}
