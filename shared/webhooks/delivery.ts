// Delivers one signed webhook message to one endpoint, retrying what may pass later (network errors, timeouts, 408,
// 429, 5xx) with capped exponential backoff and full jitter, and giving up at once on what will not (other 4xx,
// 3xx). Every attempt is signed again with its own timestamp (receivers reject one older than 5 minutes) under the
// same message id (receivers de-duplicate on it). The caller dead-letters a failed outcome.
import { signedHeaders } from './standard-webhooks';

export const USER_AGENT = 'motcua-webhooks/1';

export interface WebhookMessage {
  /** `webhook-id`: one per event, the same on every attempt and every redelivery of it. */
  id: string;
  /** Serialized once with JSON.stringify, so every attempt sends (and signs) the same bytes. */
  payload: unknown;
}

export interface DeliveryAttempt {
  /** When the attempt started (ISO). */
  at: string;
  /** The response status, when there was a response. */
  status?: number;
  /** Why there was no usable response (network error, timeout), or which status failed it. */
  error?: string;
  durationMs: number;
}

export interface DeliveryOutcome {
  status: 'delivered' | 'failed';
  messageId: string;
  attempts: DeliveryAttempt[];
  /** A failure that retrying later cannot fix (the endpoint refused the message): fix the endpoint, then redrive. */
  permanent: boolean;
}

export interface DeliveryOptions {
  /** The endpoint's secret(s); during a rotation every secret signs, so either the old or the new one verifies. */
  secret: string | readonly string[];
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Attempts in all, the first included (default 5). */
  attempts?: number;
  /** Cap of the first backoff (default 1 s); it doubles each retry up to `maxDelayMs` (default 60 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** One attempt's budget, response headers included (default 15 s, the spec recommends 15–30 s). */
  timeoutMs?: number;
  clock?: () => Date;
  /** Uniform in [0, 1): the jitter source. */
  random?: () => number;
  /** Allows `http://127.0.0.1` and `http://localhost` (the embedded stack); otherwise only https. */
  allowLoopback?: boolean;
}

export type EndpointRefusal = 'invalid-url' | 'insecure-scheme' | 'credentials-in-url';

/** An endpoint this sender will not call; thrown before any attempt. */
export class WebhookEndpointError extends Error {
  constructor(
    readonly reason: EndpointRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookEndpointError';
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** The endpoint as a URL, or a WebhookEndpointError: https only, loopback http when allowed. */
export function checkEndpoint(endpoint: string, allowLoopback = false): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new WebhookEndpointError('invalid-url', 'the webhook endpoint is not a URL');
  }
  // Credentials in a URL would end up in logs and dead letters; agencies authenticate us by the signature.
  if (url.username || url.password) {
    throw new WebhookEndpointError('credentials-in-url', 'a webhook endpoint carries no credentials');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && allowLoopback && LOOPBACK_HOSTS.has(url.hostname)) return url;
  throw new WebhookEndpointError(
    'insecure-scheme',
    `webhook endpoints must be https (${url.protocol}//${url.host} refused)`,
  );
}

const retryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^[0-9]+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

/** Full jitter: uniform between 0 and the capped exponential bound of retry `retry` (1 = the first retry). */
export function backoffMs(
  retry: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  const bound = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * bound);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function failureOf(error: unknown, timeoutMs: number): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return `timeout after ${timeoutMs} ms`;
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}

export async function deliver(
  endpoint: string,
  message: WebhookMessage,
  options: DeliveryOptions,
): Promise<DeliveryOutcome> {
  const url = checkEndpoint(endpoint, options.allowLoopback);
  const fetch = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? defaultSleep;
  const clock = options.clock ?? (() => new Date());
  const random = options.random ?? Math.random;
  const maxAttempts = options.attempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 1_000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 15_000;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new RangeError('attempts must be a positive integer');
  const body = JSON.stringify(message.payload);
  const attempts: DeliveryAttempt[] = [];
  const outcome = (status: DeliveryOutcome['status'], permanent: boolean): DeliveryOutcome => ({
    status,
    messageId: message.id,
    attempts,
    permanent,
  });

  for (let n = 1; ; n += 1) {
    const started = clock();
    const headers = {
      ...signedHeaders(
        { id: message.id, timestamp: Math.floor(started.getTime() / 1000), body },
        options.secret,
      ),
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
    };
    let wait: number | undefined;
    try {
      // Redirects are not followed: the spec counts a 3xx as a failure (the endpoint's URL is to be updated).
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      // The body is not needed; cancelling it frees the connection.
      await response.body?.cancel().catch(() => undefined);
      const durationMs = clock().getTime() - started.getTime();
      if (response.status >= 200 && response.status < 300) {
        attempts.push({ at: started.toISOString(), status: response.status, durationMs });
        return outcome('delivered', false);
      }
      attempts.push({
        at: started.toISOString(),
        status: response.status,
        error: `HTTP ${response.status}`,
        durationMs,
      });
      if (!retryableStatus(response.status)) return outcome('failed', true);
      if (response.status === 429 || response.status === 503) {
        wait = retryAfterMs(response.headers.get('retry-after'), clock());
      }
    } catch (error) {
      attempts.push({
        at: started.toISOString(),
        error: failureOf(error, timeoutMs),
        durationMs: clock().getTime() - started.getTime(),
      });
    }
    if (n >= maxAttempts) return outcome('failed', false);
    // A Retry-After within the cap is followed as given; a longer one is cut to the cap (the caller's dead letter
    // and redrive cover a receiver that stays away longer).
    await sleep(Math.min(maxDelayMs, wait ?? backoffMs(n, baseDelayMs, maxDelayMs, random)));
  }
}
