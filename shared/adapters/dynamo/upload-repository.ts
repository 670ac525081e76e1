// Uploads in the dossiers table (`UPLOAD#<id>` / `UPLOAD`, the record under `data`); layout in docs/access-patterns.md.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../errors';
import type { Upload, UploadRepository } from '../../ports/documents';
import { IdempotencyRaceError } from '../../ports/idempotency-store';
import { batchGetAll } from './batch-get';
import { idempotencyPut } from './idempotency-store';
import { failedConditions } from './transactions';

const uploadKey = (id: string) => ({ pk: `UPLOAD#${id}`, sk: 'UPLOAD' });

const exists = () => new ConflictError('An upload with this id exists', 'UPLOAD_EXISTS');

// An upload record only bridges the upload and the filing (a dossier keeps its own copy of what it needs), so
// every record expires: 30 days is long for a citizen to finish a filing. TTL deletes late, so reads check it.
const RETENTION_SECONDS = 30 * 86_400;
const expiry = (createdAt: string) => Math.floor(Date.parse(createdAt) / 1000) + RETENTION_SECONDS;
const live = (item: Record<string, unknown> | undefined) =>
  item && !((item.ttl as number | undefined) !== undefined && (item.ttl as number) < Date.now() / 1000)
    ? (item.data as Upload)
    : undefined;

export function dynamoUploadRepository(
  client: DynamoDBDocumentClient,
  tableName: string,
  idempotencyTable: string,
): UploadRepository {
  return {
    async create(upload, idempotency) {
      const put = {
        TableName: tableName,
        Item: { ...uploadKey(upload.id), data: upload, ttl: expiry(upload.createdAt) },
        ConditionExpression: 'attribute_not_exists(pk)',
      };
      if (!idempotency) {
        try {
          await client.send(new PutCommand(put));
        } catch (error) {
          if (error instanceof ConditionalCheckFailedException) throw exists();
          throw error;
        }
        return;
      }
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [{ Put: put }, idempotencyPut(idempotencyTable, idempotency)],
          }),
        );
      } catch (error) {
        const failed = failedConditions(error);
        if (failed?.includes(1)) throw new IdempotencyRaceError();
        if (failed?.includes(0)) throw exists();
        throw error;
      }
    },

    async get(id) {
      // Consistent: completion reads what the request step has just written.
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: uploadKey(id), ConsistentRead: true }),
      );
      return live(Item);
    },

    async getMany(ids) {
      // Consistent: a dossier is often filed right after its uploads were verified.
      const items = await batchGetAll(client, tableName, ids.map(uploadKey), { consistent: true });
      return items.flatMap((item) => live(item) ?? []);
    },

    async settle(id, outcome) {
      const verified = outcome.status === 'VERIFIED';
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: uploadKey(id),
            UpdateExpression: verified
              ? 'SET #data.#status = :status, #data.verifiedAt = :at, #data.s3Key = :key'
              : 'SET #data.#status = :status, #data.rejectedAt = :at, #data.rejectedReason = :reason',
            ConditionExpression: '#data.#status = :pending',
            ExpressionAttributeNames: { '#data': 'data', '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': outcome.status,
              ':at': outcome.at,
              ':pending': 'PENDING',
              ...(outcome.status === 'VERIFIED' ? { ':key': outcome.s3Key } : { ':reason': outcome.reason }),
            },
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          throw new ConflictError('The upload was already verified or rejected', 'UPLOAD_ALREADY_SETTLED');
        }
        throw error;
      }
    },
  };
}
