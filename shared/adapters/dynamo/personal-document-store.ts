// The citizen's personal data store in the dossiers table (`CITIZEN#<applicant key>` / `DOC#<id>`, the record under `data`).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PersonalDocument, PersonalDocumentStore } from '../../ports/documents';
import { batchGetAll } from './batch-get';
import { queryPage } from './pages';

const partition = (ownerKey: string) => `CITIZEN#${ownerKey}`;

export const personalDocumentKey = (ownerKey: string, id: string) => ({
  pk: partition(ownerKey),
  sk: `DOC#${id}`,
});

/** The item to put, e.g. inside the transaction that receives a dossier. */
export const personalDocumentItem = (document: PersonalDocument) => ({
  ...personalDocumentKey(document.ownerKey, document.id),
  data: document,
});

export function dynamoPersonalDocumentStore(
  client: DynamoDBDocumentClient,
  tableName: string,
): PersonalDocumentStore {
  return {
    list(ownerKey, page) {
      return queryPage<PersonalDocument>(client, {
        table: tableName,
        partition: { name: 'pk', value: partition(ownerKey) },
        sortCondition: { expression: 'begins_with(sk, :doc)', values: { ':doc': 'DOC#' } },
        ...page,
      });
    },

    async getMany(ownerKey, ids) {
      const keys = ids.map((id) => personalDocumentKey(ownerKey, id));
      return (await batchGetAll(client, tableName, keys)).map((item) => item.data as PersonalDocument);
    },
  };
}
