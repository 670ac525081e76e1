// The citizen's personal data store in the dossiers table (`CITIZEN#<sub>` / `DOC#<id>`, the record under `data`).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PersonalDocument, PersonalDocumentStore } from '../../ports/documents';
import { batchGetAll } from './batch-get';
import { queryPage } from './pages';

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
    list(ownerSub, page) {
      return queryPage<PersonalDocument>(client, {
        table: tableName,
        partition: { name: 'pk', value: partition(ownerSub) },
        sortCondition: { expression: 'begins_with(sk, :doc)', values: { ':doc': 'DOC#' } },
        ...page,
      });
    },

    async getMany(ownerSub, ids) {
      const keys = ids.map((id) => personalDocumentKey(ownerSub, id));
      return (await batchGetAll(client, tableName, keys)).map((item) => item.data as PersonalDocument);
    },
  };
}
