import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPartners } from '../../local/demo';
import { signedFetch as signed } from './support/signed';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ corsOrigins: ['https://portal.example'] });
});
afterAll(() => stack?.stop());

const signedFetch = (path: string, credentials: { accessKeyId: string; secretAccessKey: string }) =>
  signed(stack.urls.gateway, path, credentials);

describe('the local gateway', () => {
  it('answers 404 with the error body for an unknown route', async () => {
    const response = await stack.call('/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: expect.any(String) },
    });
  });

  it('answers 405 with Allow for a known path and a wrong method', async () => {
    const response = await stack.call('/v1/procedures', { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('puts security headers on handler and gateway answers alike', async () => {
    for (const path of ['/v1/health', '/v1/nothing-here', '/v1/procedures?limit=0']) {
      const response = await stack.call(path);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('strict-transport-security'), path).toContain('max-age');
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  it('allows CORS for the configured origin only, and answers preflight', async () => {
    const allowed = await stack.call('/v1/procedures', { headers: { origin: 'https://portal.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://portal.example');
    const other = await stack.call('/v1/procedures', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await stack.call('/v1/admin/procedures', {
      method: 'OPTIONS',
      headers: { origin: 'https://portal.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('reports every dependency on /v1/health', async () => {
    const response = await stack.call('/v1/health');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; checks: { name: string; status: string }[] };
    expect(body.status).toBe('ok');
    expect(body.checks.map((c) => c.name).sort()).toEqual([
      'dynamodb:audit',
      'dynamodb:catalogue',
      'dynamodb:dossiers',
      'dynamodb:idempotency',
      's3:documents',
      's3:exports',
    ]);
  });

  it('serves the committed OpenAPI document and the reference page', async () => {
    const served = await (await stack.call('/openapi.json')).json();
    expect(served).toEqual(JSON.parse(readFileSync('docs/openapi.json', 'utf8')));
    const docs = await stack.call('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui-bundle.js');
    expect((await stack.call('/docs/swagger-ui-bundle.js')).status).toBe(200);
  });
});

describe('bearer tokens', () => {
  it('refuses an expired token, a token from another issuer and a garbled one with 401', async () => {
    const { createIssuer } = await import('../../local/issuer');
    const { demoAccounts } = await import('../../local/demo');
    const admin = demoAccounts.find((a) => a.username === 'admin')!;
    const expired = await stack.issuer.mint(admin, -10);
    const foreign = await (await createIssuer(stack.issuer.url)).mint(admin);
    for (const token of [expired, foreign, 'not.a.token', '']) {
      const response = await stack.call('/v1/admin/procedures', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('mints demo tokens from the local issuer endpoint', async () => {
    const response = await stack.call('/local-idp/token', {
      method: 'POST',
      body: JSON.stringify({ username: 'citizen.an' }),
    });
    const { id_token } = (await response.json()) as { id_token: string };
    const claims = await stack.issuer.verify(id_token);
    expect(claims).toMatchObject({ 'cognito:groups': ['citizen'], name: 'Nguyễn Văn An' });
    expect(
      (await stack.call('/local-idp/token', { method: 'POST', body: '{"username":"root"}' })).status,
    ).toBe(404);
  });
});

describe('partner SigV4', () => {
  const police = demoPartners.find((p) => p.agency === '000.33.08.H26')!;

  it('serves a correctly signed partner request with its agency', async () => {
    const response = await signedFetch('/v1/partner/profile', police);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { agency: { code: string }; procedures: { code: string }[] };
    expect(body.agency.code).toBe('000.33.08.H26');
    expect(body.procedures.map((p) => p.code)).toContain('2.002621');
  });

  it('answers an unsigned call as API Gateway does (404 ROUTE_NOT_FOUND), and 403 for a wrong secret or unknown key', async () => {
    const unsigned = await stack.call('/v1/partner/profile');
    expect(unsigned.status).toBe(404);
    expect(((await unsigned.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
    const wrong = await signedFetch('/v1/partner/profile', { ...police, secretAccessKey: 'guess' });
    expect(wrong.status).toBe(403);
    const unknown = await signedFetch('/v1/partner/profile', {
      accessKeyId: 'AKIAUNKNOWN',
      secretAccessKey: 'x',
    });
    expect(unknown.status).toBe(403);
  });

  it('refuses a bearer token on a partner route with 401, asking for a SigV4 signature', async () => {
    expect((await stack.call('/v1/partner/profile', { as: 'admin' })).status).toBe(401);
  });
});

describe('malformed requests', () => {
  it('never answer with a 5xx', async () => {
    const attempts: [string, RequestInit][] = [
      ['/v1/procedures/%E0%A4%A', {}],
      ['/v1/procedures?q=%ZZ', {}],
      [`/v1/procedures?q=${'a'.repeat(5000)}`, {}],
      ['/v1/procedures?limit=1e309', {}],
      ['/v1/procedures?limit=-1&limit=2', {}],
      [`/v1/procedures?cursor=${'A'.repeat(600)}`, {}],
      ['/v1/procedures/1.001193?version=NaN', {}],
      ['/v1/health', { method: 'POST', body: '\u0000\u0001' }],
      ['/v1/procedures', { method: 'GET', headers: { 'content-type': 'application/json' } }],
      [
        '/v1/admin/procedures',
        { method: 'POST', body: Buffer.from([0xff, 0xfe, 0x00]), headers: { authorization: 'Bearer' } },
      ],
      [
        '/v1/admin/procedures',
        { method: 'POST', body: '[]', headers: { 'content-type': 'application/json' } },
      ],
      ['/v1/partner/profile', { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x' } }],
      ['/v1/../etc/passwd', {}],
      ['//v1//procedures', {}],
      ['/v1/procedures/%2e%2e%2f', {}],
    ];
    for (const [path, init] of attempts) {
      const response = await stack.call(path, init);
      expect(response.status, path).toBeLessThan(500);
    }
    const adminToken = await stack.token('admin');
    for (const body of ['null', '"text"', '{"code":1}', '{"__proto__":{"x":1}}', '1'.repeat(100)]) {
      const response = await stack.call('/v1/admin/procedures', {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body,
      });
      expect(response.status, body).toBe(400);
    }
  });

  it('answer a request target that is not a plain path with 400, over a raw socket', async () => {
    const { port } = new URL(stack.urls.gateway);
    for (const target of ['//%zz/v1/health', '//[/v1/health', '//x:y@/v1/health', 'http://[/v1/health']) {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
        });
        let data = '';
        socket.on('data', (chunk) => {
          data += chunk.toString();
        });
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      expect(answer.split('\r\n')[0], target).toMatch(/^HTTP\/1\.1 4\d\d /);
    }
  });

  it('calls a signed partner request with a broken query malformed (403), not a failure', async () => {
    const police = demoPartners[1]!;
    const amzDate = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const response = await stack.call('/v1/partner/profile?a=%zz', {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${police.accessKeyId}/${amzDate.slice(0, 8)}/ap-southeast-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
        'x-amz-date': amzDate,
      },
    });
    expect(response.status).toBe(403);
  });

  it('answers 413 at the gateway for a body over its limit', async () => {
    const response = await stack.call('/v1/admin/procedures', {
      method: 'POST',
      as: 'admin',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(10 * 1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
  });
});
