// The dependency checks behind GET /v1/health that read no data: DescribeTable per table, GetBucketLocation per
// bucket. They prove each dependency answers and that the function may reach it; the public health function is
// granted exactly these two actions (infra/least-privilege.ts), never an item or an object.
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetBucketLocationCommand } from '@aws-sdk/client-s3';
import { requireEnv } from '../config';
import { buckets, tables } from '../data/resources';
import type { DependencyCheck } from '../usecases/platform/check-health';
import { s3 } from './s3-client';

let control: DynamoDBClient | undefined;

/** One control-plane call per table and per bucket. */
export function dependencyProbes(): DependencyCheck[] {
  control ??= new DynamoDBClient({ maxAttempts: 2 });
  const client = control;
  const tableChecks = Object.values(tables).map((table) => {
    const name = requireEnv(table.envVar);
    return {
      name: `dynamodb:${table.id}`,
      check: async () => {
        await client.send(new DescribeTableCommand({ TableName: name }));
      },
    };
  });
  const bucketChecks = Object.values(buckets).map((bucket) => {
    const name = requireEnv(bucket.envVar);
    return {
      name: `s3:${bucket.id}`,
      check: async () => {
        await s3().send(new GetBucketLocationCommand({ Bucket: name }));
      },
    };
  });
  return [...tableChecks, ...bucketChecks];
}
