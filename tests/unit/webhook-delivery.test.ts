import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  type DeliveryOptions,
  deliver,
  retryAfterMs,
  USER_AGENT,
  WebhookEndpointError,
} from '../../shared/webhooks/delivery';
import { generateSecret, verify } from '../../shared/webhooks/standard-webhooks';

const secret = generateSecret();
const endpoint = 'https://agency.example.vn/hooks/motcua';
const message = {
  id: 'msg_step_assigned_1',
  payload: { type: 'dossier.step.assigned', data: { dossierCode: '000.00.01.H26-260930-0012' } },
};

type Scripted = number | { status: number; headers?: Record<string, string> } | Error;

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: string;
  redirect: RequestInit['redirect'];
  signal: AbortSignal | undefined;
  /** The fake clock when the request went out. */
  at: Date;
}

/**
 * A scripted endpoint and a fake time: `fetch` answers from the script (taking 40 ms of fake time), `sleep`
 * records each delay and moves the clock by it. Nothing waits for real time.
 */
function harness(script: Scripted[], options: Partial<DeliveryOptions> = {}) {
  let now = Date.parse('2026-09-30T03:00:00Z');
  const sent: Sent[] = [];
  const delays: number[] = [];
  const clock = () => new Date(now);
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    sent.push({
      url: String(input),
      headers: { ...(init?.headers as Record<string, string>) },
      body: String(init?.body),
      redirect: init?.redirect,
      signal: init?.signal ?? undefined,
      at: clock(),
    });
    now += 40;
    const next = script.shift();
    if (next === undefined) throw new Error('the script ran out');
    if (next instanceof Error) throw next;
    const { status, headers } = typeof next === 'number' ? { status: next, headers: {} } : next;
    return new Response(status === 204 || status === 304 ? null : 'answer', { status, headers });
  }) as typeof globalThis.fetch;
  const sleep = async (ms: number) => {
    delays.push(ms);
    now += ms;
  };
  const run = (overrides: Partial<DeliveryOptions> = {}, target = endpoint) =>
    deliver(target, message, {
      secret,
      fetch,
      sleep,
      clock,
      random: () => 0.5,
      attempts: 5,
      baseDelayMs: 1_000,
      maxDelayMs: 30_000,
      ...options,
      ...overrides,
    });
  return { run, sent, delays, clock };
}

const networkError = () => new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });

describe('deliver', () => {
  it('POSTs the JSON body with the three webhook headers, content type and user agent, once on a 2xx', async () => {
    const h = harness([204]);
    const outcome = await h.run();
    expect(outcome).toEqual({
      status: 'delivered',
      messageId: message.id,
      permanent: false,
      attempts: [{ at: '2026-09-30T03:00:00.000Z', status: 204, durationMs: 40 }],
    });
    const [request] = h.sent;
    expect(request!.url).toBe(endpoint);
    expect(JSON.parse(request!.body)).toEqual(message.payload);
    expect(request!.headers).toMatchObject({
      'webhook-id': message.id,
      'webhook-timestamp': String(Date.parse('2026-09-30T03:00:00Z') / 1000),
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
    });
    expect(verify(request!.headers, request!.body, secret, request!.at).id).toBe(message.id);
    expect(h.delays).toEqual([]);
  });

  it('retries 5xx answers and network errors, then succeeds', async () => {
    const h = harness([500, networkError(), 502, 200]);
    const outcome = await h.run();
    expect(outcome.status).toBe('delivered');
    expect(outcome.attempts.map((a) => a.status)).toEqual([500, undefined, 502, 200]);
    expect(outcome.attempts[1]!.error).toBe('fetch failed: connect ECONNREFUSED');
    expect(h.sent).toHaveLength(4);
    expect(h.delays).toHaveLength(3);
  });

  it('gives up after exactly the configured number of attempts, as a failure worth retrying later', async () => {
    const h = harness([503, 503, 503, 503]);
    const outcome = await h.run({ attempts: 3 });
    expect(outcome.status).toBe('failed');
    expect(outcome.permanent).toBe(false);
    expect(outcome.attempts).toHaveLength(3);
    expect(h.sent).toHaveLength(3);
    expect(h.delays).toHaveLength(2);
  });

  it('does not retry a 400: the endpoint refuses the message itself', async () => {
    const h = harness([400, 204]);
    const outcome = await h.run();
    expect(outcome).toMatchObject({ status: 'failed', permanent: true });
    expect(outcome.attempts).toEqual([expect.objectContaining({ status: 400, error: 'HTTP 400' })]);
    expect(h.sent).toHaveLength(1);
    expect(h.delays).toEqual([]);
  });

  it.each([401, 403, 404, 410, 422])('treats %i as permanent', async (status) => {
    const h = harness([status, 204]);
    expect(await h.run()).toMatchObject({ status: 'failed', permanent: true });
    expect(h.sent).toHaveLength(1);
  });

  it('treats a redirect as permanent and does not follow it (the endpoint URL is to be updated)', async () => {
    const h = harness([{ status: 301, headers: { location: 'https://elsewhere.example/' } }, 204]);
    expect(await h.run()).toMatchObject({ status: 'failed', permanent: true });
    expect(h.sent[0]!.redirect).toBe('manual');
    expect(h.sent).toHaveLength(1);
  });

  it.each([408, 429])('retries %i', async (status) => {
    const h = harness([status, 204]);
    expect(await h.run()).toMatchObject({ status: 'delivered' });
    expect(h.sent).toHaveLength(2);
  });

  it('retries a timeout and records it as one', async () => {
    const h = harness([new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 204]);
    const outcome = await h.run({ timeoutMs: 2_500 });
    expect(outcome.status).toBe('delivered');
    expect(outcome.attempts[0]!.error).toBe('timeout after 2500 ms');
    expect(h.sent[0]!.signal).toBeInstanceOf(AbortSignal);
  });

  it('waits as long as Retry-After (seconds) says on a 429', async () => {
    const h = harness([{ status: 429, headers: { 'retry-after': '7' } }, 204]);
    await h.run();
    expect(h.delays).toEqual([7_000]);
  });

  it('waits until the Retry-After date on a 503', async () => {
    const h = harness([{ status: 503, headers: { 'retry-after': 'Wed, 30 Sep 2026 03:00:12 GMT' } }, 204]);
    await h.run();
    // The answer came 40 ms after 03:00:00, so 11.96 s remain.
    expect(h.delays).toEqual([11_960]);
  });

  it('cuts a Retry-After longer than the maximum delay down to it', async () => {
    const h = harness([{ status: 429, headers: { 'retry-after': '3600' } }, 204]);
    await h.run({ maxDelayMs: 30_000 });
    expect(h.delays).toEqual([30_000]);
  });

  it('ignores Retry-After on other statuses and backs off instead', async () => {
    const h = harness([{ status: 500, headers: { 'retry-after': '7' } }, 204]);
    await h.run({ random: () => 0.5, baseDelayMs: 1_000 });
    expect(h.delays).toEqual([500]);
  });

  it('sends the same id and the same bytes on every attempt, each signed afresh with its own timestamp', async () => {
    const h = harness([500, 500, 204]);
    await h.run({ baseDelayMs: 5_000, random: () => 0.9 });
    expect(new Set(h.sent.map((s) => s.headers['webhook-id']))).toEqual(new Set([message.id]));
    expect(new Set(h.sent.map((s) => s.body)).size).toBe(1);
    expect(new Set(h.sent.map((s) => s.headers['webhook-timestamp'])).size).toBe(3);
    for (const request of h.sent)
      expect(verify(request.headers, request.body, secret, request.at).id).toBe(message.id);
  });

  it('keeps every backoff under the doubling bound and the maximum delay (full jitter)', async () => {
    const h = harness([500, 500, 500, 500, 500, 500, 500, 500]);
    await h.run({ attempts: 8, baseDelayMs: 1_000, maxDelayMs: 10_000, random: () => 0.999_999 });
    const bounds = [1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000];
    expect(h.delays).toHaveLength(bounds.length);
    h.delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(bounds[i]!);
      expect(delay).toBeGreaterThan(bounds[i]! * 0.99);
    });
  });

  it('can wait no time at all under full jitter', async () => {
    const h = harness([500, 204]);
    await h.run({ random: () => 0 });
    expect(h.delays).toEqual([0]);
  });

  it('signs with every secret it is given while a secret is rotated', async () => {
    const next = generateSecret();
    const h = harness([204]);
    await h.run({ secret: [next, secret] });
    const [request] = h.sent;
    expect(request!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verify(request!.headers, request!.body, secret, request!.at).secretIndex).toBe(0);
    expect(verify(request!.headers, request!.body, next, request!.at).secretIndex).toBe(0);
  });
});

describe('deliver refuses endpoints', () => {
  const refusal = async (target: string, allowLoopback?: boolean) => {
    const h = harness([204]);
    const error = await h.run({ allowLoopback }, target).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(h.sent).toHaveLength(0);
    return error instanceof WebhookEndpointError ? error.reason : error;
  };

  it('refuses plain http to a public host', async () => {
    expect(await refusal('http://agency.example.vn/hooks')).toBe('insecure-scheme');
  });

  it('refuses loopback http unless allowLoopback is set', async () => {
    expect(await refusal('http://127.0.0.1:4600/hooks/a')).toBe('insecure-scheme');
    expect(await refusal('http://localhost:4600/hooks/a')).toBe('insecure-scheme');
  });

  it('refuses a host that only looks like loopback, even with allowLoopback', async () => {
    expect(await refusal('http://localhost.attacker.example/hooks', true)).toBe('insecure-scheme');
    expect(await refusal('http://10.0.0.5/hooks', true)).toBe('insecure-scheme');
  });

  it('refuses other schemes, non-URLs and URLs carrying credentials', async () => {
    expect(await refusal('ftp://agency.example.vn/hooks')).toBe('insecure-scheme');
    expect(await refusal('not a url')).toBe('invalid-url');
    expect(await refusal('https://user:pass@agency.example.vn/hooks')).toBe('credentials-in-url');
  });

  it('delivers to loopback http when allowLoopback is set (the embedded stack)', async () => {
    const h = harness([204, 204]);
    for (const target of ['http://127.0.0.1:4600/hooks/a', 'http://localhost:4600/hooks/a']) {
      expect(await h.run({ allowLoopback: true }, target)).toMatchObject({ status: 'delivered' });
    }
    expect(h.sent.map((s) => s.url)).toEqual([
      'http://127.0.0.1:4600/hooks/a',
      'http://localhost:4600/hooks/a',
    ]);
  });
});

describe('retryAfterMs', () => {
  const now = new Date('2026-09-30T03:00:00Z');
  it('reads delta-seconds and HTTP dates, and nothing else', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Wed, 30 Sep 2026 03:01:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('Wed, 30 Sep 2026 02:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it('is a uniform share of a bound that doubles per retry up to the maximum', () => {
    expect(backoffMs(1, 1_000, 60_000, () => 0.5)).toBe(500);
    expect(backoffMs(3, 1_000, 60_000, () => 0.5)).toBe(2_000);
    expect(backoffMs(20, 1_000, 60_000, () => 0.5)).toBe(30_000);
  });
});
