// The health function's bucket probe (shared/adapters/s3-bucket-probe.ts): one signed GetBucketLocation against the
// real local S3 endpoint, without the S3 client.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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

  it('reports an endpoint that refuses connections as down', async () => {
    const closed = { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9', S3_FORCE_PATH_STYLE: 'true' };
    await expect(probeBucket(dynamodb, Bucket, { env: closed, timeoutMs: 500 })).rejects.toBeInstanceOf(
      Error,
    );
  });
});

// Faults S3 can show that the emulator cannot be made to: an endpoint of our own that holds the answer or fails.
describe('probeBucket against a faulty endpoint', () => {
  async function endpoint(
    answer: (request: IncomingMessage, response: ServerResponse, count: number) => void,
  ) {
    let count = 0;
    const server = createServer((request, response) => answer(request, response, ++count));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      env: { AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`, S3_FORCE_PATH_STYLE: 'true' },
      requests: () => count,
      close: () => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(resolve));
      },
    };
  }

  it('gives up at its deadline on an endpoint that never finishes its answer', async () => {
    const silent = await endpoint((_request, response) => response.writeHead(200).write('<'));
    try {
      await expect(probeBucket(dynamodb, Bucket, { env: silent.env, timeoutMs: 300 })).rejects.toMatchObject({
        name: 'TimeoutError',
      });
    } finally {
      await silent.close();
    }
  });

  it('asks once more after a 5xx, and is satisfied by the second answer', async () => {
    const flaky = await endpoint((_request, response, count) =>
      count === 1
        ? response.writeHead(503).end('<Error><Code>SlowDown</Code></Error>')
        : response.writeHead(200).end('<LocationConstraint/>'),
    );
    try {
      await expect(probeBucket(dynamodb, Bucket, { env: flaky.env })).resolves.toBeUndefined();
      expect(flaky.requests()).toBe(2);
    } finally {
      await flaky.close();
    }
  });

  it('stops after two requests when a 5xx is followed by a dropped connection', async () => {
    const dropping = await endpoint((request, response, count) =>
      count === 1
        ? response.writeHead(503).end('<Error><Code>SlowDown</Code></Error>')
        : request.socket.destroy(),
    );
    try {
      await expect(probeBucket(dynamodb, Bucket, { env: dropping.env })).rejects.toBeInstanceOf(Error);
      expect(dropping.requests()).toBe(2);
    } finally {
      await dropping.close();
    }
  });

  it('names the second 5xx when the endpoint keeps failing, after two requests only', async () => {
    const down = await endpoint((_request, response) =>
      response.writeHead(503).end('<Error><Code>ServiceUnavailable</Code></Error>'),
    );
    try {
      await expect(probeBucket(dynamodb, Bucket, { env: down.env })).rejects.toMatchObject({
        name: 'ServiceUnavailable',
      });
      expect(down.requests()).toBe(2);
    } finally {
      await down.close();
    }
  });
});
