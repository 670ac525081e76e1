// The citizen's personal data store in the dossiers table (`CITIZEN#<sub>` / `DOC#<id>`, the record under `data`).
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../errors';
import type { PersonalDocument, PersonalDocumentStore } from '../../ports/documents';
import { batchGetAll } from './batch-get';
import { nextCursor, startKey } from './pages';

const partition = (ownerSub: string) => `CITIZEN#${ownerSub}`;

export const personalDocumentKey = (ownerSub: string, id: string) => ({
  pk: partition(ownerSub),
  sk: `DOC#${id}`,
});

/** The item to put, e.g. inside the transaction that receives a dossier. */
export const personalDocumentItem = (document: PersonalDocument) => ({
  ...personalDocumentKey(document.ownerSub, document.id),
  data: document,
});

export function dynamoPersonalDocumentStore(
  client: DynamoDBDocumentClient,
  tableName: string,
): PersonalDocumentStore {
  return {
    async list(ownerSub, page) {
      const start = startKey(page.cursor);
      // A cursor is the last key read; one naming another partition would page through someone else's store.
      const foreign =
        start &&
        (Object.keys(start).length !== 2 ||
          start.pk !== partition(ownerSub) ||
          !String(start.sk).startsWith('DOC#'));
      if (foreign) {
        throw new ValidationError('The cursor is not one this list issued', 'INVALID_CURSOR');
      }
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :doc)',
          ExpressionAttributeValues: { ':pk': partition(ownerSub), ':doc': 'DOC#' },
          Limit: page.limit,
          ExclusiveStartKey: start,
        }),
      );
      const cursor = nextCursor(out.LastEvaluatedKey);
      return {
        items: (out.Items ?? []).map((item) => item.data as PersonalDocument),
        ...(cursor ? { nextCursor: cursor } : {}),
      };
    },

    async getMany(ownerSub, ids) {
      const keys = ids.map((id) => personalDocumentKey(ownerSub, id));
      return (await batchGetAll(client, tableName, keys)).map((item) => item.data as PersonalDocument);
    },
  };
}
