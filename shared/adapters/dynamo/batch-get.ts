// BatchGetItem for any number of keys: duplicates dropped, chunks of 100, unprocessed keys retried.
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Key = { pk: string; sk: string };

const MAX_KEYS = 100;
const MAX_ROUNDS = 6;

export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  options: { consistent?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  // DynamoDB refuses a batch that names the same key twice.
  const unique = [...new Map(keys.map((key) => [`${key.pk}\u0000${key.sk}`, key])).values()];
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < unique.length; i += MAX_KEYS) {
    let pending: Record<string, unknown>[] = unique.slice(i, i + MAX_KEYS);
    for (let round = 0; pending.length > 0; round += 1) {
      if (round === MAX_ROUNDS) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed`);
      // Unprocessed keys mean throttling: back off before asking again.
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));
      const out = await client.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: pending, ConsistentRead: options.consistent ?? false } },
        }),
      );
      items.push(...(out.Responses?.[tableName] ?? []));
      pending = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
}
