// The health function's bucket probe (shared/adapters/s3-bucket-probe.ts): one signed GetBucketLocation against the
// real local S3 endpoint, without the S3 client.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localClients } from '../../local/bootstrap';
import { probeBucket } from '../../shared/adapters/s3-bucket-probe';

const emulators = inject('emulators');
const { s3, dynamodb } = localClients(emulators);
const env = { AWS_ENDPOINT_URL_S3: emulators.s3, S3_FORCE_PATH_STYLE: 'true' };
const Bucket = `t${randomBytes(4).toString('hex')}-probe`;

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket }));
});

describe('probeBucket', () => {
  it('resolves for a bucket that answers', async () => {
    await expect(probeBucket(dynamodb, Bucket, { env })).resolves.toBeUndefined();
  });

  it("names S3's refusal: a bucket that does not exist", async () => {
    await expect(probeBucket(dynamodb, `${Bucket}-gone`, { env })).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
  });

  it("names S3's refusal: an access key the endpoint does not know", async () => {
    const stranger = new DynamoDBClient({
      region: 'ap-southeast-1',
      credentials: { accessKeyId: 'STRANGER', secretAccessKey: 'x' },
    });
    await expect(probeBucket(stranger, Bucket, { env })).rejects.toMatchObject({
      name: 'InvalidAccessKeyId',
    });
  });

  it('reports an endpoint that does not answer as down, within its timeout', async () => {
    const closed = { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9', S3_FORCE_PATH_STYLE: 'true' };
    await expect(probeBucket(dynamodb, Bucket, { env: closed, timeoutMs: 500 })).rejects.toBeInstanceOf(
      Error,
    );
  });
});
