// The Standard Webhooks signature scheme (https://www.standardwebhooks.com, spec 1.0.0), symmetric variant:
// `webhook-signature: v1,<base64 HMAC-SHA256("<webhook-id>.<webhook-timestamp>.<body>")>`, space-separated so a
// message can carry one signature per secret while a secret is rotated. node:crypto only.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
/** The spec's bounds on an HMAC key: at least 24 bytes, at most 64 (512 bits). */
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export const WEBHOOK_ID = 'webhook-id';
export const WEBHOOK_TIMESTAMP = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE = 'webhook-signature';

/**
 * Visible ASCII without `.`: the signed content joins id, timestamp and body with dots, so a dot in the id would let
 * `a.1` + `2` + body and `a` + `1` + `2.`body sign the same bytes (the spec forbids it).
 */
const ID_PATTERN = /^[\x21-\x2d\x2f-\x7e]{1,256}$/;
const TIMESTAMP_PATTERN = /^[0-9]{1,12}$/;
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

export type VerificationFailure =
  | 'missing-headers'
  | 'malformed-headers'
  | 'timestamp-out-of-range'
  | 'bad-signature';

/** A delivery that is not authentic (or not fresh); `reason` is stable, the message is for people. */
export class WebhookVerificationError extends Error {
  constructor(
    readonly reason: VerificationFailure,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

/** A configured secret that is not `whsec_<base64 of 24–64 random bytes>`; the message never repeats it. */
export class WebhookSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSecretError';
  }
}

export interface SignedContent {
  /** The message id: the same on every attempt of one message, so receivers de-duplicate on it. */
  id: string;
  /** Unix seconds of this attempt (a retry is signed again with its own time). */
  timestamp: number;
  /** The exact bytes sent: sign the serialized body once and send that string. */
  body: string | Uint8Array;
}

export interface VerifiedWebhook {
  id: string;
  /** Unix seconds from `webhook-timestamp`. */
  timestamp: number;
  /** Which of the given secrets matched (0 = the first): lets a receiver see when an old secret can go. */
  secretIndex: number;
}

export type WebhookHeaders =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** A new secret: 32 random bytes, `whsec_`-prefixed base64, to give to one endpoint only. */
export function generateSecret(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_KEY_BYTES || bytes > MAX_KEY_BYTES) {
    throw new WebhookSecretError(`a secret has ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes`);
  }
  return `${SECRET_PREFIX}${randomBytes(bytes).toString('base64')}`;
}

/** The HMAC key of a secret; like the reference libraries, the `whsec_` prefix may be left off. */
export function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!BASE64_PATTERN.test(encoded)) throw new WebhookSecretError('a webhook secret is not base64');
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
    throw new WebhookSecretError(
      `a webhook secret has ${key.length} bytes, not ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES}`,
    );
  }
  return key;
}

/** A deterministic message id from the parts that make a message unique (`msg_` + 32 base64url characters). */
export function messageId(...parts: readonly (string | number)[]): string {
  if (parts.length === 0) throw new RangeError('a message id needs at least one part');
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
  return `msg_${digest.slice(0, 32)}`;
}

function hmac(key: Buffer, id: string, timestamp: string, body: string | Uint8Array): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
}

function toSecrets(secrets: string | readonly string[]): readonly string[] {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) throw new WebhookSecretError('no webhook secret given');
  return list;
}

/** The `webhook-signature` value: one `v1,` signature per secret, in the order given. */
export function sign(content: SignedContent, secrets: string | readonly string[]): string {
  if (!ID_PATTERN.test(content.id)) {
    throw new RangeError('a webhook id is 1–256 visible ASCII characters without "."');
  }
  if (!Number.isSafeInteger(content.timestamp) || content.timestamp < 0) {
    throw new RangeError('a webhook timestamp is whole unix seconds');
  }
  const timestamp = String(content.timestamp);
  return toSecrets(secrets)
    .map((secret) => `v1,${hmac(secretKey(secret), content.id, timestamp, content.body)}`)
    .join(' ');
}

/** The three headers of a signed message. */
export function signedHeaders(content: SignedContent, secrets: string | readonly string[]) {
  return {
    [WEBHOOK_ID]: content.id,
    [WEBHOOK_TIMESTAMP]: String(content.timestamp),
    [WEBHOOK_SIGNATURE]: sign(content, secrets),
  };
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof headers.get === 'function')
    return (headers.get as (n: string) => string | null)(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(' ') : (value as string | undefined);
}

/**
 * Checks a received message against the endpoint's secret(s): any `v1` signature matching any secret is enough
 * (rotation), compared in constant time; the timestamp must be within `toleranceSeconds` of `now` either way.
 * Returns what was verified or throws a WebhookVerificationError.
 */
export function verify(
  headers: WebhookHeaders,
  body: string | Uint8Array,
  secrets: string | readonly string[],
  now: Date = new Date(),
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): VerifiedWebhook {
  // Keys are decoded first: a misconfigured secret is the receiver's fault, never reported as a bad delivery.
  const keys = toSecrets(secrets).map(secretKey);
  const id = header(headers, WEBHOOK_ID);
  const timestamp = header(headers, WEBHOOK_TIMESTAMP);
  const signatures = header(headers, WEBHOOK_SIGNATURE);
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError(
      'missing-headers',
      'webhook-id, webhook-timestamp and webhook-signature are required',
    );
  }
  if (!ID_PATTERN.test(id) || !TIMESTAMP_PATTERN.test(timestamp)) {
    throw new WebhookVerificationError('malformed-headers', 'webhook-id or webhook-timestamp is malformed');
  }
  const seconds = Number(timestamp);
  if (Math.abs(Math.floor(now.getTime() / 1000) - seconds) > toleranceSeconds) {
    throw new WebhookVerificationError(
      'timestamp-out-of-range',
      `webhook-timestamp is more than ${toleranceSeconds} s off`,
    );
  }
  const offered = signatures
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3)));
  for (const [secretIndex, key] of keys.entries()) {
    const expected = Buffer.from(hmac(key, id, timestamp, body));
    if (
      offered.some(
        (candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected),
      )
    ) {
      return { id, timestamp: seconds, secretIndex };
    }
  }
  throw new WebhookVerificationError('bad-signature', 'no signature matches the secret');
}
