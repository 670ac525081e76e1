// BatchWriteItem puts for any number of items: chunks of 25, unprocessed items retried after a growing wait. Puts in a
// batch take no condition: for items whose rewrite is harmless (marks of effects already taken, rebuilt rows).
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const MAX_ITEMS = 25;
const MAX_ROUNDS = 6;

export async function batchPutAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
): Promise<void> {
  for (let i = 0; i < items.length; i += MAX_ITEMS) {
    let pending: { PutRequest: { Item: Record<string, unknown> } }[] = items
      .slice(i, i + MAX_ITEMS)
      .map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; pending.length > 0; round += 1) {
      if (round === MAX_ROUNDS) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed`);
      // Unprocessed items mean throttling: back off before asking again.
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (out.UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
  }
}
