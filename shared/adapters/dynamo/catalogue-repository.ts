// The catalogue in DynamoDB; item layout in docs/access-patterns.md.
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../errors';
import type { CatalogueRepository, PageRequest } from '../../ports/catalogue-repository';
import { IdempotencyRaceError } from '../../ports/idempotency-store';
import type { Agency, Branch, ProcedureVersion } from '../../schemas/catalogue';
import { batchPutAll } from './batch-write';
import { idempotencyPut } from './idempotency-store';
import { queryPage } from './pages';
import { failedConditions } from './transactions';

const versionKey = (code: string, version: number) => ({
  pk: `PROC#${code}`,
  sk: `V#${String(version).padStart(6, '0')}`,
});
const currentKey = (code: string) => ({ pk: 'CURRENT', sk: `PROC#${code}` });
const metaKey = { pk: 'META', sk: 'CATALOGUE' };

// A published version never changes (its put is conditional on its absence, and nothing updates it): a warm
// instance keeps the ones it read, as a Lambda execution environment keeps module state, and hands out copies.
// The current pointer is read every time, so a new version is seen at once.
const publishedVersions = new Map<string, ProcedureVersion>();
const MAX_KEPT_VERSIONS = 500;

export function dynamoCatalogueRepository(
  client: DynamoDBDocumentClient,
  tableName: string,
  idempotencyTable: string,
): CatalogueRepository {
  const list = <T>(partition: string, page: PageRequest) =>
    queryPage<T>(client, { table: tableName, partition: { name: 'pk', value: partition }, ...page });

  async function get<T>(key: Record<string, string>) {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: key }));
    return Item?.data as T | undefined;
  }

  async function putAll<T extends { code: string }>(partition: string, items: T[]) {
    await batchPutAll(
      client,
      tableName,
      items.map((data) => ({ pk: partition, sk: data.code, data })),
    );
  }

  return {
    async revision() {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: metaKey }));
      return (Item?.revision as number | undefined) ?? 0;
    },

    async currentProcedures() {
      const all: ProcedureVersion[] = [];
      let cursor: string | undefined;
      do {
        const page = await list<ProcedureVersion>('CURRENT', { limit: 500, ...(cursor ? { cursor } : {}) });
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return all;
    },

    async procedure(code, version) {
      if (version === undefined) return get<ProcedureVersion>(currentKey(code));
      const cacheKey = `${tableName}|${code}|${version}`;
      const kept = publishedVersions.get(cacheKey);
      if (kept) return structuredClone(kept);
      const found = await get<ProcedureVersion>(versionKey(code, version));
      if (found) {
        if (publishedVersions.size >= MAX_KEPT_VERSIONS) publishedVersions.clear();
        publishedVersions.set(cacheKey, structuredClone(found));
      }
      return found;
    },

    async publish(procedure, publishedBy, idempotency) {
      const item = { data: procedure, version: procedure.version, publishedBy };
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: { ...versionKey(procedure.code, procedure.version), ...item },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              { Put: { TableName: tableName, Item: { ...currentKey(procedure.code), ...item } } },
              {
                Update: {
                  TableName: tableName,
                  Key: metaKey,
                  UpdateExpression: 'ADD revision :one',
                  ExpressionAttributeValues: { ':one': 1 },
                },
              },
              ...(idempotency ? [idempotencyPut(idempotencyTable, idempotency)] : []),
            ],
          }),
        );
      } catch (error) {
        const failed = failedConditions(error);
        if (failed?.includes(3)) throw new IdempotencyRaceError();
        if (failed?.includes(0)) {
          throw new ConflictError(
            `Version ${procedure.version} of ${procedure.code} was published meanwhile`,
            'VERSION_CONFLICT',
          );
        }
        throw error;
      }
    },

    agencies: (page) => list<Agency>('AGENCY', page),
    branches: (page) => list<Branch>('BRANCH', page),
    agency: (code) => get<Agency>({ pk: 'AGENCY', sk: code }),
    branch: (code) => get<Branch>({ pk: 'BRANCH', sk: code }),
    putAgencies: (agencies) => putAll('AGENCY', agencies),
    putBranches: (branches) => putAll('BRANCH', branches),

    async seedMarks() {
      const marks = new Map<string, string>();
      let cursor: string | undefined;
      do {
        const page = await list<{ code: string; hash: string }>('SEED', {
          limit: 500,
          ...(cursor ? { cursor } : {}),
        });
        for (const mark of page.items) marks.set(mark.code, mark.hash);
        cursor = page.nextCursor;
      } while (cursor);
      return marks;
    },
    markSeeded: (marks) => putAll('SEED', marks),
  };
}
