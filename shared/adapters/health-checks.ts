// The dependency checks behind GET /v1/health.
import { ListObjectsCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '../config';
import { buckets, tables } from '../data/resources';
import type { DependencyCheck } from '../usecases/platform/check-health';
import { dynamoDocumentClient } from './aws';
import { s3 } from './s3-client';

/** One cheap read per table and a one-key listing per bucket (v1: s3rver's v2 continuation tokens use a cipher Node 24's OpenSSL refuses): proves reachability and permissions. */
export function dependencyChecks(): DependencyCheck[] {
  const client = dynamoDocumentClient();
  const tableChecks = Object.values(tables).map((table) => {
    const name = requireEnv(table.envVar);
    const key = table.sortKey ? { pk: '__health__', sk: '__health__' } : { pk: '__health__' };
    return {
      name: `dynamodb:${table.id}`,
      check: async () => {
        await client.send(new GetCommand({ TableName: name, Key: key }));
      },
    };
  });
  const bucketChecks = Object.values(buckets).map((bucket) => {
    const name = requireEnv(bucket.envVar);
    return {
      name: `s3:${bucket.id}`,
      check: async () => {
        await s3().send(new ListObjectsCommand({ Bucket: name, MaxKeys: 1 }));
      },
    };
  });
  return [...tableChecks, ...bucketChecks];
}
