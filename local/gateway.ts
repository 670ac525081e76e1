// The local HTTP gateway: built from the route table, it verifies identity as API Gateway would and invokes
// the real handlers in-process with the REST (v1) proxy event, returning their responses unchanged.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { maxRequestBytes as apiGatewayLimit, binaryMediaTypes } from '../shared/http/api-settings';
import { type GatewayAnswer, gatewayAnswers, gatewayErrorBody } from '../shared/http/gateway-responses';
import { corsHeaders, securityHeaders } from '../shared/http/headers';
import type { RouteDefinition } from '../shared/http/route-types';
import type { DemoAccount } from './demo';
import type { Issuer } from './issuer';
import { type PartnerCredential, verifySigV4 } from './sigv4';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface GatewayOptions {
  routes: readonly RouteDefinition[];
  /** Loads a route's handler; the default imports `route.handler` from the repository. */
  loadHandler?: (route: RouteDefinition) => Promise<Handler>;
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
}

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
}

const repoRoot = join(dirname(new URL(import.meta.url).pathname), '..');

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

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function flatHeaders(req: IncomingMessage) {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    single[name] = value;
    multi[name] = [...(multi[name] ?? []), value];
  }
  return { single, multi };
}

function queryParameters(search: URLSearchParams) {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [key, value] of search) {
    single[key] = value;
    multi[key] = [...(multi[key] ?? []), value];
  }
  return Object.keys(single).length ? { single, multi } : { single: null, multi: null };
}

/** API Gateway passes every claim of a verified token to the function as a string. */
function claimsAsStrings(claims: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(claims).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.join(',') : String(value),
    ]),
  );
}

function lambdaContext(route: RouteDefinition, requestId: string): Context {
  const deadline = Date.now() + (route.timeoutSeconds ?? 10) * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `motcua-local-${route.id}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:motcua-local-${route.id}`,
    memoryLimitInMB: String(route.memoryMb ?? 512),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/motcua-local-${route.id}`,
    logStreamName: 'local',
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
  const load =
    options.loadHandler ??
    (async (route: RouteDefinition) =>
      ((await import(join(repoRoot, route.handler))) as { handler: Handler }).handler);
  const maxRequestBytes = options.maxRequestBytes ?? apiGatewayLimit;
  const stage = options.stage ?? 'local';

  function send(
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string | Buffer,
    origin?: string,
  ) {
    res.writeHead(status, {
      ...securityHeaders,
      ...corsHeaders(origin, options.corsOrigins),
      ...headers,
    });
    res.end(body);
  }

  function refuse(
    res: ServerResponse,
    answer: GatewayAnswer,
    origin?: string,
    extra: Record<string, string> = {},
    message?: string,
  ) {
    send(
      res,
      answer.status,
      { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra },
      gatewayErrorBody(answer, message),
      origin,
    );
  }

  async function localIdp(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    body: Buffer,
    origin?: string,
  ) {
    const json = (status: number, value: unknown) =>
      send(
        res,
        status,
        { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
        JSON.stringify(value),
        origin,
      );
    if (path === '/local-idp/.well-known/jwks.json') return json(200, options.issuer.jwks());
    if (path === '/local-idp/.well-known/openid-configuration') {
      return json(200, {
        issuer: options.issuer.url,
        jwks_uri: `${options.issuer.url}/.well-known/jwks.json`,
        token_endpoint: `${options.issuer.url}/token`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (path === '/local-idp/token' && req.method === 'POST') {
      let username: unknown;
      try {
        username = (JSON.parse(body.toString('utf8') || '{}') as { username?: unknown }).username;
      } catch {
        return json(400, { error: { code: 'MALFORMED_JSON', message: 'Send {"username": "..."}' } });
      }
      const account = options.demoAccounts?.find((a) => a.username === username);
      if (!account) return json(404, { error: { code: 'UNKNOWN_ACCOUNT', message: 'No such demo account' } });
      return json(200, {
        id_token: await options.issuer.mint(account),
        token_type: 'Bearer',
        expires_in: 8 * 3600,
      });
    }
    return refuse(res, gatewayAnswers.routeNotFound, origin);
  }

  function docs(res: ServerResponse, path: string) {
    const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    const assets: Record<string, [string, string]> = {
      '/docs/swagger-ui.css': ['swagger-ui.css', 'text/css'],
      '/docs/swagger-ui-bundle.js': ['swagger-ui-bundle.js', 'text/javascript'],
    };
    const asset = assets[path];
    if (asset) {
      return send(
        res,
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
        res,
        200,
        { 'content-type': 'text/javascript' },
        "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', deepLinking: true });",
      );
    }
    // The page loads only its own scripts, so the CSP can stay strict.
    return send(
      res,
      200,
      {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy':
          "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
      },
      page,
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
      return {
        refusal: result.reason === 'missing' ? gatewayAnswers.routeNotFound : gatewayAnswers.invalidSignature,
      };
    }
    return {};
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const origin = req.headers.origin;
    const target = req.url ?? '/';
    const rawPath = target.split('?')[0] ?? '/';
    // Route on the path as sent (what SigV4 signs); a target URL cannot parse is a bad request, not a crash.
    let url: URL;
    try {
      if (!rawPath.startsWith('/')) throw new TypeError('not an origin-form target');
      url = new URL(`http://gateway.local${target}`);
    } catch {
      return refuse(res, gatewayAnswers.badRequest, origin, {}, 'The request target is not a valid path');
    }
    const path = url.pathname;
    const body = await readBody(req, maxRequestBytes);
    if (body === 'too-large') return refuse(res, gatewayAnswers.tooLarge, origin, { connection: 'close' });

    if (path.startsWith('/local-idp/')) return localIdp(req, res, path, body, origin);
    if (options.docs && (path === '/docs' || path.startsWith('/docs/')) && req.method === 'GET')
      return docs(res, path);

    const candidates = compiled.filter((c) => c.pattern.test(path));
    if (!candidates.length) return refuse(res, gatewayAnswers.routeNotFound, origin);
    const methods = [...new Set(candidates.map((c) => c.route.method))];
    if (req.method === 'OPTIONS') {
      return send(
        res,
        204,
        {
          'access-control-allow-methods': [...methods, 'OPTIONS'].join(', '),
          'access-control-allow-headers':
            'authorization, content-type, idempotency-key, x-amz-date, x-amz-content-sha256',
          'access-control-max-age': '600',
        },
        '',
        origin,
      );
    }
    const match = candidates.find((c) => c.route.method === req.method);
    if (!match) {
      const answer = {
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        message: `Allowed: ${methods.join(', ')}`,
        apiGatewayTypes: [],
      };
      return refuse(res, answer, origin, { allow: methods.join(', ') });
    }
    if (!allow()) return refuse(res, gatewayAnswers.throttled, origin, { 'retry-after': '1' });

    const route = match.route;
    const identity = await authenticate(route, req, url, rawPath, body);
    if ('refusal' in identity && identity.refusal) return refuse(res, identity.refusal, origin);

    const values = match.pattern.exec(path)!.slice(1);
    let pathParameters: Record<string, string> | null = null;
    try {
      pathParameters = match.names.length
        ? Object.fromEntries(match.names.map((name, i) => [name, decodeURIComponent(values[i]!)]))
        : null;
    } catch {
      return refuse(res, gatewayAnswers.badRequest, origin, {}, 'The path is not valid percent-encoding');
    }
    const headers = flatHeaders(req);
    const query = queryParameters(url.searchParams);
    // binaryMediaTypes is */*, so API Gateway hands every body over base64-encoded; so do we.
    const binary = body.length > 0 && binaryMediaTypes.includes('*/*');
    const requestId = randomUUID();
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
    try {
      if (!handlers.has(route.id)) handlers.set(route.id, load(route));
      const handler = await handlers.get(route.id)!;
      result = await handler(event, lambdaContext(route, requestId));
    } catch (error) {
      // A function that throws is a bug: API Gateway answers 502 and so do we, loudly.
      console.error(
        JSON.stringify({ level: 'error', message: 'handler failed', route: route.id, error: String(error) }),
      );
      return refuse(res, gatewayAnswers.upstreamFailed, origin);
    }
    const responseHeaders: Record<string, string> = {};
    for (const [key, value] of Object.entries(result.headers ?? {})) responseHeaders[key] = String(value);
    res.writeHead(result.statusCode, responseHeaders);
    res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(JSON.stringify({ level: 'error', message: 'gateway failed', error: String(error) }));
      if (!res.headersSent) refuse(res, gatewayAnswers.upstreamFailed, req.headers.origin);
      else res.end();
    });
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
