import { GetBucketLocationCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { bucketLocationUrl, s3ErrorName } from '../../shared/adapters/s3-bucket-probe';

describe('bucketLocationUrl', () => {
  it('addresses the regional virtual host in the cloud', () => {
    expect(bucketLocationUrl('motcua-prod-documents', 'ap-southeast-1', {}).href).toBe(
      'https://motcua-prod-documents.s3.ap-southeast-1.amazonaws.com/?location',
    );
  });

  it('addresses an emulator path-style, as the S3 client does with S3_FORCE_PATH_STYLE', () => {
    const env = { AWS_ENDPOINT_URL_S3: 'http://localhost:4569/', S3_FORCE_PATH_STYLE: 'true' };
    expect(bucketLocationUrl('local-documents', 'ap-southeast-1', env).href).toBe(
      'http://localhost:4569/local-documents/?location',
    );
  });

  it('puts the bucket before a configured endpoint host without path style', () => {
    const env = { AWS_ENDPOINT_URL_S3: 'https://s3.example.test' };
    expect(bucketLocationUrl('b', 'ap-southeast-1', env).href).toBe('https://b.s3.example.test/?location');
  });
});

describe('s3ErrorName', () => {
  it("reads S3's error code from its XML body", () => {
    const body = '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>no</Message></Error>';
    expect(s3ErrorName(403, body)).toBe('AccessDenied');
  });

  it('falls back to the status when the body names none', () => {
    expect(s3ErrorName(503, 'Service Unavailable')).toBe('HTTP503');
  });
});

describe('bucketLocationUrl against the S3 client', () => {
  // The request the SDK itself builds for GetBucketLocation, caught before it leaves: the probe must address the
  // same host, path and query, or it would sign a request S3 reads differently.
  async function sdkRequest(
    config: ConstructorParameters<typeof S3Client>[0],
    bucket = 'motcua-prod-documents',
  ) {
    let seen:
      | { hostname: string; path: string; query: Record<string, unknown>; protocol: string }
      | undefined;
    const client = new S3Client({
      region: 'ap-southeast-1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      requestHandler: {
        handle: async (request: {
          hostname: string;
          path: string;
          query: Record<string, unknown>;
          protocol: string;
        }) => {
          seen = request;
          throw Object.assign(new Error('caught'), { name: 'Caught' });
        },
      },
      maxAttempts: 1,
      ...config,
    });
    await client.send(new GetBucketLocationCommand({ Bucket: bucket })).catch(() => undefined);
    return seen!;
  }

  it('matches in the cloud', async () => {
    const sdk = await sdkRequest({});
    const url = bucketLocationUrl('motcua-prod-documents', 'ap-southeast-1', {});
    expect([url.protocol, url.hostname, url.pathname]).toEqual([sdk.protocol, sdk.hostname, sdk.path]);
    expect(Object.keys(sdk.query)).toEqual(['location']);
  });

  it('matches path-style on an emulator', async () => {
    const sdk = await sdkRequest({ endpoint: 'http://localhost:4569', forcePathStyle: true });
    const env = { AWS_ENDPOINT_URL_S3: 'http://localhost:4569', S3_FORCE_PATH_STYLE: 'true' };
    const url = bucketLocationUrl('motcua-prod-documents', 'ap-southeast-1', env);
    expect([url.protocol, url.hostname, url.pathname]).toEqual([sdk.protocol, sdk.hostname, sdk.path]);
  });

  it('matches path-style on the regional endpoint when asked without an endpoint', async () => {
    const sdk = await sdkRequest({ forcePathStyle: true });
    const url = bucketLocationUrl('motcua-prod-documents', 'ap-southeast-1', { S3_FORCE_PATH_STYLE: 'true' });
    expect([url.protocol, url.hostname, url.pathname]).toEqual([sdk.protocol, sdk.hostname, sdk.path]);
  });

  it('matches for a dotted bucket name over https (path-style, as no certificate covers it)', async () => {
    const sdk = await sdkRequest({}, 'motcua.prod.documents');
    const url = bucketLocationUrl('motcua.prod.documents', 'ap-southeast-1', {});
    expect([url.protocol, url.hostname, url.pathname]).toEqual([sdk.protocol, sdk.hostname, sdk.path]);
  });
});
