// The local HTTP gateway: built from the route table, it verifies identity as API Gateway would and invokes the real
// handlers with the REST (v1) proxy event, returning their responses unchanged. With a function pool (what the
// embedded stack uses) each invocation runs in an isolated instance serving one request at a time, as on Lambda;
// without one (`loadHandler`, for tests that supply their own handlers) handlers run in this process.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { maxRequestBytes as apiGatewayLimit, binaryMediaTypes } from '../shared/http/api-settings';
import { type GatewayAnswer, gatewayAnswers, gatewayErrorBody } from '../shared/http/gateway-responses';
import { corsHeaders, securityHeaders } from '../shared/http/headers';
import type { RouteDefinition } from '../shared/http/route-types';
import { createLogger } from '../shared/logging';
import type { RefusedRequest } from '../shared/observability/refusal-audit';
import { dashboardCsp, dashboardFile } from './dashboard-files';
import type { DemoAccount } from './demo';
import type { FunctionPool, FunctionSpec } from './function-pool';
import type { Issuer } from './issuer';
import { type PartnerCredential, verifySigV4 } from './sigv4';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface GatewayOptions {
  routes: readonly RouteDefinition[];
  /** Loads a route's handler into this process; the default imports `route.handler` from the repository. */
  loadHandler?: (route: RouteDefinition) => Promise<Handler>;
  /** Runs each route's function in isolated instances instead (ignored when `loadHandler` is given). */
  pool?: FunctionPool;
  /** Records a partner call the gateway itself refused (bad or missing signature) in the audit log. */
  auditRefusal?: (refusal: RefusedRequest) => Promise<unknown>;
  issuer: Issuer;
  partners: readonly PartnerCredential[];
  /** Demo accounts that `POST /local-idp/token` will mint tokens for. */
  demoAccounts?: readonly DemoAccount[];
  corsOrigins: readonly string[];
  /** Stage throttling, as API Gateway's token bucket: steady rate per second and burst. */
  throttle: { ratePerSecond: number; burst: number };
  region: string;
  stage?: string;
  /** API Gateway's own payload limit. */
  maxRequestBytes?: number;
  docs?: boolean;
  /** Serves the supervisors' dashboard at /dashboard/ (local/dashboard-files.ts); default: with the docs. */
  dashboard?: boolean;
}

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
}

/** One request on its way through the gateway: what its answer and its log lines need. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  origin: string | undefined;
  /** The matched route's id, once there is one. */
  route: string | null;
}

const repoRoot = join(dirname(new URL(import.meta.url).pathname), '..');
const log = createLogger({ service: 'motcua', component: 'local-gateway' });
// The gateway's own JSON answers: its refusals and the local IdP's documents.
const jsonHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/**
 * A map keyed by what a caller sends (header, query, path parameter and claim names): without a prototype, a key
 * such as `constructor` or `__proto__` is a plain entry and a lookup never finds an Object.prototype member.
 */
function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function compile(route: RouteDefinition): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
}

function tokenBucket(ratePerSecond: number, burst: number, now = () => Date.now()) {
  let tokens = burst;
  let last = now();
  return () => {
    const current = now();
    tokens = Math.min(burst, tokens + ((current - last) / 1000) * ratePerSecond);
    last = current;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

/** The body, or why there is none to use; `aborted` when the client went away (or the parser gave up) mid-body. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) return 'too-large';
      chunks.push(chunk as Buffer);
    }
  } catch {
    return 'aborted';
  }
  return Buffer.concat(chunks);
}

function flatHeaders(req: IncomingMessage) {
  const single = record<string>();
  const multi = record<string[]>();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    single[name] = value;
    multi[name] = [...(multi[name] ?? []), value];
  }
  return { single, multi };
}

function queryParameters(search: URLSearchParams) {
  const single = record<string>();
  const multi = record<string[]>();
  for (const [key, value] of search) {
    single[key] = value;
    multi[key] = [...(multi[key] ?? []), value];
  }
  return Object.keys(single).length ? { single, multi } : { single: null, multi: null };
}

/** API Gateway passes every claim of a verified token to the function as a string. */
function claimsAsStrings(claims: Record<string, unknown>) {
  const strings = record<string>();
  for (const [key, value] of Object.entries(claims)) {
    strings[key] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return strings;
}

/** A request line Node's parser refused only for its method: `get /path HTTP/1.1`, `FOO /path HTTP/1.1`. */
const unknownMethodLine = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ \S+ HTTP\/\d\.\d\r?\n/;

/** What to answer a request Node's HTTP parser rejected (there is no request object, only the error). */
function parserRefusal(error: NodeJS.ErrnoException & { rawPacket?: Buffer }) {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return gatewayAnswers.headersTooLarge;
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return gatewayAnswers.tooLarge;
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return gatewayAnswers.requestTimeout;
    case 'HPE_INVALID_METHOD':
      return unknownMethodLine.test(error.rawPacket?.toString('latin1') ?? '')
        ? gatewayAnswers.methodNotAllowed
        : gatewayAnswers.malformedRequest;
    default:
      return gatewayAnswers.malformedRequest;
  }
}

const contextFields = (route: RouteDefinition, requestId: string) => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: `motcua-local-${route.id}`,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:motcua-local-${route.id}`,
  memoryLimitInMB: String(route.memoryMb ?? 512),
  awsRequestId: requestId,
  logGroupName: `/aws/lambda/motcua-local-${route.id}`,
  logStreamName: 'local',
  timeoutMs: (route.timeoutSeconds ?? 10) * 1000,
});

function functionSpec(route: RouteDefinition): FunctionSpec {
  return { name: route.id, handlerPath: join(repoRoot, route.handler), memoryMb: route.memoryMb ?? 512 };
}

function lambdaContext(route: RouteDefinition, requestId: string): Context {
  const { timeoutMs, ...fields } = contextFields(route, requestId);
  const deadline = Date.now() + timeoutMs;
  return {
    ...fields,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function createGateway(options: GatewayOptions) {
  const compiled = options.routes.map(compile);
  const allow = tokenBucket(options.throttle.ratePerSecond, options.throttle.burst);
  const handlers = new Map<string, Promise<Handler>>();
  const pool = options.pool;
  const load =
    options.loadHandler ??
    (async (route: RouteDefinition) =>
      ((await import(join(repoRoot, route.handler))) as { handler: Handler }).handler);
  const maxRequestBytes = options.maxRequestBytes ?? apiGatewayLimit;
  const stage = options.stage ?? 'local';
  // The methods a request with a method HTTP does not know is told it may use.
  const servedMethods = [...new Set(options.routes.map((r) => r.method)), 'OPTIONS'].join(', ');
  /** A request Node's parser rejected has no path to look up, so a 405 lists every method the gateway serves. */
  const unparsedDetails = (answer: GatewayAnswer): { headers: Record<string, string>; message?: string } =>
    answer === gatewayAnswers.methodNotAllowed
      ? { headers: { allow: servedMethods }, message: `Allowed: ${servedMethods}` }
      : { headers: {} };

  function send(x: Exchange, status: number, headers: Record<string, string>, body: string | Buffer) {
    // A request the parser gave up on mid-body has been answered already (see `clientError` below).
    if (x.res.headersSent) return;
    x.res.writeHead(status, {
      ...securityHeaders,
      ...corsHeaders(x.origin, options.corsOrigins),
      'x-request-id': x.requestId,
      ...headers,
    });
    x.res.end(body);
  }

  function refuse(x: Exchange, answer: GatewayAnswer, extra: Record<string, string> = {}, message?: string) {
    send(x, answer.status, { ...jsonHeaders, ...extra }, gatewayErrorBody(answer, message));
  }

  function methodNotAllowed(x: Exchange, methods: readonly string[]) {
    const allow = methods.join(', ');
    refuse(x, gatewayAnswers.methodNotAllowed, { allow }, `Allowed: ${allow}`);
  }

  function preflight(x: Exchange, methods: readonly string[]) {
    send(
      x,
      204,
      {
        'access-control-allow-methods': [...methods, 'OPTIONS'].join(', '),
        'access-control-allow-headers':
          'authorization, content-type, idempotency-key, x-amz-date, x-amz-content-sha256',
        'access-control-max-age': '600',
      },
      '',
    );
  }

  async function mintDemoToken(x: Exchange, body: Buffer) {
    let username: unknown;
    try {
      username = (JSON.parse(body.toString('utf8') || '{}') as { username?: unknown }).username;
    } catch {
      return json(x, 400, { error: { code: 'MALFORMED_JSON', message: 'Send {"username": "..."}' } });
    }
    const account = options.demoAccounts?.find((a) => a.username === username);
    if (!account)
      return json(x, 404, { error: { code: 'UNKNOWN_ACCOUNT', message: 'No such demo account' } });
    return json(x, 200, {
      id_token: await options.issuer.mint(account),
      token_type: 'Bearer',
      expires_in: 8 * 3600,
    });
  }

  function json(x: Exchange, status: number, value: unknown) {
    send(x, status, { ...jsonHeaders }, JSON.stringify(value));
  }

  const idpEndpoints = new Map<string, { method: string; answer: (x: Exchange, body: Buffer) => unknown }>([
    [
      '/local-idp/.well-known/jwks.json',
      { method: 'GET', answer: (x) => json(x, 200, options.issuer.jwks()) },
    ],
    [
      '/local-idp/.well-known/openid-configuration',
      {
        method: 'GET',
        answer: (x) =>
          json(x, 200, {
            issuer: options.issuer.url,
            jwks_uri: `${options.issuer.url}/.well-known/jwks.json`,
            token_endpoint: `${options.issuer.url}/token`,
            id_token_signing_alg_values_supported: ['RS256'],
          }),
      },
    ],
    ['/local-idp/token', { method: 'POST', answer: mintDemoToken }],
  ]);

  async function localIdp(x: Exchange, path: string, body: Buffer) {
    const endpoint = idpEndpoints.get(path);
    if (!endpoint) return refuse(x, gatewayAnswers.routeNotFound);
    if (x.req.method === 'OPTIONS') return preflight(x, [endpoint.method]);
    if (x.req.method !== endpoint.method) return methodNotAllowed(x, [endpoint.method]);
    return endpoint.answer(x, body);
  }

  function docs(x: Exchange, path: string) {
    const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    const assets: Record<string, [string, string]> = {
      '/docs/swagger-ui.css': ['swagger-ui.css', 'text/css'],
      '/docs/swagger-ui-bundle.js': ['swagger-ui-bundle.js', 'text/javascript'],
    };
    const asset = assets[path];
    if (asset) {
      return send(
        x,
        200,
        { 'content-type': asset[1], 'cache-control': 'public, max-age=3600' },
        readFileSync(join(dist, asset[0])),
      );
    }
    const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>motcua API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;
    if (path === '/docs/init.js') {
      return send(
        x,
        200,
        { 'content-type': 'text/javascript' },
        "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', deepLinking: true });",
      );
    }
    // The page loads only its own scripts, so the CSP can stay strict.
    return send(
      x,
      200,
      {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy':
          "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
      },
      page,
    );
  }

  function dashboard(x: Exchange, path: string) {
    if (x.req.method !== 'GET' && x.req.method !== 'HEAD') return methodNotAllowed(x, ['GET', 'HEAD']);
    const answer = dashboardFile(path, options.demoAccounts ?? []);
    if (answer.kind === 'redirect') return send(x, 301, { location: answer.location }, '');
    if (answer.kind === 'not-found') return refuse(x, gatewayAnswers.routeNotFound);
    return send(
      x,
      200,
      {
        'content-type': answer.contentType,
        'cache-control': 'no-cache',
        'content-security-policy': dashboardCsp,
      },
      answer.body,
    );
  }

  async function authenticate(
    route: RouteDefinition,
    req: IncomingMessage,
    url: URL,
    rawPath: string,
    body: Buffer,
  ) {
    if (route.auth.kind === 'citizen' || route.auth.kind === 'staff' || route.auth.kind === 'user') {
      const header = req.headers.authorization ?? '';
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      if (!token) return { refusal: gatewayAnswers.unauthenticated };
      try {
        return { claims: claimsAsStrings(await options.issuer.verify(token)) };
      } catch {
        return { refusal: gatewayAnswers.unauthenticated };
      }
    }
    if (route.auth.kind === 'partner') {
      const result = verifySigV4(
        { method: req.method ?? 'GET', rawPath, rawQuery: url.search.slice(1), headers: req.headers, body },
        options.partners,
        { region: options.region, service: 'execute-api' },
      );
      if (result.ok) return { userArn: result.principalArn, accessKey: result.accessKeyId };
      // No Authorization at all is answered as API Gateway does; a bearer token is told what the route needs.
      const refusals: Partial<Record<typeof result.reason, GatewayAnswer>> = {
        missing: gatewayAnswers.routeNotFound,
        'not-sigv4': gatewayAnswers.signatureRequired,
      };
      return {
        refusal: refusals[result.reason] ?? gatewayAnswers.invalidSignature,
        ...(result.principalArn ? { principal: result.principalArn } : {}),
      };
    }
    return {};
  }

  async function handle(x: Exchange) {
    const { req, res } = x;
    // Node's parser accepts an HTTP/1.1 request without Host; HTTP/1.1 does not.
    if (req.httpVersion === '1.1' && !req.headers.host) {
      return refuse(
        x,
        gatewayAnswers.malformedRequest,
        { connection: 'close' },
        'HTTP/1.1 requests need a Host header',
      );
    }
    const target = req.url ?? '/';
    const rawPath = target.split('?')[0] ?? '/';
    // Route on the path as sent (what SigV4 signs); a target URL cannot parse is a bad request, not a crash.
    let url: URL;
    try {
      if (!rawPath.startsWith('/')) throw new TypeError('not an origin-form target');
      url = new URL(`http://gateway.local${target}`);
    } catch {
      return refuse(x, gatewayAnswers.badRequest, {}, 'The request target is not a valid path');
    }
    const path = url.pathname;
    const body = await readBody(req, maxRequestBytes);
    if (body === 'aborted') return;
    if (body === 'too-large') return refuse(x, gatewayAnswers.tooLarge, { connection: 'close' });

    if (path.startsWith('/local-idp/')) return localIdp(x, path, body);
    if (options.docs && (path === '/docs' || path.startsWith('/docs/')) && req.method === 'GET')
      return docs(x, path);
    if ((options.dashboard ?? options.docs) && (path === '/dashboard' || path.startsWith('/dashboard/')))
      return dashboard(x, path);

    const candidates = compiled.filter((c) => c.pattern.test(path));
    if (!candidates.length) return refuse(x, gatewayAnswers.routeNotFound);
    const methods = [...new Set(candidates.map((c) => c.route.method))];
    if (req.method === 'OPTIONS') return preflight(x, methods);
    const match = candidates.find((c) => c.route.method === req.method);
    if (!match) return methodNotAllowed(x, methods);
    if (!allow()) return refuse(x, gatewayAnswers.throttled, { 'retry-after': '1' });

    const route = match.route;
    x.route = route.id;
    const identity = await authenticate(route, req, url, rawPath, body);
    if ('refusal' in identity && identity.refusal) {
      // A refused partner call is audited even when no function ran (in the cloud, from the API's access log).
      if (route.auth.kind === 'partner' && options.auditRefusal) {
        await options.auditRefusal({
          method: route.method,
          path: route.path,
          code: identity.refusal.code,
          requestId: x.requestId,
          at: new Date(),
          ...('principal' in identity && identity.principal ? { principal: identity.principal } : {}),
        });
      }
      return refuse(x, identity.refusal);
    }

    const values = match.pattern.exec(path)!.slice(1);
    let pathParameters: Record<string, string> | null = null;
    try {
      if (match.names.length) {
        pathParameters = record<string>();
        for (const [i, name] of match.names.entries()) pathParameters[name] = decodeURIComponent(values[i]!);
      }
    } catch {
      return refuse(x, gatewayAnswers.badRequest, {}, 'The path is not valid percent-encoding');
    }
    const headers = flatHeaders(req);
    const query = queryParameters(url.searchParams);
    // binaryMediaTypes is */*, so API Gateway hands every body over base64-encoded; so do we.
    const binary = body.length > 0 && binaryMediaTypes.includes('*/*');
    const requestId = x.requestId;
    const event = {
      resource: route.path,
      path,
      httpMethod: route.method,
      headers: headers.single,
      multiValueHeaders: headers.multi,
      queryStringParameters: query.single,
      multiValueQueryStringParameters: query.multi,
      pathParameters,
      stageVariables: null,
      body: body.length ? body.toString(binary ? 'base64' : 'utf8') : null,
      isBase64Encoded: binary,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        stage,
        requestId,
        requestTimeEpoch: Date.now(),
        resourceId: route.id,
        resourcePath: route.path,
        httpMethod: route.method,
        path: `/${stage}${path}`,
        protocol: 'HTTP/1.1',
        authorizer: 'claims' in identity ? { claims: identity.claims } : null,
        identity: {
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: req.headers['user-agent'] ?? null,
          userArn: 'userArn' in identity ? (identity.userArn ?? null) : null,
          caller: 'userArn' in identity ? (identity.userArn ?? null) : null,
          accessKey: 'accessKey' in identity ? (identity.accessKey ?? null) : null,
          accountId: null,
          apiKey: null,
          apiKeyId: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          user: null,
          clientCert: null,
        },
      },
    } as unknown as APIGatewayProxyEvent;

    let result: APIGatewayProxyResult;
    if (pool && !options.loadHandler) {
      const outcome = await pool.invoke(functionSpec(route), {
        event,
        context: contextFields(route, requestId),
      });
      if (outcome.kind === 'throttled') {
        // Lambda refused the invoke (reserved concurrency reached): API Gateway does not retry, and answers 500
        // with its DEFAULT_5XX response, which carries this body.
        log.warn('function throttled', logKeys(x, 'TooManyRequestsException'));
        return refuse(x, { ...gatewayAnswers.upstreamFailed, status: 500 });
      }
      if (outcome.kind !== 'result') {
        // A function that throws or dies is a bug: API Gateway answers 502 and so do we, loudly.
        log.error(
          outcome.kind === 'crashed' ? 'function instance died' : 'handler failed',
          logKeys(x, outcome.error),
        );
        return refuse(x, gatewayAnswers.upstreamFailed);
      }
      result = outcome.result as APIGatewayProxyResult;
    } else {
      try {
        if (!handlers.has(route.id)) handlers.set(route.id, load(route));
        const handler = await handlers.get(route.id)!;
        result = await handler(event, lambdaContext(route, requestId));
      } catch (error) {
        // A function that throws is a bug: API Gateway answers 502 and so do we, loudly.
        log.error('handler failed', logKeys(x, error));
        return refuse(x, gatewayAnswers.upstreamFailed);
      }
    }
    if (res.headersSent) return;
    const responseHeaders: Record<string, string> = {};
    for (const [key, value] of Object.entries(result.headers ?? {})) responseHeaders[key] = String(value);
    res.writeHead(result.statusCode, responseHeaders);
    res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
  }

  function logKeys(x: Exchange, error: unknown) {
    return {
      requestId: x.requestId,
      route: x.route,
      method: x.req.method,
      path: x.req.url?.split('?')[0],
      error: error instanceof Error ? error : String(error),
    };
  }

  // The exchange each socket's parser is working on, so a parse failure mid-body answers that request.
  const current = new WeakMap<Duplex, Exchange>();
  // Sockets answered after a parse failure: the parser reports the failure again on every later read.
  const answered = new WeakSet<Duplex>();

  // Host is checked in `handle`, so that refusal carries the error body too.
  const server: Server = createServer({ requireHostHeader: false }, (req, res) => {
    const x: Exchange = { req, res, requestId: randomUUID(), origin: req.headers.origin, route: null };
    current.set(req.socket, x);
    res.once('finish', () => {
      if (current.get(req.socket) === x) current.delete(req.socket);
    });
    handle(x).catch((error: unknown) => {
      log.error('gateway failed', logKeys(x, error));
      if (!res.headersSent) refuse(x, gatewayAnswers.upstreamFailed);
      else res.end();
    });
  });

  /**
   * Answers on the bare socket, as Node's own fallback does but with the API's error body and headers, then closes.
   * The socket keeps reading until the client closes (or a second passes): closing with unread input would reset
   * the connection, and the client could lose the answer.
   */
  function answerSocket(socket: Duplex, answer: GatewayAnswer, origin?: string) {
    answered.add(socket);
    const requestId = randomUUID();
    const details = unparsedDetails(answer);
    const body = gatewayErrorBody(answer, details.message);
    const headers = {
      ...securityHeaders,
      ...corsHeaders(origin, options.corsOrigins),
      ...jsonHeaders,
      ...details.headers,
      'x-request-id': requestId,
      date: new Date().toUTCString(),
      'content-length': String(Buffer.byteLength(body)),
      connection: 'close',
    };
    const head = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.end(`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\n${head}\r\n${body}`);
    socket.resume();
    setTimeout(() => socket.destroy(), 1_000).unref();
    return requestId;
  }

  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    if (answered.has(socket)) return;
    if (error.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
    const answer = parserRefusal(error);
    const pending = current.get(socket);
    let requestId: string;
    if (pending) {
      // The parser failed inside a request it had already handed over (its body was cut short): answer that one.
      if (pending.res.headersSent) return socket.destroy();
      answered.add(socket);
      const details = unparsedDetails(answer);
      refuse(pending, answer, { ...details.headers, connection: 'close' }, details.message);
      requestId = pending.requestId;
    } else {
      requestId = answerSocket(socket, answer);
    }
    log.info('refused a request the HTTP parser rejected', {
      requestId,
      parserError: error.code,
      status: answer.status,
    });
  });

  // CONNECT makes no sense to an API; without this listener Node would drop the connection without a word.
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    answerSocket(socket, gatewayAnswers.methodNotAllowed, req.headers.origin);
  });

  // Node answers an unknown Expect with a bare 417 unless told otherwise.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const x: Exchange = { req, res, requestId: randomUUID(), origin: req.headers.origin, route: null };
    refuse(x, gatewayAnswers.expectationFailed, { connection: 'close' });
  });

  return {
    server,
    listen(port: number, host = '127.0.0.1') {
      return new Promise<string>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address();
          resolve(`http://${host}:${typeof address === 'object' && address ? address.port : port}`);
        });
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
