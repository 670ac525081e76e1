// Verifies AWS Signature Version 4 on partner requests, as API Gateway's IAM auth does in the cloud.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface PartnerCredential {
  accessKeyId: string;
  secretAccessKey: string;
  principalArn: string;
}

export interface SignedRequest {
  method: string;
  /** The path exactly as sent, still percent-encoded. */
  rawPath: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type SigV4Result =
  | { ok: true; principalArn: string; accessKeyId: string }
  | {
      ok: false;
      /** `not-sigv4`: an Authorization header of another scheme, such as a bearer token. */
      reason: 'missing' | 'not-sigv4' | 'malformed' | 'unknown-key' | 'expired' | 'mismatch' | 'scope';
      /** Whose key signed it, once the key is known (for the audit of the refusal). */
      principalArn?: string;
    };

const MAX_SKEW_MS = 5 * 60 * 1000;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
function uriEncode(value: string) {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The canonical query string, or undefined when the query is not valid percent-encoding. */
function canonicalQuery(rawQuery: string): string | undefined {
  try {
    return canonicalQueryOf(rawQuery);
  } catch {
    return undefined;
  }
}

function canonicalQueryOf(rawQuery: string) {
  if (!rawQuery) return '';
  return rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const [key = '', value = ''] = pair.split(/=(.*)/s, 2);
      const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, '%20'));
      return [uriEncode(decode(key)), uriEncode(decode(value))] as const;
    })
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : 1) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** Own headers only: Node's `IncomingMessage#headers` is a plain object, and a signed name may be `constructor`. */
function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = Object.hasOwn(headers, name) ? headers[name] : undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

function parseAmzDate(value: string) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
}

export function verifySigV4(
  request: SignedRequest,
  credentials: readonly PartnerCredential[],
  options: { region: string; service: string; now?: number },
): SigV4Result {
  const authorization = header(request.headers, 'authorization');
  if (!authorization) return { ok: false, reason: 'missing' };
  if (!/^AWS4-HMAC-SHA256(\s|$)/.test(authorization.trim())) return { ok: false, reason: 'not-sigv4' };
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization.trim(),
    );
  if (!match) return { ok: false, reason: 'malformed' };
  const [, accessKeyId, day, region, service, signedHeaderList, signature] = match as unknown as string[];
  const credential = credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!credential) return { ok: false, reason: 'unknown-key' };
  if (region !== options.region || service !== options.service)
    return { ok: false, principalArn: credential.principalArn, reason: 'scope' };
  const amzDate = header(request.headers, 'x-amz-date') ?? '';
  const signedAt = parseAmzDate(amzDate);
  const signedHeaders = signedHeaderList!.split(';');
  if (Number.isNaN(signedAt) || !amzDate.startsWith(day!) || !signedHeaders.includes('host')) {
    return { ok: false, principalArn: credential.principalArn, reason: 'malformed' };
  }
  if (Math.abs((options.now ?? Date.now()) - signedAt) > MAX_SKEW_MS)
    return { ok: false, principalArn: credential.principalArn, reason: 'expired' };

  const canonicalUri = request.rawPath
    .split('/')
    .map((segment) => uriEncode(segment))
    .join('/');
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${(header(request.headers, name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  // The body is always hashed here: a client-declared hash (or UNSIGNED-PAYLOAD) would let a captured signature
  // carry another body.
  const payloadHash = sha256(request.body);
  const declared = header(request.headers, 'x-amz-content-sha256');
  if (declared !== undefined && declared !== payloadHash)
    return { ok: false, principalArn: credential.principalArn, reason: 'mismatch' };
  const query = canonicalQuery(request.rawQuery);
  if (query === undefined) return { ok: false, principalArn: credential.principalArn, reason: 'malformed' };
  const canonicalRequest = [
    request.method,
    canonicalUri,
    query,
    canonicalHeaders,
    signedHeaderList,
    payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credential.secretAccessKey}`, day!), region!), service!),
    'aws4_request',
  );
  const expected = Buffer.from(hmac(key, stringToSign).toString('hex'));
  const given = Buffer.from(signature!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, principalArn: credential.principalArn, reason: 'mismatch' };
  return { ok: true, principalArn: credential.principalArn, accessKeyId: credential.accessKeyId };
}
