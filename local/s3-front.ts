// A loopback front for s3rver that gives it the S3 behaviour our adapters rely on and s3rver lacks: a PUT's
// x-amz-checksum-sha256 is verified (400 BadDigest, nothing stored), the checksum is kept with the object and
// returned under x-amz-checksum-mode: ENABLED (copies keep it), and operations on one key are serialized
// (s3rver answers InternalError to concurrent copies to one key). Everything else passes through unchanged:
// s3rver checks no SigV4 signature, so headers the front adds do not break a presigned URL.
import { createHash, randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';

/** Where the front keeps the verified checksum: s3rver stores `x-amz-meta-*` and copies it with the object. */
export const CHECKSUM_METADATA = 'x-amz-meta-motcua-checksum-sha256';

type Access = 'shared' | 'exclusive';
type Release = () => void;

/**
 * Readers-writer locks by name. A request registers on all its names in one synchronous step, so two requests
 * queue in the same order on every name they share and cannot deadlock.
 */
export function keyLocks() {
  const entries = new Map<string, { write: Promise<void>; reads: Promise<void>[]; holders: number }>();
  return {
    acquire(wanted: Map<string, Access>): Promise<Release> {
      let release!: () => void;
      const done = new Promise<void>((resolve) => {
        release = resolve;
      });
      const waits: Promise<void>[] = [];
      for (const [name, access] of wanted) {
        const entry = entries.get(name) ?? { write: Promise.resolve(), reads: [], holders: 0 };
        entries.set(name, entry);
        entry.holders += 1;
        if (access === 'exclusive') {
          waits.push(entry.write, ...entry.reads);
          entry.write = done;
          entry.reads = [];
        } else {
          waits.push(entry.write);
          entry.reads.push(done);
        }
      }
      let released = false;
      return Promise.all(waits).then(() => () => {
        if (released) return;
        released = true;
        release();
        for (const name of wanted.keys()) {
          const entry = entries.get(name);
          if (entry && --entry.holders === 0) entries.delete(name);
        }
      });
    },
    size: () => entries.size,
  };
}

type Operation =
  | { kind: 'put' | 'delete' | 'read'; bucket: string; key: string }
  | { kind: 'copy'; bucket: string; key: string; from: { bucket: string; key: string } }
  | { kind: 'other' };

// Query parameters that do not make a request a sub-resource one (?acl, ?tagging, ?uploadId… pass through);
// the SDK names the operation in `x-id`.
const plainQuery = (name: string) =>
  name.toLowerCase().startsWith('x-amz-') ||
  name.startsWith('response-') ||
  name === 'versionId' ||
  name === 'x-id';

function objectPath(path: string): { bucket: string; key: string } | undefined {
  const [bucket, ...rest] = path.replace(/^\//, '').split('/');
  const key = rest.map(decodeURIComponent).join('/');
  return bucket && key ? { bucket: decodeURIComponent(bucket), key } : undefined;
}

export function operationOf(method: string, url: string, headers: IncomingHttpHeaders): Operation {
  const { pathname, searchParams } = new URL(url, 'http://front');
  const target = objectPath(pathname);
  if (!target || [...searchParams.keys()].some((name) => !plainQuery(name))) return { kind: 'other' };
  const copySource = headers['x-amz-copy-source'];
  if (method === 'PUT' && typeof copySource === 'string') {
    const from = objectPath(copySource.split('?')[0]!);
    return from ? { kind: 'copy', ...target, from } : { kind: 'other' };
  }
  if (method === 'PUT') return { kind: 'put', ...target };
  if (method === 'DELETE') return { kind: 'delete', ...target };
  if (method === 'GET' || method === 'HEAD') return { kind: 'read', ...target };
  return { kind: 'other' };
}

/** Names to lock: the key itself, and its folders, which s3rver creates on write and removes on delete. */
function locksFor(operation: Operation): Map<string, Access> {
  const wanted = new Map<string, Access>();
  if (operation.kind === 'other') return wanted;
  const { bucket, key } = operation;
  const folders = key.split('/').slice(0, -1);
  folders.forEach((_, i) => {
    wanted.set(
      `${bucket}/${folders.slice(0, i + 1).join('/')}/`,
      operation.kind === 'delete' ? 'exclusive' : 'shared',
    );
  });
  if (operation.kind === 'copy') wanted.set(`${operation.from.bucket}/${operation.from.key}`, 'shared');
  wanted.set(`${bucket}/${key}`, operation.kind === 'read' ? 'shared' : 'exclusive');
  return wanted;
}

const xml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

function s3Error(res: ServerResponse, status: number, code: string, message: string, resource: string) {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${xml(message)}</Message><Resource>${xml(resource)}</Resource>` +
    `<RequestId>${randomBytes(8).toString('hex').toUpperCase()}</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const withoutChecksumMetadata = (headers: IncomingHttpHeaders): IncomingHttpHeaders => {
  const { [CHECKSUM_METADATA]: _ignored, ...rest } = headers;
  return rest;
};

// An aws-chunked body carries its checksum in a trailer; our clients never send one (WHEN_REQUIRED), so it
// passes through unverified rather than being half-emulated.
const isChunked = (headers: IncomingHttpHeaders) =>
  String(headers['content-encoding'] ?? '').includes('aws-chunked') ||
  String(headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');

const isSha256 = (value: string) =>
  /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === 32;

export interface S3Front {
  url: string;
  stop(): Promise<void>;
}

export async function startS3Front(options: { port: number; upstream: string }): Promise<S3Front> {
  const upstream = new URL(options.upstream);
  const locks = keyLocks();

  const forward = (
    req: IncomingMessage,
    headers: IncomingHttpHeaders,
    body?: Buffer,
  ): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const out = request(
        { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
        resolve,
      );
      out.once('error', reject);
      if (body) out.end(body);
      else req.pipe(out);
    });

  const internalHead = (bucket: string, key: string): Promise<IncomingHttpHeaders | undefined> =>
    new Promise((resolve, reject) => {
      const path = `/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
      const out = request(
        { hostname: upstream.hostname, port: upstream.port, method: 'HEAD', path },
        (res) => {
          res.resume();
          resolve(res.statusCode === 200 ? res.headers : undefined);
        },
      );
      out.once('error', reject);
      out.end();
    });

  const checksumHeaders = (checksum: string) => ({
    'x-amz-checksum-sha256': checksum,
    'x-amz-checksum-type': 'FULL_OBJECT',
  });

  async function serve(req: IncomingMessage, res: ServerResponse) {
    const operation = operationOf(req.method ?? 'GET', req.url ?? '/', req.headers);
    // Nobody but the front writes the checksum it keeps.
    const headers = withoutChecksumMetadata(req.headers);
    let body: Buffer | undefined;
    let verified: string | undefined;
    if (operation.kind === 'put') {
      body = await bodyOf(req);
      const declared = req.headers['x-amz-checksum-sha256'];
      if (typeof declared === 'string' && !isChunked(req.headers)) {
        // Refused as S3 refuses them, before anything is stored.
        const resource = req.url ?? '';
        if (!isSha256(declared)) {
          const message = 'Value for x-amz-checksum-sha256 header is invalid.';
          return s3Error(res, 400, 'InvalidRequest', message, resource);
        }
        if (createHash('sha256').update(body).digest('base64') !== declared) {
          const message = 'The SHA256 you specified did not match the calculated checksum.';
          return s3Error(res, 400, 'BadDigest', message, resource);
        }
        verified = declared;
        headers[CHECKSUM_METADATA] = declared;
      }
    }
    const release = await locks.acquire(locksFor(operation));
    // Held until the answer is sent: a read sees a whole object, never one being written.
    if (res.closed) release();
    else res.once('close', release);
    // S3 keeps the source's checksum on copy; s3rver copies the metadata too, unless it is replaced.
    const replaced = String(req.headers['x-amz-metadata-directive'] ?? '').toUpperCase() === 'REPLACE';
    if (operation.kind === 'copy' && replaced) {
      const checksum = (await internalHead(operation.from.bucket, operation.from.key))?.[CHECKSUM_METADATA];
      if (typeof checksum === 'string') headers[CHECKSUM_METADATA] = checksum;
    }
    const answer = await forward(req, headers, body);
    const ok = answer.statusCode === 200;
    const kept = answer.headers[CHECKSUM_METADATA];
    const checksumMode = String(req.headers['x-amz-checksum-mode'] ?? '').toUpperCase() === 'ENABLED';
    let extra = {};
    if (operation.kind === 'put' && ok && verified) extra = checksumHeaders(verified);
    // A ranged read (206) gets no full-object checksum, as on S3.
    if (operation.kind === 'read' && ok && checksumMode && typeof kept === 'string')
      extra = checksumHeaders(kept);
    const { connection: _c, 'keep-alive': _k, 'transfer-encoding': _t, ...passed } = answer.headers;
    res.writeHead(answer.statusCode ?? 500, { ...withoutChecksumMetadata(passed), ...extra });
    // A client that goes away stops the upstream read too.
    pipeline(answer, res, () => undefined);
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else s3Error(res, 500, 'InternalError', `S3 front: ${(error as Error).message}`, req.url ?? '');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
