// GetBucketLocation as one SigV4-signed request, without the S3 client: the health function's only S3 call, and the
// client with its checksum and XML machinery is ~115 KiB of every cold start for it. Signed by AWS's maintained
// signer with the DynamoDB client's own credentials and region, so it authenticates exactly as the SDK would.
import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

type Bytes = string | ArrayBuffer | ArrayBufferView;
const bytesOf = (data: Bytes) =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** node:crypto behind the signer's checksum interface (`new Sha256(secret?)`: a hash, or an HMAC with a secret). */
class NodeSha256 {
  private hash;
  constructor(private readonly secret?: Bytes) {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(this.secret));
  }
  update(data: Bytes): void {
    this.hash.update(bytesOf(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

/** The settings the S3 client reads for its endpoint (shared/adapters/s3-client.ts). */
type S3Env = { AWS_ENDPOINT_URL_S3?: string | undefined; S3_FORCE_PATH_STYLE?: string | undefined };

/**
 * Where the bucket answers, addressed as the S3 client addresses it: path-style when asked (emulators) or when a dotted
 * name would not match the virtual host's certificate, else the bucket as the host's first label.
 */
export function bucketLocationUrl(bucket: string, region: string, env: S3Env = process.env): URL {
  const base = new URL(env.AWS_ENDPOINT_URL_S3 ?? `https://s3.${region}.amazonaws.com`);
  const pathStyle =
    env.S3_FORCE_PATH_STYLE === 'true' || (base.protocol === 'https:' && bucket.includes('.'));
  if (pathStyle) {
    return new URL(
      `${base.origin}${base.pathname.replace(/\/+$/, '')}/${encodeURIComponent(bucket)}/?location`,
    );
  }
  return new URL(`${base.protocol}//${bucket}.${base.host}/?location`);
}

/** S3's error code from its XML error body (`<Code>NoSuchBucket</Code>`), else the HTTP status. */
export function s3ErrorName(status: number, body: string): string {
  return /<Code>([A-Za-z0-9.]+)<\/Code>/.exec(body)?.[1] ?? `HTTP${status}`;
}

/**
 * One request on a connection of its own (a kept-alive socket may have been closed by S3 while the instance was
 * frozen), abandoned at the deadline whatever the server trickles.
 */
function send(url: URL, headers: Record<string, string>, timeoutMs: number) {
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const call = request(url, { method: 'GET', headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    const deadline = setTimeout(
      () =>
        call.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' })),
      timeoutMs,
    );
    call.on('close', () => clearTimeout(deadline));
    call.on('error', reject);
    call.end();
  });
}

/**
 * Resolves when the bucket answers GetBucketLocation with 200; throws an error named by S3's code otherwise. A network
 * error or a 5xx is tried once more, as the SDK's standard retry would, so one dropped connection is not an outage.
 */
export async function probeBucket(
  client: DynamoDBClient,
  bucket: string,
  { env = process.env, timeoutMs = 3000 }: { env?: S3Env; timeoutMs?: number } = {},
): Promise<void> {
  const region = await client.config.region();
  const url = bucketLocationUrl(bucket, region, env);
  const signer = new SignatureV4({
    service: 's3',
    region,
    credentials: client.config.credentials,
    sha256: NodeSha256,
    uriEscapePath: false,
  });
  const attempt = async () => {
    const signed = await signer.sign({
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: { location: '' },
      headers: { host: url.host, 'x-amz-content-sha256': EMPTY_SHA256 },
    });
    return send(url, signed.headers, timeoutMs);
  };
  // Two requests at most: a network error or a 5xx on the first is tried once more, whatever the second does.
  const first = await attempt().catch(() => undefined);
  const answer = first && first.status < 500 ? first : await attempt();
  if (answer.status !== 200) {
    throw Object.assign(new Error(`GetBucketLocation answered ${answer.status}`), {
      name: s3ErrorName(answer.status, answer.body),
    });
  }
}
