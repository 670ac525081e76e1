// Feeds personal data stores in the dossiers table: the documents and the consumer's mark in one transaction.
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { PersonalStoreFeed } from '../../ports/personal-store-feed';
import { consumedMarkPut, type MarkOptions } from './consumed-events';
import { personalDocumentItem } from './personal-document-store';
import { failedConditions } from './transactions';

// A transaction holds at most 100 items; a procedure lists at most 50 documents, so one write always suffices,
// and a longer list (never produced today) goes in leading chunks of idempotent puts before the marked last one.
const MAX_ITEMS = 100;

export function dynamoPersonalStoreFeed(
  client: DynamoDBDocumentClient,
  tableName: string,
  markOptions: MarkOptions = {},
): PersonalStoreFeed {
  return {
    async add(documents, mark) {
      const puts = documents.map((doc) => ({
        Put: { TableName: tableName, Item: personalDocumentItem(doc) },
      }));
      while (puts.length >= MAX_ITEMS) {
        await client.send(new TransactWriteCommand({ TransactItems: puts.splice(0, MAX_ITEMS - 1) }));
      }
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [consumedMarkPut(tableName, mark, markOptions), ...puts],
          }),
        );
        return 'added';
      } catch (error) {
        if (failedConditions(error)?.includes(0)) return 'duplicate';
        throw error;
      }
    },
  };
}
