// The dependency checks behind GET /v1/health that read no data: DescribeTable per table, GetBucketLocation per
// bucket. They prove each dependency answers and that the function may reach it; the public health function is
// granted exactly these two actions (infra/least-privilege.ts), never an item or an object. The bucket probe is one
// signed request (s3-bucket-probe.ts), so the function does not carry the S3 client.
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { requireEnv } from '../config';
import { buckets, tables } from '../data/resources';
import type { DependencyCheck } from '../usecases/platform/check-health';
import { probeBucket } from './s3-bucket-probe';

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
        await probeBucket(client, name);
      },
    };
  });
  return [...tableChecks, ...bucketChecks];
}
