// The payment ledger in the dossiers table: `LEDGER#<unit>#<day>` / `<settledAt>#<paymentId>`, written with the
// consumer's mark in one transaction; a branch's day is one partition, read in settlement order.
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerEntry } from '../../domain/ledger';
import type { PaymentLedger } from '../../ports/payment-ledger';
import { consumedMarkPut, type MarkOptions } from './consumed-events';
import { queryPage } from './pages';
import { failedConditions } from './transactions';

export const ledgerPartition = (unit: string, day: string) => `LEDGER#${unit}#${day}`;

export const ledgerKey = (entry: Pick<LedgerEntry, 'unit' | 'day' | 'settledAt' | 'paymentId'>) => ({
  pk: ledgerPartition(entry.unit, entry.day),
  sk: `${entry.settledAt}#${entry.paymentId}`,
});

export function dynamoPaymentLedger(
  client: DynamoDBDocumentClient,
  tableName: string,
  markOptions: MarkOptions = {},
): PaymentLedger {
  return {
    async record(entry, mark) {
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              consumedMarkPut(tableName, mark, markOptions),
              {
                // Kept (no TTL): the ledger is a financial record. The condition also holds once the mark has
                // expired, so a settlement is never entered twice.
                Put: {
                  TableName: tableName,
                  Item: {
                    ...ledgerKey(entry),
                    entity: 'ledger',
                    data: entry,
                    eventId: mark.eventId,
                    recordedAt: mark.at,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        return 'recorded';
      } catch (error) {
        if (failedConditions(error)?.length) return 'duplicate';
        throw error;
      }
    },
    listDay(unit, day, page) {
      return queryPage<LedgerEntry>(client, {
        table: tableName,
        partition: { name: 'pk', value: ledgerPartition(unit, day) },
        limit: page.limit,
        cursor: page.cursor,
      });
    },
  };
}
