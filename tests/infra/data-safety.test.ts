// Data-stack safety: CloudFormation replaces a table when its logical id, key schema or name changes, a bucket when its
// logical id or name changes, and a user pool when its sign-in attributes change; replacing one starts it empty. These
// values are written out here on purpose, not read from shared/data/resources.ts: a change that would replace a store
// fails this test, and passing it again takes a deliberate edit (and a migration plan) in review.
//
// A stream's view type is pinned too: changing it means disabling and re-enabling the stream, which gives it a new ARN
// and drops the records not yet consumed.
import { describe, expect, it } from 'vitest';
import { environmentNames } from '../../infra/config/environments';
import { type SynthedEnv, synthForBlock } from './support';

const hash = (name: string) => ({ AttributeName: name, KeyType: 'HASH' });
const range = (name: string) => ({ AttributeName: name, KeyType: 'RANGE' });
const string = (name: string) => ({ AttributeName: name, AttributeType: 'S' });

const pinnedTables = {
  CatalogueTable7B51291C: { keys: [hash('pk'), range('sk')], attributes: [string('pk'), string('sk')] },
  DossiersTableD24B83D1: {
    keys: [hash('pk'), range('sk')],
    attributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'].map(string),
    stream: 'NEW_IMAGE',
  },
  IdempotencyTable22A5A209: { keys: [hash('pk')], attributes: [string('pk')] },
  AuditTableB07F8EEB: { keys: [hash('pk'), range('sk')], attributes: [string('pk'), string('sk')] },
} as const;

const pinnedBuckets = ['AccessLogsBucket83982689', 'DocumentsBucket9EC9DEB9', 'ExportsBucket5A12738B'];
/** Deleting a key makes everything it encrypted unreadable once the deletion window passes. */
const pinnedKeys = ['DocumentsBucketKeyEA04AA4B', 'ExportsBucketKey35B1DD10', 'TablesKey11820CBC'];

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

describe.each(environmentNames)('the %s data stack', (envName) => {
  let env: SynthedEnv;
  synthForBlock(envName, (synthed) => {
    env = synthed;
  });

  const resources = (type: string) =>
    Object.entries(env.templates.stateful.toJSON().Resources as Record<string, Resource>).filter(
      ([, resource]) => resource.Type === type,
    );

  it('keeps the logical id, key schema and stream of every table, and gives none a physical name', () => {
    const found = Object.fromEntries(resources('AWS::DynamoDB::Table'));
    expect(Object.keys(found).sort()).toEqual(Object.keys(pinnedTables).sort());
    for (const [id, pinned] of Object.entries(pinnedTables)) {
      const props = found[id]?.Properties ?? {};
      expect(props.KeySchema, id).toEqual(pinned.keys);
      // Index attributes may be added; a key attribute's type may never change.
      expect(props.AttributeDefinitions, id).toEqual(expect.arrayContaining([...pinned.attributes]));
      expect(props.StreamSpecification, id).toEqual(
        'stream' in pinned ? { StreamViewType: pinned.stream } : undefined,
      );
      expect(props.TableName, id).toBeUndefined();
    }
  });

  // A projection change rebuilds the index (CloudFormation deletes and creates it, one index per update, and readers
  // see it empty until it backfills). Keys-only indexes are read through the table (shared/adapters/dynamo/pages.ts);
  // the data-sharing export reads byBranchReceipt alone, so that one must carry the items; the agencies' queues and
  // the due-day index hold task items their readers take from the index.
  it('keeps how each dossiers index projects its items', () => {
    const [, dossiers] =
      resources('AWS::DynamoDB::Table').find(([id]) => id === 'DossiersTableD24B83D1') ?? [];
    const indexes = dossiers?.Properties.GlobalSecondaryIndexes as
      | { IndexName: string; Projection: { ProjectionType: string } }[]
      | undefined;
    expect(
      Object.fromEntries((indexes ?? []).map((index) => [index.IndexName, index.Projection.ProjectionType])),
    ).toEqual({
      byApplicant: 'KEYS_ONLY',
      byBranchStatus: 'KEYS_ONLY',
      byDueDay: 'ALL',
      byAgencyTask: 'ALL',
      byBranchReceipt: 'ALL',
    });
  });

  it('keeps the logical id of every bucket and key, and gives no bucket a physical name', () => {
    const bucketsFound = resources('AWS::S3::Bucket');
    expect(bucketsFound.map(([id]) => id).sort()).toEqual(pinnedBuckets);
    for (const [id, bucket] of bucketsFound) expect(bucket.Properties.BucketName, id).toBeUndefined();
    expect(
      resources('AWS::KMS::Key')
        .map(([id]) => id)
        .sort(),
    ).toEqual(pinnedKeys);
  });

  it('keeps the user pool and how users sign in', () => {
    const pools = resources('AWS::Cognito::UserPool');
    expect(pools.map(([id]) => id)).toEqual(['UserPool6BA7E5F2']);
    expect(pools[0]?.[1].Properties).toMatchObject({
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    expect(pools[0]?.[1].Properties.AliasAttributes).toBeUndefined();
  });

  it(
    envName === 'prod'
      ? 'retains every store when a stack lets go of it'
      : 'may delete stores with the stack',
    () => {
      for (const type of [
        'AWS::DynamoDB::Table',
        'AWS::S3::Bucket',
        'AWS::KMS::Key',
        'AWS::Cognito::UserPool',
      ]) {
        for (const [id, resource] of resources(type)) {
          expect(resource.DeletionPolicy, id).toBe(envName === 'prod' ? 'Retain' : 'Delete');
        }
      }
    },
  );
});
