// `npx tsx bench/fuzz-gateway.ts [requests]`: sends malformed and odd requests at every route of the embedded
// stack over raw loopback sockets and counts the answers that are not proper answers.
// A proper answer has a status line below 500 and the API's security headers; an error carries the
// `{"error":{"code","message"}}` JSON body; anything but 204, 304 or a HEAD has a body. Exits 1 on any improper one.
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoAccounts, demoPartners } from '../local/demo';
import { REGION, startStack } from '../local/stack';
import type { RouteDefinition } from '../shared/http/route-types';
import { routeList } from '../shared/http/routes';
import { table } from './stats';

const total = Number(process.argv[2] ?? process.env.FUZZ_REQUESTS ?? 3000);
const seed = Number(process.env.FUZZ_SEED ?? 6);
const inFlight = 8;
const answerTimeoutMs = 15_000;

/** mulberry32: the same seed sends the same requests, so a finding can be replayed. */
function prng(state: number) {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(seed);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;

interface Attempt {
  family: string;
  label: string;
  method: string;
  raw: Buffer;
  /** Half-close the socket after sending, as a client that promised more body than it sent. */
  halfClose?: boolean;
}

interface Answer {
  status?: number;
  headers: Map<string, string>;
  body: Buffer;
  timedOut: boolean;
}

const prototypeNames = [
  'constructor',
  'toString',
  '__proto__',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupSetter__',
];
const paramValues = ['1.001193', 'HS-2026-000001', ...prototypeNames, '%00', '..', '%2e%2e', 'x'.repeat(300)];

function samplePath(route: RouteDefinition) {
  return route.path.replace(/\{\w+\}/g, () => pick(paramValues));
}

function casing(name: string) {
  return pick([name, name.toUpperCase(), name.toLowerCase(), name[0]!.toUpperCase() + name.slice(1)]);
}

function build(
  host: string,
  parts: {
    method: string;
    target: string;
    headers?: [string, string][];
    body?: string | Buffer;
    contentLength?: string | null;
    version?: string;
  },
) {
  const body = typeof parts.body === 'string' ? Buffer.from(parts.body) : (parts.body ?? Buffer.alloc(0));
  const length =
    parts.contentLength === undefined ? (body.length ? String(body.length) : null) : parts.contentLength;
  const lines = [
    `${parts.method} ${parts.target} ${parts.version ?? 'HTTP/1.1'}`,
    `Host: ${host}`,
    ...(parts.headers ?? []).map(([name, value]) => `${name}: ${value}`),
    'Connection: close',
    ...(length === null ? [] : [`Content-Length: ${length}`]),
  ];
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

function sigV4Authorization(
  partner: (typeof demoPartners)[number],
  signedHeaders: string[],
  amzDate: string,
  canonical: string,
) {
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${REGION}/execute-api/aws4_request`;
  const hash = createHash('sha256').update(canonical).digest('hex');
  const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
  const key = hmac(
    hmac(hmac(hmac(`AWS4${partner.secretAccessKey}`, day), REGION), 'execute-api'),
    'aws4_request',
  );
  const signature = hmac(key, ['AWS4-HMAC-SHA256', amzDate, scope, hash].join('\n')).toString('hex');
  return `AWS4-HMAC-SHA256 Credential=${partner.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
}

function generator(host: string, tokens: Record<'citizen' | 'staff' | 'admin', string>) {
  const authFor = (route: RouteDefinition): [string, string][] => {
    if (chance(0.3)) return [];
    const kind = route.auth.kind;
    if (kind === 'citizen' || (kind === 'user' && chance(0.5)))
      return [['Authorization', `Bearer ${tokens.citizen}`]];
    if (kind === 'staff' || kind === 'user') {
      return [['Authorization', `Bearer ${chance(0.5) ? tokens.admin : tokens.staff}`]];
    }
    return chance(0.5) ? [['Authorization', `Bearer ${tokens.citizen}`]] : [];
  };
  const postRoutes = routeList.filter((r) => r.method !== 'GET');
  const partnerRoutes = routeList.filter((r) => r.auth.kind === 'partner');
  const make = (family: string, method: string, label: string, raw: Buffer, halfClose = false): Attempt => ({
    family,
    method,
    label,
    raw,
    halfClose,
  });

  const families: Record<string, () => Attempt> = {
    'prototype-header': () => {
      const route = pick(routeList);
      const target = samplePath(route);
      const headers: [string, string][] = prototypeNames
        .filter(() => chance(0.4))
        .map((name) => [casing(name), pick(['1', 'x', '{}', '[object Object]'])]);
      if (!headers.length) headers.push([pick(prototypeNames), 'x']);
      return make(
        'prototype-header',
        route.method,
        `${route.method} ${target} + ${headers.map((h) => h[0]).join(',')}`,
        build(host, { method: route.method, target, headers: [...authFor(route), ...headers] }),
      );
    },
    'prototype-query': () => {
      const route = pick(routeList);
      const names = prototypeNames.filter(() => chance(0.4));
      if (!names.length) names.push(pick(prototypeNames));
      const query = names
        .flatMap((name) => (chance(0.3) ? [`${name}=a`, `${name}=b`] : [`${name}=${pick(['1', '', 'x'])}`]))
        .concat(chance(0.3) ? ['__proto__[polluted]=1', 'constructor[prototype][x]=1'] : [])
        .join('&');
      const target = `${samplePath(route)}?${query}`;
      return make(
        'prototype-query',
        route.method,
        `${route.method} ${target}`,
        build(host, { method: route.method, target, headers: authFor(route) }),
      );
    },
    'huge-header': () => {
      const route = pick(routeList);
      const target = samplePath(route);
      const shape = pick(['one', 'many', 'url', 'count']);
      const headers: [string, string][] =
        shape === 'one'
          ? [['X-Padding', 'a'.repeat(16 * 1024 + Math.floor(random() * 32 * 1024))]]
          : shape === 'many'
            ? Array.from({ length: 200 }, (_, i) => [`X-Pad-${i}`, 'b'.repeat(100)])
            : shape === 'count'
              ? Array.from({ length: 2100 }, (_, i) => [`x${i}`, '1'])
              : [];
      const path = shape === 'url' ? `${target}?q=${'c'.repeat(17 * 1024)}` : target;
      return make(
        'huge-header',
        route.method,
        `${route.method} ${route.path} with ${shape} oversized header(s)`,
        build(host, { method: route.method, target: path, headers: [...authFor(route), ...headers] }),
      );
    },
    'bad-method': () => {
      const route = pick(routeList);
      const method = pick([
        'get',
        'post',
        'Get',
        'FOO',
        'G-ET',
        'TRACE',
        'PROPFIND',
        'PURGE',
        'HEAD',
        'OPTIONS',
        'CONNECT',
        'PRI',
        'M-SEARCH',
        'QUERY',
        'DELETE',
        'PATCH',
        'PUT',
      ]);
      const target =
        method === 'CONNECT'
          ? pick(['127.0.0.1:443', samplePath(route)])
          : method === 'PRI'
            ? '*'
            : samplePath(route);
      return make(
        'bad-method',
        method,
        `${method} ${target}`,
        build(host, {
          method,
          target,
          headers: authFor(route),
          ...(method === 'PRI' ? { version: 'HTTP/2.0' } : {}),
        }),
      );
    },
    'bad-json': () => {
      const route = pick(postRoutes);
      const body = pick([
        '{',
        '{"a":',
        '[]',
        'null',
        '"text"',
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"admin":true}}}',
        '{"a":1,"a":2}',
        `${'['.repeat(5000)}${']'.repeat(5000)}`,
        '\u0000\u0001\u0002',
        '\uFEFF{}',
        '{"x":"\uD800"}',
        Buffer.from([0xff, 0xfe, 0xfd]).toString('latin1'),
      ]);
      const target = samplePath(route);
      return make(
        'bad-json',
        route.method,
        `${route.method} ${target} body ${JSON.stringify(body.slice(0, 30))}`,
        build(host, {
          method: route.method,
          target,
          headers: [
            ...authFor(route),
            ['Content-Type', 'application/json'],
            ['Idempotency-Key', 'fuzz-key-0001'],
          ],
          body: Buffer.from(body, 'latin1'),
        }),
      );
    },
    'wrong-content-type': () => {
      const route = pick(routeList);
      const contentType = pick([
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/jsonx',
        'application/json; charset=utf-16',
        'application/*',
        '',
        '\u00e9',
        'constructor',
      ]);
      const target = samplePath(route);
      return make(
        'wrong-content-type',
        route.method,
        `${route.method} ${target} as ${JSON.stringify(contentType)}`,
        build(host, {
          method: route.method,
          target,
          headers: [...authFor(route), ['Content-Type', contentType]],
          body: pick(['{}', 'a=1', '{"username":"x"}']),
        }),
      );
    },
    'odd-path': () => {
      const route = pick(routeList);
      const target = pick([
        `${route.path}/`,
        `/${route.path}`,
        route.path.replace('/v1', '/V1'),
        route.path.replace(/\//g, '//'),
        `${samplePath(route)}%00`,
        `${samplePath(route)}/..`,
        `${samplePath(route)}/%2e%2e/%2e%2e/etc/passwd`,
        `${samplePath(route)}#fragment`,
        `${samplePath(route)}?%ZZ=%ZZ`,
        `${samplePath(route)};jsessionid=1`,
        `http://${host}${samplePath(route)}`,
        `//${host}${samplePath(route)}`,
        '*',
        '/',
        '/local-idp/token',
        '/local-idp/.well-known/jwks.json',
        '/local-idp/constructor',
        '/docs/constructor',
        '/docs/__proto__',
        '/constructor',
        '/__proto__',
        `/v1/${'%C0%AF'.repeat(10)}`,
        `/v1/procedures/${'%E0%A4%A'}`,
        `/v1/${'a/'.repeat(2000)}`,
      ]);
      const method = pick([route.method, 'GET', 'POST', 'OPTIONS', 'HEAD']);
      return make(
        'odd-path',
        method,
        `${method} ${target.slice(0, 80)}`,
        build(host, { method, target, headers: authFor(route) }),
      );
    },
    'odd-auth': () => {
      const route = chance(0.5) ? pick(partnerRoutes) : pick(routeList);
      const target = samplePath(route);
      const partner = pick(demoPartners);
      const amzDate = new Date()
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
      const signed = [
        'host',
        'x-amz-date',
        ...prototypeNames.filter(() => chance(0.3)).map((n) => n.toLowerCase()),
      ];
      const authorization = pick([
        `Bearer ${tokens.citizen}`,
        `Bearer ${tokens.admin}`,
        'Bearer',
        'Bearer constructor',
        'Basic Y29uc3RydWN0b3I6eA==',
        'AWS4-HMAC-SHA256',
        'AWS4-HMAC-SHA256 Credential=constructor/20260101/x/y/aws4_request, SignedHeaders=host, Signature=00',
        sigV4Authorization(partner, signed.sort(), amzDate, 'not the canonical request'),
        `${tokens.citizen}`,
        'bearer '.repeat(200),
      ]);
      return make(
        'odd-auth',
        route.method,
        `${route.method} ${target} auth ${authorization.slice(0, 40)}`,
        build(host, {
          method: route.method,
          target,
          headers: [
            ['Authorization', authorization],
            ['X-Amz-Date', amzDate],
          ],
        }),
      );
    },
    'odd-headers': () => {
      const route = pick(routeList);
      const target = samplePath(route);
      const header = pick<[string, string][]>([
        [['Expect', 'the-unexpected']],
        [['Expect', '100-continue']],
        [
          ['Upgrade', 'websocket'],
          ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
          ['Sec-WebSocket-Version', '13'],
        ],
        [
          ['Upgrade', 'h2c'],
          ['HTTP2-Settings', 'AAMAAABkAARAAAAAAAIAAAAA'],
        ],
        [['Origin', 'null']],
        [['Origin', 'constructor']],
        [['Idempotency-Key', '../../../../etc']],
        [['Idempotency-Key', '__proto__']],
        [['Content-Encoding', 'gzip']],
        [['Transfer-Encoding', 'gzip']],
        [['Host', 'second.example']],
        [['X-Forwarded-For', 'constructor']],
        [['Accept', 'text/html;q=constructor']],
        [['Cookie', '__proto__=1; constructor=2']],
      ]);
      return make(
        'odd-headers',
        route.method,
        `${route.method} ${target} + ${header.map((h) => h[0]).join(',')}`,
        build(host, {
          method: route.method,
          target,
          headers: [...authFor(route), ...header],
          body: route.method === 'GET' ? '' : '{}',
        }),
      );
    },
    'raw-malformed': () => {
      const route = pick(routeList);
      const path = samplePath(route);
      const [label, raw, halfClose] = pick<[string, string, boolean?]>([
        ['space in target', `GET ${path} x HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
        ['control character in target', `GET ${path}\u0001 HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
        ['tab in target', `GET ${path}\t HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
        ['NUL in request line', `GET \u0000${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
        ['bare LF line ends', `GET ${path} HTTP/1.1\nHost: ${host}\n\n`],
        ['no version', `GET ${path}\r\nHost: ${host}\r\n\r\n`],
        ['HTTP/2.0 version', `GET ${path} HTTP/2.0\r\nHost: ${host}\r\n\r\n`],
        ['HTTP/9.9 version', `GET ${path} HTTP/9.9\r\nHost: ${host}\r\n\r\n`],
        ['HTTP/1.0 without Host', `GET ${path} HTTP/1.0\r\n\r\n`],
        ['HTTP/1.1 without Host', `GET ${path} HTTP/1.1\r\nConnection: close\r\n\r\n`],
        ['empty request line', `\r\n\r\n\r\nGET ${path}\r\n\r\n`],
        ['garbage', 'ceci n’est pas une requête\r\n\r\n'],
        ['TLS hello', '\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003'],
        ['space in header name', `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nBad Header: x\r\n\r\n`],
        ['header without colon', `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nNoColon\r\n\r\n`],
        ['obs-fold header', `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nX-A: 1\r\n  folded\r\n\r\n`],
        [
          'control character in header value',
          `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nX-A: a\u0007b\r\n\r\n`,
        ],
        ['invalid Content-Length', `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: abc\r\n\r\n{}`],
        ['negative Content-Length', `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: -1\r\n\r\n{}`],
        [
          'two Content-Lengths',
          `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
        ],
        [
          'Content-Length and chunked',
          `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
        ],
        [
          'bad chunk size',
          `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
        ],
        [
          'Content-Length shorter than the body',
          `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{"a":1}`,
        ],
        [
          'Content-Length longer than the body, then half-close',
          `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":1}`,
          true,
        ],
        ['headers cut short, then half-close', `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nX-A: 1`, true],
      ]);
      return make(
        'raw-malformed',
        'GET',
        `${label} (${route.path})`,
        Buffer.from(raw, 'latin1'),
        halfClose ?? false,
      );
    },
  };
  const names = Object.keys(families);
  return () => families[pick(names)]!();
}

function exchange(port: number, attempt: Attempt): Promise<Answer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = connect(port, '127.0.0.1');
    const finish = (timedOut = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parse(Buffer.concat(chunks), attempt.method), timedOut });
    };
    const timer = setTimeout(() => finish(true), answerTimeoutMs);
    socket.on('connect', () => {
      socket.write(attempt.raw);
      if (attempt.halfClose) socket.end();
    });
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (complete(Buffer.concat(chunks), attempt.method)) finish();
    });
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', () => finish());
  });
}

function splitHead(
  data: Buffer,
): { status?: number; headers: Map<string, string>; rest: Buffer } | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  // An interim answer (100 Continue to `Expect: 100-continue`) precedes the real one.
  if (/^HTTP\/1\.[01] 1\d\d /.test(data.subarray(0, 13).toString('latin1')))
    return splitHead(data.subarray(end + 4));
  const lines = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1];
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: status ? Number(status) : undefined, headers, rest: data.subarray(end + 4) };
}

function dechunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const line = data.indexOf('\r\n', at);
    if (line < 0) return undefined;
    const size = Number.parseInt(data.subarray(at, line).toString('latin1'), 16);
    if (Number.isNaN(size)) return undefined;
    if (size === 0) return Buffer.concat(parts);
    if (data.length < line + 2 + size + 2) return undefined;
    parts.push(data.subarray(line + 2, line + 2 + size));
    at = line + 2 + size + 2;
  }
}

function bodyOf(head: NonNullable<ReturnType<typeof splitHead>>, method: string): Buffer | undefined {
  if (method === 'HEAD' || head.status === 204 || head.status === 304) return Buffer.alloc(0);
  if (head.headers.get('transfer-encoding')?.includes('chunked')) return dechunk(head.rest);
  const length = head.headers.get('content-length');
  if (length === undefined) return undefined;
  return head.rest.length >= Number(length) ? head.rest.subarray(0, Number(length)) : undefined;
}

function complete(data: Buffer, method: string) {
  const head = splitHead(data);
  return head !== undefined && bodyOf(head, method) !== undefined;
}

function parse(data: Buffer, method: string): Omit<Answer, 'timedOut'> {
  const head = splitHead(data);
  if (!head) return { headers: new Map(), body: Buffer.alloc(0) };
  const body = bodyOf(head, method) ?? head.rest;
  return { ...(head.status ? { status: head.status } : {}), headers: head.headers, body };
}

/** Why an answer is not a proper one, or undefined when it is. */
function impropriety(answer: Answer, method: string): string | undefined {
  if (answer.timedOut) return 'no answer in time';
  if (answer.status === undefined) return 'closed socket / no status line';
  if (answer.status >= 500) return `${answer.status} server error`;
  if (answer.headers.get('x-content-type-options') !== 'nosniff') return 'no security headers';
  if (method === 'HEAD' || answer.status === 204 || answer.status === 304) return undefined;
  if (answer.body.length === 0) return 'no body';
  if (answer.status >= 400) {
    if (!answer.headers.get('content-type')?.startsWith('application/json')) return 'error body not JSON';
    try {
      const { error } = JSON.parse(answer.body.toString('utf8')) as {
        error?: { code?: unknown; message?: unknown };
      };
      if (typeof error?.code !== 'string' || typeof error.message !== 'string')
        return 'error body lacks code/message';
    } catch {
      return 'error body not JSON';
    }
  }
  return undefined;
}

async function main() {
  process.env.LOG_LEVEL = 'silent';
  const s3Dir = mkdtempSync(join(tmpdir(), 'motcua-fuzz-'));
  const stack = await startStack({
    ports: { gateway: 0, dynamodb: 0, s3: 0 },
    s3Dir,
    throttle: { ratePerSecond: 1e9, burst: 1e9 },
    prefix: 'fuzz',
  });
  try {
    const { host, port } = new URL(stack.urls.gateway);
    const mint = (username: string) => stack.issuer.mint(demoAccounts.find((a) => a.username === username)!);
    const next = generator(host, {
      citizen: await mint('citizen.an'),
      staff: await mint('officer.badinh'),
      admin: await mint('admin'),
    });
    const attempts = Array.from({ length: total }, next);
    const byFamily = new Map<string, { sent: number; classes: Record<string, number>; improper: number }>();
    const findings = new Map<string, { count: number; example: string }>();
    let cursor = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (cursor < attempts.length) {
          const attempt = attempts[cursor++]!;
          const answer = await exchange(Number(port), attempt);
          const row = byFamily.get(attempt.family) ?? { sent: 0, classes: {}, improper: 0 };
          byFamily.set(attempt.family, row);
          row.sent += 1;
          const statusClass = answer.status ? `${String(answer.status)[0]}xx` : 'none';
          row.classes[statusClass] = (row.classes[statusClass] ?? 0) + 1;
          const reason = impropriety(answer, attempt.method);
          if (reason) {
            row.improper += 1;
            const key = `${attempt.family}: ${reason}`;
            const finding = findings.get(key) ?? { count: 0, example: attempt.label.slice(0, 90) };
            findings.set(key, { ...finding, count: finding.count + 1 });
          }
        }
      }),
    );

    const classes = ['2xx', '3xx', '4xx', '5xx', 'none'];
    const rows = [...byFamily.entries()].sort(([a], [b]) => a.localeCompare(b));
    const sum = (key: string) => rows.reduce((n, [, row]) => n + (row.classes[key] ?? 0), 0);
    const improper = rows.reduce((n, [, row]) => n + row.improper, 0);
    console.log(
      `Gateway fuzz: ${total} requests (seed ${seed}) over ${routeList.length} routes, loopback only`,
    );
    console.log(
      table(
        ['family', 'sent', ...classes, 'improper'],
        rows.map(([family, row]) => [
          family,
          row.sent,
          ...classes.map((c) => row.classes[c] ?? 0),
          row.improper,
        ]),
      ),
    );
    if (findings.size) {
      console.log('\nImproper answers by family and reason (one example each):');
      for (const [key, { count, example }] of [...findings].sort(([a], [b]) => a.localeCompare(b))) {
        console.log(`  ${String(count).padStart(5)}  ${key}  e.g. ${example}`);
      }
    }
    console.log(
      `\nfuzz-gateway: ${total} requests — ${classes.map((c) => `${c} ${sum(c)}`).join(', ')} — ${improper} improper answers`,
    );
    process.exitCode = improper ? 1 : 0;
  } finally {
    await stack.stop();
    rmSync(s3Dir, { recursive: true, force: true });
  }
}

await main();
