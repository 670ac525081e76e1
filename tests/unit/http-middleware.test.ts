import { beforeEach, describe, expect, it } from 'vitest';
import { resetConfigForTests } from '../../shared/config';
import { ConflictError } from '../../shared/errors';
import { httpRoute } from '../../shared/http/middleware';
import type { RouteDefinition } from '../../shared/http/route-types';
import * as z from '../../shared/schemas/zod';
import { context, event } from './support/events';

// The wrapper validates its configuration when it is built (the cold start), so the settings come first.
process.env.LOG_LEVEL = 'silent';
process.env.STAGE = 'local';
process.env.PUBLIC_BASE_URL = 'http://localhost:3000';
process.env.CORS_ORIGINS = 'https://app.example';

const route = {
  id: 'testRoute',
  method: 'POST',
  path: '/v1/things/{id}',
  summary: 'test',
  tags: [],
  auth: { kind: 'staff', roles: ['officer'] },
  handler: 'none',
  request: {
    path: z.object({ id: z.string().check(z.regex(/^\d+$/)) }),
    body: z.object({ name: z.string().check(z.minLength(1)) }),
    maxBodyBytes: 100,
    idempotent: true,
  },
  responses: {},
  uses: {},
} as const satisfies RouteDefinition;

const officer = { sub: 'u1', 'cognito:groups': 'officer', 'custom:branch': '000.02.01.H26' };
const post = (
  body: string | null,
  headers: Record<string, string> = { 'Content-Type': 'application/json' },
) => event({ httpMethod: 'POST', body, headers, pathParameters: { id: '7' }, claims: officer });

let seen: unknown;
const handler = httpRoute(route, async (request) => {
  seen = request;
  if (request.body.name === 'conflict') throw new ConflictError('busy');
  if (request.body.name === 'boom') throw new Error('secret internals');
  return { status: 201, body: { id: request.path.id, name: request.body.name } };
});

const parse = (body: string) => JSON.parse(body) as { error: { code: string; details?: unknown } };

describe('httpRoute', () => {
  beforeEach(() => {
    process.env.CORS_ORIGINS = 'https://app.example';
    resetConfigForTests();
    seen = undefined;
  });

  it('passes validated input and the principal to the handler', async () => {
    const response = await handler(post('{"name":"An"}'), context);
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body)).toEqual({ id: '7', name: 'An' });
    expect(seen).toMatchObject({ caller: { kind: 'staff', roles: ['officer'], branch: '000.02.01.H26' } });
  });

  it('adds security headers to every answer, errors included', async () => {
    for (const body of ['{"name":"An"}', '{']) {
      const response = await handler(post(body), context);
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'strict-transport-security': expect.stringContaining('max-age='),
        'cache-control': 'no-store',
      });
    }
  });

  it('allows CORS only for configured origins', async () => {
    const allowed = await handler(
      post('{"name":"An"}', { 'content-type': 'application/json', origin: 'https://app.example' }),
      context,
    );
    expect(allowed.headers?.['access-control-allow-origin']).toBe('https://app.example');
    const other = await handler(
      post('{"name":"An"}', { 'content-type': 'application/json', origin: 'https://evil.example' }),
      context,
    );
    expect(other.headers?.['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 415 for a body that is not JSON', async () => {
    const response = await handler(
      post('name=An', { 'content-type': 'application/x-www-form-urlencoded' }),
      context,
    );
    expect(response.statusCode).toBe(415);
    expect(parse(response.body).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 413 past the route body limit', async () => {
    const response = await handler(post(JSON.stringify({ name: 'x'.repeat(200) })), context);
    expect(response.statusCode).toBe(413);
  });

  it('answers 400 MALFORMED_JSON for broken JSON', async () => {
    const response = await handler(post('{"name":'), context);
    expect(response.statusCode).toBe(400);
    expect(parse(response.body).error.code).toBe('MALFORMED_JSON');
  });

  it('names the failing field in a 400', async () => {
    const response = await handler(post('{"name":""}'), context);
    expect(response.statusCode).toBe(400);
    expect(parse(response.body).error.details).toEqual([
      { in: 'body', path: 'name', message: expect.any(String) },
    ]);
  });

  it('validates path parameters', async () => {
    const response = await handler({ ...post('{"name":"An"}'), pathParameters: { id: 'abc' } }, context);
    expect(response.statusCode).toBe(400);
  });

  it('refuses a malformed Idempotency-Key', async () => {
    const response = await handler(
      post('{"name":"An"}', { 'content-type': 'application/json', 'idempotency-key': 'no spaces allowed' }),
      context,
    );
    expect(response.statusCode).toBe(400);
  });

  it('answers 401 without claims and 403 without the role, before reading the body', async () => {
    const anonymous = await handler({ ...post('{'), requestContext: { requestId: 'r' } } as never, context);
    expect(anonymous.statusCode).toBe(401);
    const citizen = await handler(
      event({ httpMethod: 'POST', body: '{', claims: { sub: 'c', 'cognito:groups': 'citizen' } }),
      context,
    );
    expect(citizen.statusCode).toBe(403);
  });

  it('maps domain errors to their status', async () => {
    const response = await handler(post('{"name":"conflict"}'), context);
    expect(response.statusCode).toBe(409);
    expect(parse(response.body).error.code).toBe('CONFLICT');
  });

  it('hides unexpected errors behind a plain 500', async () => {
    process.env.LOG_LEVEL = 'silent';
    const response = await handler(post('{"name":"boom"}'), context);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret internals');
    expect(parse(response.body).error.code).toBe('INTERNAL');
  });
});
