// The integration suite's contract check, proven without a network: strict at any depth, and naming the route.
import { describe, expect, it } from 'vitest';
import * as z from '../../shared/schemas/zod';
import { assertContract, ContractError, routeFor } from '../integration/support/contract';
import { deepStrict } from '../integration/support/deep-strict';

const json = (body: unknown, status = 200, contentType = 'application/json; charset=utf-8') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': contentType } });

const tracking = {
  code: '000.02.01.H26-261127-0042',
  status: 'RECEIVED',
  statusLabel: { vi: 'Đã tiếp nhận', en: 'Received' },
  procedure: { code: '1.001193', name: { vi: 'Đăng ký khai sinh', en: 'Birth registration' } },
  submittedAt: '2026-11-27T02:00:00.000Z',
  paused: false,
  currentStep: { vi: 'Đã tiếp nhận', en: 'Received' },
  awaitingPayment: false,
};
const trackingUrl = '/v1/tracking/000.02.01.H26-261127-0042?key=ABCDEFGH';

describe('deepStrict', () => {
  const schema = z.object({
    items: z.array(z.object({ name: z.string(), tags: z.optional(z.array(z.object({ id: z.string() }))) })),
    owner: z.nullable(z.object({ sub: z.string() })),
    answers: z.record(z.string(), z.object({ value: z.string() })),
    either: z.optional(z.union([z.object({ a: z.number() }), z.object({ b: z.number() })])),
    later: z.optional(z.lazy(() => z.object({ deep: z.object({ leaf: z.boolean() }) }))),
    settings: z._default(z.object({ on: z.boolean() }), { on: false }),
  });
  const valid = { items: [{ name: 'x', tags: [{ id: 't' }] }], owner: { sub: 's' }, answers: {} };
  const strict = deepStrict(schema);
  const unknownKeyAt = (value: unknown) => {
    const result = strict.safeParse(value);
    return result.success ? undefined : result.error.issues.map((i) => [i.code, i.path.join('.')]);
  };

  it('accepts a value with only declared keys', () => {
    expect(strict.safeParse(valid).success).toBe(true);
  });

  it('refuses an unknown key at the top, in an array element and in an optional nested array', () => {
    expect(unknownKeyAt({ ...valid, extra: 1 })).toEqual([['unrecognized_keys', '']]);
    expect(unknownKeyAt({ ...valid, items: [{ name: 'x', extra: 1 }] })).toEqual([
      ['unrecognized_keys', 'items.0'],
    ]);
    expect(unknownKeyAt({ ...valid, items: [{ name: 'x', tags: [{ id: 't', extra: 1 }] }] })).toEqual([
      ['unrecognized_keys', 'items.0.tags.0'],
    ]);
  });

  it('refuses an unknown key behind nullable, record, union, lazy and default', () => {
    expect(unknownKeyAt({ ...valid, owner: { sub: 's', extra: 1 } })).toEqual([
      ['unrecognized_keys', 'owner'],
    ]);
    expect(unknownKeyAt({ ...valid, answers: { q: { value: 'v', extra: 1 } } })).toEqual([
      ['unrecognized_keys', 'answers.q'],
    ]);
    expect(strict.safeParse({ ...valid, either: { a: 1, extra: 1 } }).success).toBe(false);
    expect(unknownKeyAt({ ...valid, later: { deep: { leaf: true, extra: 1 } } })).toEqual([
      ['unrecognized_keys', 'later.deep'],
    ]);
    expect(unknownKeyAt({ ...valid, settings: { on: true, extra: 1 } })).toEqual([
      ['unrecognized_keys', 'settings'],
    ]);
  });

  it('leaves the original schema as it was: it still strips unknown keys', () => {
    expect(schema.parse({ ...valid, extra: 1 })).not.toHaveProperty('extra');
  });

  it('keeps refinements and the checks of every field', () => {
    const refined = deepStrict(
      z
        .object({ from: z.number(), to: z.number().check(z.maximum(10)) })
        .check(z.refine((v) => v.from <= v.to, 'from after to')),
    );
    expect(refined.safeParse({ from: 2, to: 1 }).success).toBe(false);
    expect(refined.safeParse({ from: 1, to: 11 }).success).toBe(false);
    expect(refined.safeParse({ from: 1, to: 2 }).success).toBe(true);
  });

  it('keeps an object that chose to take any key', () => {
    expect(deepStrict(z.looseObject({ a: z.string() })).safeParse({ a: 'x', b: 1 }).success).toBe(true);
  });

  it('refuses to convert an intersection rather than check it loosely', () => {
    expect(() =>
      deepStrict(z.intersection(z.object({ a: z.string() }), z.object({ b: z.string() }))),
    ).toThrow(/intersection/);
  });
});

describe('routeFor', () => {
  it('finds the route by method and path, parameters matched segment by segment', () => {
    expect(routeFor('GET', '/v1/dossiers/000.02.01.H26-261127-0042')?.id).toBe('getDossier');
    expect(routeFor('POST', '/v1/dossiers/000.02.01.H26-261127-0042/receive')?.id).toBe('receiveDossier');
    expect(routeFor('get', '/v1/me/dossiers')?.id).toBe('listMyDossiers');
    expect(routeFor('DELETE', '/v1/procedures')).toBeUndefined();
    expect(routeFor('GET', '/v1/dossiers/a/b/c')).toBeUndefined();
  });
});

describe('assertContract', () => {
  it('accepts a response that matches its route exactly', async () => {
    await expect(assertContract('GET', trackingUrl, json(tracking))).resolves.toBeUndefined();
  });

  it('refuses an unknown key at any depth, naming the route, the key and where it is', async () => {
    const leaky = { ...tracking, procedure: { ...tracking.procedure, version: 3 } };
    const failure = assertContract('GET', trackingUrl, json(leaky));
    await expect(failure).rejects.toThrow(ContractError);
    await expect(failure).rejects.toThrow(/trackDossier \(GET \/v1\/tracking\/\{code\}\) answered 200/);
    await expect(failure).rejects.toThrow(/Unrecognized key: "version"\s+→ at procedure/);
  });

  it('refuses a missing field and a field of the wrong type', async () => {
    const { paused: _paused, ...missing } = tracking;
    await expect(assertContract('GET', trackingUrl, json(missing))).rejects.toThrow(/paused/);
    await expect(assertContract('GET', trackingUrl, json({ ...tracking, paused: 'no' }))).rejects.toThrow(
      /paused/,
    );
  });

  it('holds error answers to the error body, strictly', async () => {
    const notFound = { error: { code: 'DOSSIER_NOT_FOUND', message: 'No dossier with this code and key' } };
    await expect(assertContract('GET', trackingUrl, json(notFound, 404))).resolves.toBeUndefined();
    await expect(
      assertContract('GET', trackingUrl, json({ error: { ...notFound.error, stack: 'at …' } }, 404)),
    ).rejects.toThrow(/Unrecognized key: "stack"/);
  });

  it('holds the gateway’s answers for no route to the error body too', async () => {
    await expect(
      assertContract('GET', '/v1/nothing', json({ error: { code: 'ROUTE_NOT_FOUND', message: 'm' } }, 404)),
    ).resolves.toBeUndefined();
    await expect(assertContract('GET', '/v1/nothing', json({ message: 'Not Found' }, 404))).rejects.toThrow(
      /GET \/v1\/nothing \(no route\) answered 404/,
    );
  });

  it('refuses a status the route does not declare', async () => {
    const internal = { error: { code: 'INTERNAL', message: 'Something went wrong on our side' } };
    await expect(assertContract('GET', trackingUrl, json(internal, 500))).rejects.toThrow(
      /a status the route does not declare/,
    );
  });

  it('excuses a refusal the gateway gives before the route, but holds it to the error body', async () => {
    const tooLarge = {
      error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request is larger than the gateway accepts' },
    };
    await expect(assertContract('GET', trackingUrl, json(tooLarge, 413))).resolves.toBeUndefined();
    await expect(
      assertContract('GET', trackingUrl, json({ error: { ...tooLarge.error, limit: 1 } }, 413)),
    ).rejects.toThrow(/Unrecognized key: "limit"/);
    await expect(
      assertContract('GET', trackingUrl, json({ error: { code: 'FILE_TOO_LARGE', message: 'm' } }, 413)),
    ).rejects.toThrow(/a status the route does not declare/);
    const failed = { error: { code: 'UPSTREAM_FAILED', message: 'The function behind this route failed' } };
    await expect(assertContract('GET', trackingUrl, json(failed, 502))).rejects.toThrow(
      /a status the route does not declare/,
    );
  });

  it('checks the declared content type: JSON where JSON is declared, PDF where PDF is', async () => {
    await expect(assertContract('GET', trackingUrl, json(tracking, 200, 'text/plain'))).rejects.toThrow(
      /not application\/json/,
    );
    const form = `/v1/dossiers/000.02.01.H26-261127-0042/forms/01`;
    const pdf = new Response('%PDF-1.4', { headers: { 'content-type': 'application/pdf' } });
    await expect(assertContract('GET', form, pdf)).resolves.toBeUndefined();
    await expect(assertContract('GET', form, json({}))).rejects.toThrow(/not application\/pdf/);
  });

  it('accepts a representation the route declares as an alternative (CSV), and no other', async () => {
    const report = '/v1/payments/report?unit=000.02.01.H26&day=2026-12-03&format=csv';
    const csv = new Response('\uFEFFa,b\r\n', { headers: { 'content-type': 'text/csv; charset=utf-8' } });
    await expect(assertContract('GET', report, csv)).resolves.toBeUndefined();
    const html = new Response('<p>', { headers: { 'content-type': 'text/html' } });
    await expect(assertContract('GET', report, html)).rejects.toThrow(/not application\/json/);
    await expect(assertContract('GET', report, json({ unit: 'x' }))).rejects.toThrow(/does not match/);
  });
});
