// The audit log in its own table: entries `AUDIT#main` / `SEQ#<12 digits>` and the head `AUDIT#main` / `HEAD` in one
// partition, so verification is one Query in seq order; each append is one transaction conditional on the head.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../domain/audit';
import { type AuditLog, ChainMovedError } from '../../ports/audit-log';
import { consumedMarkPut } from './consumed-events';
import { failedConditions } from './transactions';

const CHAIN = 'AUDIT#main';
const headKey = { pk: CHAIN, sk: 'HEAD' };
export const auditEntryKey = (seq: number) => ({ pk: CHAIN, sk: `SEQ#${String(seq).padStart(12, '0')}` });

export function dynamoAuditLog(client: DynamoDBDocumentClient, tableName: string): AuditLog {
  return {
    async head() {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: headKey, ConsistentRead: true }),
      );
      return Item ? { seq: Item.seq as number, hash: Item.hash as string } : undefined;
    },

    async append(entry, mark) {
      const first = entry.seq === 1;
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: { ...headKey, seq: entry.seq, hash: entry.hash, at: entry.recordedAt },
                  ConditionExpression: first ? 'attribute_not_exists(pk)' : 'seq = :previous',
                  ...(first ? {} : { ExpressionAttributeValues: { ':previous': entry.seq - 1 } }),
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: { ...auditEntryKey(entry.seq), entity: 'audit-entry', entry },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              ...(mark ? [consumedMarkPut(tableName, mark)] : []),
            ],
          }),
        );
        return 'appended';
      } catch (error) {
        const failed = failedConditions(error);
        if (mark && failed?.includes(2)) return 'duplicate';
        if (failed?.length) throw new ChainMovedError(entry.seq);
        throw error;
      }
    },

    async *entries() {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :chain AND begins_with(sk, :seq)',
            ExpressionAttributeValues: { ':chain': CHAIN, ':seq': 'SEQ#' },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        yield (page.Items ?? []).map((item) => item.entry as AuditEntry);
        start = page.LastEvaluatedKey;
      } while (start);
    },
  };
}
