// Keys a caller chooses (header, query and claim names, ARNs) never resolve to members inherited from Object.prototype.
import { beforeEach, describe, expect, it } from 'vitest';
import { verifySigV4 } from '../../local/sigv4';
import { resetConfigForTests } from '../../shared/config';
import { ForbiddenError } from '../../shared/errors';
import { type HttpRequest, httpRoute } from '../../shared/http/middleware';
import { authorize } from '../../shared/http/principal';
import type { RouteDefinition } from '../../shared/http/route-types';
import { memoryPartnerRegistry } from './fakes/memory-partners';
import { context, event } from './support/events';

const prototypeNames = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
const partners = memoryPartnerRegistry({ 'arn:aws:iam::111111111111:role/police': '000.33.08.H26' });

describe('authorize', () => {
  it('refuses a partner principal named like an Object.prototype member instead of finding an agency', async () => {
    for (const name of prototypeNames) {
      await expect(authorize(event({ userArn: name }), { kind: 'partner' }, partners), name).rejects.toThrow(
        ForbiddenError,
      );
    }
  });
});

describe('httpRoute', () => {
  beforeEach(() => {
    process.env.LOG_LEVEL = 'silent';
    process.env.STAGE = 'local';
    process.env.PUBLIC_BASE_URL = 'http://localhost:3000';
    process.env.CORS_ORIGINS = 'https://app.example';
    resetConfigForTests();
  });

  it('hands the handler headers in which no inherited member answers for a missing header', async () => {
    let headers: HttpRequest<unknown, unknown, unknown>['headers'] | undefined;
    const route = {
      id: 'protoHeaders',
      method: 'GET',
      path: '/v1/things',
      summary: 'test',
      tags: [],
      auth: { kind: 'public' },
      handler: 'none',
      responses: {},
      uses: {},
    } as const satisfies RouteDefinition;
    const handler = httpRoute(route, async (request) => {
      headers = request.headers;
      return { body: { ok: true } };
    });
    const response = await handler(event({ headers: { 'X-Trace': 'abc' } }), context);
    expect(response.statusCode).toBe(200);
    for (const name of prototypeNames) expect(headers?.[name], name).toBeUndefined();
    expect(headers?.['x-trace']).toBe('abc');
  });
});

describe('verifySigV4', () => {
  const police = {
    accessKeyId: 'AKIALOCALTEST0000001',
    secretAccessKey: 'test-secret',
    principalArn: 'arn:aws:iam::000000000000:user/partner-test',
  };
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const options = { region: 'ap-southeast-1', service: 'execute-api' };

  it('calls a signature over an unsent header named like an Object.prototype member a mismatch', () => {
    // Node's IncomingMessage#headers is a plain object, so `headers.constructor` is Object unless one was sent.
    const headers: Record<string, string> = {
      host: '127.0.0.1:3000',
      'x-amz-date': amzDate,
      authorization: `AWS4-HMAC-SHA256 Credential=${police.accessKeyId}/${amzDate.slice(0, 8)}/ap-southeast-1/execute-api/aws4_request, SignedHeaders=constructor;host;tostring;valueof;x-amz-date, Signature=${'0'.repeat(64)}`,
    };
    const result = verifySigV4(
      { method: 'GET', rawPath: '/v1/partner/profile', rawQuery: '', headers, body: Buffer.alloc(0) },
      [police],
      options,
    );
    expect(result).toEqual({ ok: false, reason: 'mismatch', principalArn: police.principalArn });
  });

  it('tells an Authorization header of another scheme (a bearer token) from a malformed signature', () => {
    const verify = (authorization: string) =>
      verifySigV4(
        {
          method: 'GET',
          rawPath: '/v1/partner/profile',
          rawQuery: '',
          headers: { host: '127.0.0.1:3000', authorization },
          body: Buffer.alloc(0),
        },
        [police],
        options,
      );
    expect(verify('Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig')).toEqual({ ok: false, reason: 'not-sigv4' });
    expect(verify('AWS4-HMAC-SHA256 Credential=x')).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('a bearer token on a partner route', () => {
  it('is refused with 401 SIGV4_REQUIRED, naming the signature it needs', async () => {
    const citizen = event({ claims: { sub: 's1', 'cognito:groups': 'citizen' } });
    await expect(authorize(citizen, { kind: 'partner' }, partners)).rejects.toThrow(
      expect.objectContaining({
        status: 401,
        code: 'SIGV4_REQUIRED',
        message: expect.stringMatching(/SigV4/),
      }),
    );
  });
});
