// DynamoDB pagination behind opaque cursors: the LastEvaluatedKey, encoded, and checked when it comes back.
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor, type Page } from '../../cursor';
import { ValidationError } from '../../errors';
import { batchGetAll } from './batch-get';

const isKey = (value: unknown): value is Record<string, string> =>
  !!value &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.values(value as Record<string, unknown>).every(
    (v) => typeof v === 'string' || typeof v === 'number',
  );

const invalidCursor = () => new ValidationError('The cursor is not one this list issued', 'INVALID_CURSOR');

export function startKey(cursor: string | undefined): Record<string, string> | undefined {
  return decodeCursor(cursor, isKey);
}

export function nextCursor(lastKey: Record<string, unknown> | undefined): string | undefined {
  return lastKey ? encodeCursor(lastKey) : undefined;
}

export interface PageQuery {
  table: string;
  index?: string;
  /** The partition this list reads: a cursor naming any other is refused, so no one pages into another's list. */
  partition: { name: string; value: string };
  /** An extra key condition on the sort key, e.g. `gsi3sk <= :until`, with its values. */
  sortCondition?: { expression: string; values: Record<string, string> };
  /** A FilterExpression on the items read (a page may then hold fewer than `limit`; its cursor goes on). */
  filter?: { expression: string; names?: Record<string, string>; values: Record<string, string> };
  forward?: boolean;
  limit: number;
  cursor?: string | undefined;
}

/** One Query page whose items keep their payload under `data`. */
export async function queryPage<T>(client: DynamoDBDocumentClient, query: PageQuery): Promise<Page<T>> {
  const { entries, cursor } = await queryEntries(client, query);
  return {
    items: entries.map((item) => item.data as T),
    ...(cursor ? { nextCursor: cursor } : {}),
  };
}

/**
 * One Query page of a keys-only index: its entries' items read from the table by key (strongly consistent
 * BatchGetItem), in the index's order. The index follows the table a moment later, so an entry may be older than its
 * item: one whose item no longer belongs where the entry put it (`current` says no) or is gone is left out, and the
 * page then holds fewer than `limit` while its cursor goes on.
 */
export async function queryKeysPage<T>(
  client: DynamoDBDocumentClient,
  query: PageQuery & { index: string },
  current: (item: T) => boolean,
): Promise<Page<T>> {
  const { entries, cursor } = await queryEntries(client, query);
  const keyOf = (item: Record<string, unknown>) => `${item.pk}\u0000${item.sk}`;
  const found = await batchGetAll(
    client,
    query.table,
    entries.map((entry) => ({ pk: String(entry.pk), sk: String(entry.sk) })),
    { consistent: true },
  );
  const byKey = new Map(found.map((item) => [keyOf(item), item.data as T]));
  return {
    items: entries.flatMap((entry) => {
      const item = byKey.get(keyOf(entry));
      return item !== undefined && current(item) ? [item] : [];
    }),
    ...(cursor ? { nextCursor: cursor } : {}),
  };
}

async function queryEntries(
  client: DynamoDBDocumentClient,
  query: PageQuery,
): Promise<{ entries: Record<string, unknown>[]; cursor: string | undefined }> {
  const start = startKey(query.cursor);
  if (start && start[query.partition.name] !== query.partition.value) throw invalidCursor();
  let out: QueryCommandOutput;
  try {
    out = await client.send(
      new QueryCommand({
        TableName: query.table,
        IndexName: query.index,
        KeyConditionExpression: `#pk = :pk${query.sortCondition ? ` AND ${query.sortCondition.expression}` : ''}`,
        ...(query.filter ? { FilterExpression: query.filter.expression } : {}),
        ExpressionAttributeNames: { '#pk': query.partition.name, ...(query.filter?.names ?? {}) },
        ExpressionAttributeValues: {
          ':pk': query.partition.value,
          ...(query.sortCondition?.values ?? {}),
          ...(query.filter?.values ?? {}),
        },
        ScanIndexForward: query.forward ?? true,
        Limit: query.limit,
        ExclusiveStartKey: start,
      }),
    );
  } catch (error) {
    // A forged start key of the right partition but the wrong shape is DynamoDB's ValidationException.
    if (start && (error as { name?: string }).name === 'ValidationException') throw invalidCursor();
    throw error;
  }
  return { entries: out.Items ?? [], cursor: nextCursor(out.LastEvaluatedKey) };
}
