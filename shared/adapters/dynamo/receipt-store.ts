// E-receipts in the dossiers table: each receipt an item of its dossier's collection (`DOSSIER#<code>` /
// `RECEIPT#<series>#<number>`, read with the dossier in one Query), numbers from one atomic counter per collector,
// series and year (`RECEIPT_COUNTER#…` / `COUNTER`), and the numbers never used as `VOID#<number>` beside it.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { IssuedReceipt } from '../../domain/issued-receipts';
import { formatReceiptNumber } from '../../domain/receipts';
import type { ReceiptStore } from '../../ports/receipts';
import { consumedMarkExists, consumedMarkPut, type MarkOptions } from './consumed-events';

/** The sort-key prefix of receipts in a dossier's collection. */
export const RECEIPT_PREFIX = 'RECEIPT#';

export const receiptKey = (dossierCode: string, series: string, number: number) => ({
  pk: `DOSSIER#${dossierCode}`,
  sk: `${RECEIPT_PREFIX}${series}#${formatReceiptNumber(number)}`,
});
const counterItemKey = (counterKey: string) => ({ pk: counterKey, sk: 'COUNTER' });
const voidKey = (counterKey: string, number: number) => ({
  pk: counterKey,
  sk: `VOID#${formatReceiptNumber(number)}`,
});

export function dynamoReceiptStore(
  client: DynamoDBDocumentClient,
  tableName: string,
  markOptions: MarkOptions = {},
): ReceiptStore {
  return {
    consumed: (consumer, eventId) => consumedMarkExists(client, tableName, consumer, eventId),

    async allocate(counterKey) {
      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: counterItemKey(counterKey),
          UpdateExpression: 'ADD #last :one',
          ExpressionAttributeNames: { '#last': 'last' },
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Attributes!.last as number;
    },

    async issue(receipt, mark) {
      const { series, number } = receipt.receiptNumber;
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              consumedMarkPut(tableName, mark, markOptions),
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...receiptKey(receipt.dossierCode, series, number),
                    entity: 'receipt',
                    data: receipt,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        return 'issued';
      } catch (error) {
        // Only a mark that is there means another delivery issued; a conflict with a transaction still running is
        // retried by the stream, which then finds the mark (or issues).
        if (
          error instanceof TransactionCanceledException &&
          error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
        ) {
          return 'duplicate';
        }
        throw error;
      }
    },

    async recordVoid(counterKey, number, why) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...voidKey(counterKey, number), entity: 'void-receipt-number', number, ...why },
          }),
        );
      } catch {
        // The number stays unused either way; the issue's own error is what the stream must see.
      }
    },

    async listByDossier(dossierCode) {
      const receipts: IssuedReceipt[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :receipt)',
            ExpressionAttributeValues: { ':pk': `DOSSIER#${dossierCode}`, ':receipt': RECEIPT_PREFIX },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        receipts.push(...(out.Items ?? []).map((item) => item.data as IssuedReceipt));
        start = out.LastEvaluatedKey;
      } while (start);
      return receipts.sort((a, b) => a.issuedAt.localeCompare(b.issuedAt));
    },

    async get(dossierCode, series, number) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: receiptKey(dossierCode, series, number) }),
      );
      return Item?.data as IssuedReceipt | undefined;
    },
  };
}
