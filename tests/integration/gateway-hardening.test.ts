// The local gateway answers every request, however odd, with a proper answer: the route's own, or the API's
// error body with its security headers (issue #6).
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGateway } from '../../local/gateway';
import { createIssuer } from '../../local/issuer';
import type { RouteDefinition } from '../../shared/http/route-types';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const prototypeNames = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function dechunk(body: string) {
  let out = '';
  let rest = body;
  for (;;) {
    const [size = '0', ...after] = rest.split('\r\n');
    const length = Number.parseInt(size, 16);
    if (!length) return out;
    const data = after.join('\r\n');
    out += data.slice(0, length);
    rest = data.slice(length + 2);
  }
}

/** Sends bytes over a fresh socket and reads the answer up to the server's close. */
function raw(request: string, options: { url?: string; halfClose?: boolean } = {}): Promise<RawAnswer> {
  const { port } = new URL(options.url ?? stack.urls.gateway);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(Buffer.from(request, 'latin1'));
      if (options.halfClose) socket.end();
    });
    let data = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', ...rest] = data.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = rest.join('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1] ?? 0),
        headers,
        body: headers['transfer-encoding'] === 'chunked' ? dechunk(body) : body,
      });
    });
  });
}

/** The API's error answer: its status, its code, the JSON body and the security headers. */
function expectErrorAnswer(answer: RawAnswer, status: number, code: string) {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['strict-transport-security']).toContain('max-age');
  expect(JSON.parse(answer.body)).toEqual({ error: { code, message: expect.any(String) } });
}

async function answerOf(response: Response) {
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: await response.text(),
  };
}

describe('header and query names like Object.prototype members', () => {
  it('get the route’s normal answer when sent as header names', async () => {
    for (const name of prototypeNames) {
      const answer = await raw(
        `GET /v1/health HTTP/1.1\r\nHost: localhost\r\n${name}: x\r\nConnection: close\r\n\r\n`,
      );
      expect(answer.status, name).toBe(200);
    }
  });

  it('get the route’s normal answer when sent as query keys', async () => {
    for (const name of prototypeNames) {
      const response = await stack.call(`/v1/procedures?${name}=1&${name}=2`);
      expect(response.status, name).toBeLessThan(500);
      expect(await response.json(), name).toBeTypeOf('object');
    }
  });

  it('are refused as a bad signature, not a failure, when signed but not sent', async () => {
    const { demoPartners } = await import('../../local/demo');
    const police = demoPartners[1]!;
    const amzDate = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const response = await stack.call('/v1/partner/profile', {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${police.accessKeyId}/${amzDate.slice(0, 8)}/ap-southeast-1/execute-api/aws4_request, SignedHeaders=constructor;host;x-amz-date, Signature=${'0'.repeat(64)}`,
        'x-amz-date': amzDate,
      },
    });
    expectErrorAnswer(await answerOf(response), 403, 'INVALID_SIGNATURE');
  });
});

describe('requests Node’s HTTP parser rejects', () => {
  it('answer headers over 16 KB with 431 and the error body', async () => {
    const answer = await raw(
      `GET /v1/health HTTP/1.1\r\nHost: localhost\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expectErrorAnswer(answer, 431, 'REQUEST_HEADERS_TOO_LARGE');
    expect(answer.headers.connection).toBe('close');
  });

  it('answer a method HTTP does not know with 405, Allow and the error body', async () => {
    for (const method of ['get', 'FOO']) {
      const answer = await raw(`${method} /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      expectErrorAnswer(answer, 405, 'METHOD_NOT_ALLOWED');
      expect(answer.headers.allow, method).toContain('GET');
      expect(answer.headers.connection).toBe('close');
    }
  });

  it('answer CONNECT with 405, Allow and the error body', async () => {
    const answer = await raw('CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n');
    expectErrorAnswer(answer, 405, 'METHOD_NOT_ALLOWED');
    expect(answer.headers.allow).toContain('GET');
    expect(answer.headers.connection).toBe('close');
  });

  it('answer a broken request line or Content-Length with 400 MALFORMED_REQUEST', async () => {
    for (const request of [
      'GET /v1/health\u0001 HTTP/1.1\r\nHost: localhost\r\n\r\n',
      'GET /v1/health x HTTP/1.1\r\nHost: localhost\r\n\r\n',
      'POST /v1/admin/procedures HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n{}',
    ]) {
      const answer = await raw(request);
      expectErrorAnswer(answer, 400, 'MALFORMED_REQUEST');
      expect(answer.headers.connection, request).toBe('close');
    }
  });

  it('answer a body shorter than its Content-Length with 400 when the client stops sending', async () => {
    const answer = await raw(
      'POST /v1/admin/procedures HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":1}',
      { halfClose: true },
    );
    expectErrorAnswer(answer, 400, 'MALFORMED_REQUEST');
  });

  it('answer an HTTP/1.1 request without Host, and an Expect it cannot meet, with the error body', async () => {
    expectErrorAnswer(
      await raw('GET /v1/health HTTP/1.1\r\nConnection: close\r\n\r\n'),
      400,
      'MALFORMED_REQUEST',
    );
    expectErrorAnswer(
      await raw(
        'GET /v1/health HTTP/1.1\r\nHost: localhost\r\nExpect: the-unexpected\r\nConnection: close\r\n\r\n',
      ),
      417,
      'EXPECTATION_FAILED',
    );
  });
});

describe('the local IdP token endpoint', () => {
  it('answers a GET with 405, Allow: POST and the error body', async () => {
    const answer = await answerOf(await stack.call('/local-idp/token'));
    expectErrorAnswer(answer, 405, 'METHOD_NOT_ALLOWED');
    expect(answer.headers.allow).toBe('POST');
  });
});

describe('a bearer token on a partner route', () => {
  it('is refused with 401 saying an AWS SigV4 signature is needed', async () => {
    const answer = await answerOf(await stack.call('/v1/partner/profile', { as: 'citizen.an' }));
    expectErrorAnswer(answer, 401, 'SIGV4_REQUIRED');
    expect(JSON.parse(answer.body).error.message).toMatch(/SigV4/);
  });
});

describe('the gateway’s own error log', () => {
  const route = (id: string, path: string): RouteDefinition => ({
    id,
    method: 'GET',
    path,
    summary: id,
    tags: [],
    auth: { kind: 'public' },
    handler: 'none',
    responses: {},
    uses: {},
  });

  async function logsOf(path: string) {
    const gateway = createGateway({
      routes: [route('explodes', '/v1/explodes'), route('answersNonsense', '/v1/nonsense')],
      loadHandler: async (r) =>
        r.id === 'explodes'
          ? async () => {
              throw new Error('boom');
            }
          : async () => ({ statusCode: -1, body: '' }),
      issuer: await createIssuer('http://gateway.test/local-idp'),
      partners: [],
      corsOrigins: [],
      throttle: { ratePerSecond: 100, burst: 100 },
      region: 'ap-southeast-1',
    });
    const url = await gateway.listen(0);
    const level = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'error';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const response = await fetch(`${url}${path}`);
      await response.text();
      const lines = write.mock.calls
        .map(([chunk]) => String(chunk))
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      return { response, lines };
    } finally {
      write.mockRestore();
      process.env.LOG_LEVEL = level;
      await gateway.close();
    }
  }

  it('records time, route and request id when a handler throws', async () => {
    const { response, lines } = await logsOf('/v1/explodes');
    expect(response.status).toBe(502);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        route: 'explodes',
        requestId: response.headers.get('x-request-id'),
      }),
    );
  });

  it('records time, route and request id when the gateway itself fails', async () => {
    const { response, lines } = await logsOf('/v1/nonsense');
    expect(response.status).toBe(502);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        route: 'answersNonsense',
        requestId: response.headers.get('x-request-id'),
      }),
    );
  });
});
