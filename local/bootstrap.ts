// Creates the tables and buckets from the same definitions the CDK stateful stack reads, then seeds; idempotent.
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutBucketCorsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { buckets, type IndexDefinition, type TableDefinition, tables } from '../shared/data/resources';

export interface LocalNames {
  table: (id: keyof typeof tables) => string;
  bucket: (id: keyof typeof buckets) => string;
}

export function localNames(prefix: string): LocalNames {
  return { table: (id) => `${prefix}-${id}`, bucket: (id) => `${prefix}-${id}` };
}

function attributesOf(table: TableDefinition): AttributeDefinition[] {
  const keys = [
    table.partitionKey,
    table.sortKey,
    ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const unique = new Map(keys.filter((k) => k !== undefined).map((k) => [k.name, k.type]));
  return [...unique].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

function keySchema(partition: { name: string }, sort?: { name: string }) {
  return [
    { AttributeName: partition.name, KeyType: 'HASH' as const },
    ...(sort ? [{ AttributeName: sort.name, KeyType: 'RANGE' as const }] : []),
  ];
}

/** The DynamoDB projection of an index, for CreateTable and UpdateTable alike (the CDK stack maps the same field). */
const projectionOf = (index: IndexDefinition) =>
  ({ ProjectionType: index.projection === 'keys' ? 'KEYS_ONLY' : 'ALL' }) as const;

export async function createTables(client: DynamoDBClient, names: LocalNames) {
  for (const table of Object.values(tables)) {
    const TableName = names.table(table.id);
    try {
      await client.send(
        new CreateTableCommand({
          TableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributesOf(table),
          KeySchema: keySchema(table.partitionKey, table.sortKey),
          ...(table.stream
            ? { StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream } }
            : {}),
          ...(table.indexes.length
            ? {
                GlobalSecondaryIndexes: table.indexes.map((index) => ({
                  IndexName: index.name,
                  KeySchema: keySchema(index.partitionKey, index.sortKey),
                  Projection: projectionOf(index),
                })),
              }
            : {}),
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
      const { Table } = await client.send(new DescribeTableCommand({ TableName }));
      // A table created by an earlier version of the stack gets the indexes it now declares, one at a time as
      // DynamoDB allows (the index backfills from the items already there).
      const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
      for (const index of table.indexes.filter((i) => !existing.has(i.name))) {
        await client.send(
          new UpdateTableCommand({
            TableName,
            AttributeDefinitions: attributesOf(table),
            GlobalSecondaryIndexUpdates: [
              {
                Create: {
                  IndexName: index.name,
                  KeySchema: keySchema(index.partitionKey, index.sortKey),
                  Projection: projectionOf(index),
                },
              },
            ],
          }),
        );
      }
      // … and the stream it now declares.
      if (table.stream) {
        if (!Table?.StreamSpecification?.StreamEnabled) {
          await client.send(
            new UpdateTableCommand({
              TableName,
              StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream },
            }),
          );
        }
      }
    }
    if (table.ttlAttribute) {
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName }));
      if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName,
            TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
          }),
        );
      }
    }
  }
}

export async function createBuckets(client: S3Client, names: LocalNames, corsOrigins: string[]) {
  for (const bucket of Object.values(buckets)) {
    const Bucket = names.bucket(bucket.id);
    try {
      await client.send(new CreateBucketCommand({ Bucket }));
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
    }
    // s3rver removes a folder when its last object is deleted, racing with a concurrent PUT into that folder (the
    // PUT's unhandled ENOENT then kills the process). A marker object keeps the folders of deleted-from prefixes.
    for (const { prefix } of bucket.transientPrefixes ?? []) {
      await client.send(new PutObjectCommand({ Bucket, Key: `${prefix}.keep`, Body: new Uint8Array(0) }));
    }
    if (bucket.browserUploads && corsOrigins.length) {
      await client.send(
        new PutBucketCorsCommand({
          Bucket,
          CORSConfiguration: {
            CORSRules: [
              {
                AllowedMethods: ['PUT', 'GET'],
                AllowedOrigins: corsOrigins,
                AllowedHeaders: ['content-type', 'content-length', 'x-amz-checksum-sha256'],
                MaxAgeSeconds: 3000,
              },
            ],
          },
        }),
      );
    }
  }
}

export function localClients(urls: { dynamodb: string; s3: string }) {
  // s3rver accepts only its own access key id (any signature); DynamoDB Local with -sharedDb accepts any.
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  return {
    dynamodb: new DynamoDBClient({ endpoint: urls.dynamodb, region: 'ap-southeast-1', credentials }),
    s3: new S3Client({
      endpoint: urls.s3,
      region: 'ap-southeast-1',
      credentials,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  };
}
