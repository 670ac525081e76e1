// The audit log in its own table: entries `AUDIT#main` / `SEQ#<12 digits>` and the head `AUDIT#main` / `HEAD` in one
// partition, so verification is one Query in seq order; each append (one entry, or a stream batch's consecutive
// entries) is one transaction conditional on the head.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../domain/audit';
import {
  type AuditLink,
  type AuditLog,
  ChainMovedError,
  MAX_LINKS_PER_APPEND,
  RecordedMarksError,
} from '../../ports/audit-log';
import { consumedMarkPut } from './consumed-events';
import { failedConditions } from './transactions';

const CHAIN = 'AUDIT#main';
const headKey = { pk: CHAIN, sk: 'HEAD' };
export const auditEntryKey = (seq: number) => ({ pk: CHAIN, sk: `SEQ#${String(seq).padStart(12, '0')}` });

export function dynamoAuditLog(client: DynamoDBDocumentClient, tableName: string): AuditLog {
  async function appendAll(links: readonly AuditLink[]): Promise<void> {
    const first = links[0]?.entry.seq;
    if (first === undefined) return;
    if (links.length > MAX_LINKS_PER_APPEND)
      throw new Error(`At most ${MAX_LINKS_PER_APPEND} links per append`);
    const last = links[links.length - 1]!.entry;
    // Item order: the head, then each link's entry and (if any) its mark; `markOf` names the link of each mark item.
    const markOf = new Map<number, number>();
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      {
        Put: {
          TableName: tableName,
          Item: { ...headKey, seq: last.seq, hash: last.hash, at: last.recordedAt },
          ConditionExpression: first === 1 ? 'attribute_not_exists(pk)' : 'seq = :previous',
          ...(first === 1 ? {} : { ExpressionAttributeValues: { ':previous': first - 1 } }),
        },
      },
    ];
    links.forEach(({ entry, mark }, index) => {
      if (entry.seq !== first + index) throw new Error('Audit links must be consecutive');
      items.push({
        Put: {
          TableName: tableName,
          Item: { ...auditEntryKey(entry.seq), entity: 'audit-entry', entry },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
      if (mark) {
        markOf.set(items.length, index);
        items.push(consumedMarkPut(tableName, mark));
      }
    });
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const failed = failedConditions(error);
      if (!failed?.length) throw error;
      const recorded = failed.flatMap((i) => (markOf.has(i) ? [markOf.get(i)!] : []));
      // A recorded mark is the answer to give first: its event must not be appended again, whatever else failed.
      if (recorded.length) throw new RecordedMarksError(recorded);
      throw new ChainMovedError(first);
    }
  }

  return {
    async head() {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: headKey, ConsistentRead: true }),
      );
      return Item ? { seq: Item.seq as number, hash: Item.hash as string } : undefined;
    },

    async append(entry, mark) {
      try {
        await appendAll([{ entry, ...(mark ? { mark } : {}) }]);
        return 'appended';
      } catch (error) {
        if (error instanceof RecordedMarksError) return 'duplicate';
        throw error;
      }
    },

    appendAll,

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
