// The one middleware chain every HTTP function uses: context, headers, errors, body, auth, validation.
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { edgeAuditDeps, partnerRegistry } from '../adapters/deps';
import { readHttpConfig, requireResourceNames } from '../config';
import type { ResourceId } from '../data/resources';
import type { Caller } from '../domain/caller';
import { AppError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors';
import type { Logger } from '../logging';
import type { BusinessMetrics, FunctionMetrics } from '../observability/metrics';
import { auditRefusal } from '../observability/refusal-audit';
import { functionRuntime, type Invocation, refusalOf } from '../observability/runtime';
import type { PartnerRegistry } from '../ports/partner-registry';
import * as z from '../schemas/zod';
import type { AuditDeps } from '../usecases/audit/deps';
import { corsHeaders, headerMap, headerValue, prefersHtml, securityHeaders } from './headers';
import { authorize, presentedPrincipal } from './principal';
import type { RouteDefinition } from './route-types';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export interface HttpRequest<P, Q, B> {
  path: P;
  query: Q;
  body: B;
  caller: Caller;
  /** By lower-case name; a map without a prototype, so only headers that were sent are found. */
  headers: Record<string, string | undefined>;
  idempotencyKey?: string;
  requestId: string;
  sourceIp?: string;
  log: Logger;
  /**
   * Business counts of this invocation (filings, receipts, refusals by unit and procedure), flushed as it ends, and the
   * operational counts a route answers for itself (a provider callback that failed on our side, answered 200).
   */
  metrics: BusinessMetrics & Pick<FunctionMetrics, 'countOperational'>;
}

export interface HttpResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Already-encoded body (HTML, PDF as base64) instead of JSON. */
  raw?: { body: string; contentType: string; base64?: boolean };
}

/** The route declares its success: the one 2xx of its responses (204 when it answers nothing and declares none). */
export function declaredSuccess(route: RouteDefinition, empty: boolean): number {
  const declared = Object.keys(route.responses)
    .map(Number)
    .filter((status) => status >= 200 && status < 300)
    .sort((a, b) => a - b)[0];
  return declared ?? (empty ? 204 : 200);
}

type Infer<T> = T extends z.core.$ZodType ? z.infer<T> : undefined;
type RouteRequest<R extends RouteDefinition> = HttpRequest<
  Infer<NonNullable<R['request']>['path']>,
  Infer<NonNullable<R['request']>['query']>,
  Infer<NonNullable<R['request']>['body']>
>;

const idempotencyKeySchema = z
  .string()
  .check(
    z.minLength(8),
    z.maxLength(128),
    z.regex(/^[A-Za-z0-9_.:-]+$/, 'use 8–128 letters, digits, or _ . : -'),
  );

function errorResponse(error: AppError): APIGatewayProxyResult {
  return {
    statusCode: error.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...(error.headers ?? {}) },
    body: JSON.stringify({
      error: {
        code: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      },
    }),
  };
}

function standardHeaders(
  event: APIGatewayProxyEvent,
  context: Context,
  response: APIGatewayProxyResult,
  negotiated: boolean,
) {
  const own = (response.headers as Record<string, string> | undefined) ?? {};
  const cors = corsHeaders(headerValue(event.headers, 'origin'), readHttpConfig().corsOrigins);
  // A route answering a page or JSON by Accept says so to caches, beside the CORS Origin.
  const vary = [cors.vary, own.vary, negotiated ? 'Accept' : undefined].filter(Boolean).join(', ');
  return {
    ...securityHeaders,
    'cache-control': 'no-store',
    ...cors,
    'x-request-id': context.awsRequestId,
    ...own,
    ...(vary ? { vary } : {}),
  };
}

/** A refusal as the route's page, for a person's browser. */
function errorPageResponse(error: AppError, page: RefusalPage): APIGatewayProxyResult {
  return {
    statusCode: error.status,
    headers: { 'content-type': 'text/html; charset=utf-8', ...page.headers, ...(error.headers ?? {}) },
    body: page.body,
  };
}

function issuesOf(where: string, error: z.core.$ZodError) {
  return error.issues.map((issue) => ({ in: where, path: issue.path.join('.'), message: issue.message }));
}

function parseBody(event: APIGatewayProxyEvent, route: RouteDefinition): unknown {
  const spec = route.request?.body;
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  const limit = route.request?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (bytes.length > limit) throw new PayloadTooLargeError(`The body may hold at most ${limit} bytes`);
  if (!spec) {
    if (bytes.length > 0) throw new ValidationError('This route takes no body', 'UNEXPECTED_BODY');
    return undefined;
  }
  const contentType = headerValue(event.headers, 'content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new UnsupportedMediaTypeError('Send the body as application/json');
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ValidationError('The body is not valid JSON', 'MALFORMED_JSON');
  }
}

function validate<T extends z.core.$ZodType | undefined>(where: string, schema: T, input: unknown): Infer<T> {
  if (!schema) return undefined as Infer<T>;
  const result = z.safeParse(schema, input ?? {});
  if (!result.success)
    throw new ValidationError(`Invalid ${where}`, 'VALIDATION_FAILED', issuesOf(where, result.error));
  return result.data as Infer<T>;
}

/** What the edge itself needs beyond the route's use case; tests pass fakes, functions get the adapters. */
export interface EdgeDeps {
  /** Partner routes: which agency a SigV4 principal acts for. */
  partners?: PartnerRegistry;
  /** Partner and provider routes: where refused calls are recorded. */
  audit?: AuditDeps;
  /**
   * A route that answers a browser (Accept prefers text/html) with a page: its refusals as a page too, so a person
   * never sees an error body. Every answer of such a route varies by Accept.
   */
  refusalPage?: (error: AppError, request: RefusedRequest) => RefusalPage;
}

/** What a refusal page may read of the request: its raw parameters, unvalidated (they may be what was refused). */
export interface RefusedRequest {
  query: Record<string, string | undefined>;
}

export interface RefusalPage {
  body: string;
  headers: Record<string, string>;
}

interface InvocationState {
  invocation: Invocation;
  caller?: Caller;
  started: number;
}

/**
 * Wraps a use-case call as a Lambda handler for one route of the route table.
 * Order follows API Gateway: identity first, then the body, then validation, then the handler.
 *
 * At module load (the cold start) it validates the shared HTTP settings and the names of every resource the route
 * uses, the registry and audit tables included where the route needs them: a missing one stops the function naming
 * its variable. Every refusal is logged once at info with its code; a refused partner or provider call (401/403) is
 * also appended to the audit log; anything else is logged with its stack, counted as ServerErrors and answered as a
 * plain 500.
 */
export function httpRoute<const R extends RouteDefinition>(
  route: R,
  handle: (request: RouteRequest<R>) => Promise<HttpResult>,
  edge: EdgeDeps = {},
) {
  readHttpConfig();
  const partner = route.auth.kind === 'partner';
  const audited = partner || route.auth.kind === 'provider';
  const negotiated = edge.refusalPage !== undefined;
  const needs = new Set(Object.keys(route.uses) as ResourceId[]);
  if (partner && !edge.partners) needs.add('catalogue');
  if (audited && !edge.audit) needs.add('audit');
  requireResourceNames([...needs]);

  const runtime = functionRuntime(route.id, { route: route.id });
  // The adapters are built on the first invocation. They are imported statically: in a single-file bundle esbuild
  // inlines a dynamic import() and then cannot tree-shake what it reaches, so every HTTP function carried (and
  // evaluated at cold start) the whole DynamoDB client, all its commands and waiters (bench/cold-start-attribution.ts).
  let edgeDeps: Promise<EdgeDeps> | undefined;
  const loadEdge = () => {
    edgeDeps ??= (async () => {
      if ((!partner || edge.partners) && (!audited || edge.audit)) return edge;
      return {
        ...(partner ? { partners: edge.partners ?? partnerRegistry() } : {}),
        ...(audited ? { audit: edge.audit ?? edgeAuditDeps() } : {}),
      };
    })();
    return edgeDeps;
  };
  const states = new WeakMap<Context, InvocationState>();
  const fresh = (context: Context): InvocationState => ({
    started: performance.now(),
    invocation: runtime.begin(context),
  });
  const stateOf = (context: Context) => {
    let state = states.get(context);
    if (!state) {
      state = fresh(context);
      states.set(context, state);
    }
    return state;
  };
  const countIfFault = (state: InvocationState, status: number) => {
    if (status >= 500) state.invocation.metrics.countOperational('ServerErrors');
  };

  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use({
      before: (request) => {
        // A fresh state per invocation, even where a caller reuses its context object.
        states.set(request.context, fresh(request.context));
      },
      after: (request) => {
        const state = stateOf(request.context);
        if (request.response) {
          request.response.headers = standardHeaders(
            request.event,
            request.context,
            request.response,
            negotiated,
          );
          countIfFault(state, request.response.statusCode);
        }
        runtime.end(state.invocation);
      },
      onError: async (request) => {
        const state = stateOf(request.context);
        const { invocation } = state;
        const error = request.error;
        const refusal = refusalOf(error);
        const keys = {
          method: request.event.httpMethod,
          resource: request.event.resource,
          ms: Math.round(performance.now() - state.started),
        };
        if (refusal) {
          invocation.log.info('refused', { ...keys, status: refusal.status, code: refusal.code });
          if (audited && (refusal.status === 401 || refusal.status === 403)) {
            const principal = presentedPrincipal(request.event);
            const subject = request.event.pathParameters?.code;
            const { audit } = await loadEdge().catch(() => ({}) as EdgeDeps);
            if (audit) {
              await auditRefusal(
                {
                  method: route.method,
                  path: route.path,
                  ...(subject ? { subject } : {}),
                  code: refusal.code,
                  requestId: request.context.awsRequestId,
                  at: new Date(),
                  ...(state.caller ? { caller: state.caller } : {}),
                  ...(principal ? { principal } : {}),
                },
                audit,
                invocation.log,
                invocation.metrics,
              );
            } else {
              invocation.log.error('refusal not audited', { code: refusal.code });
              invocation.metrics.countOperational('RefusalsNotAudited');
            }
          }
        } else {
          invocation.log.error('unhandled error', { ...keys, error: error ?? undefined });
        }
        const answer = refusal ?? new AppError('INTERNAL', 'Something went wrong on our side', 500);
        request.response =
          edge.refusalPage && prefersHtml(headerValue(request.event.headers, 'accept'))
            ? errorPageResponse(
                answer,
                edge.refusalPage(answer, { query: request.event.queryStringParameters ?? {} }),
              )
            : errorResponse(answer);
        request.response.headers = standardHeaders(
          request.event,
          request.context,
          request.response,
          negotiated,
        );
        countIfFault(state, request.response.statusCode);
        runtime.end(invocation);
      },
    })
    .handler(async (event, context) => {
      const state = stateOf(context);
      const { invocation } = state;
      const { partners } = await loadEdge();
      const caller = await authorize(event, route.auth, partners);
      state.caller = caller;
      const body = parseBody(event, route);
      const spec = route.request ?? {};
      const rawKey = headerValue(event.headers, 'idempotency-key');
      const idempotencyKey =
        spec.idempotent && rawKey !== undefined
          ? validate('header', idempotencyKeySchema, rawKey)
          : undefined;
      const request = {
        path: validate('path', spec.path, event.pathParameters),
        query: validate('query', spec.query, event.queryStringParameters),
        body: validate('body', spec.body, body),
        caller,
        headers: headerMap(event.headers),
        requestId: context.awsRequestId,
        sourceIp: event.requestContext?.identity?.sourceIp,
        log: invocation.log,
        metrics: invocation.metrics,
        ...(idempotencyKey ? { idempotencyKey } : {}),
      } as unknown as RouteRequest<R>;
      const result = await handle(request);
      const success = result.status ?? declaredSuccess(route, result.body === undefined && !result.raw);
      invocation.log.info('answered', {
        method: event.httpMethod,
        resource: event.resource,
        status: success,
        ms: Math.round(performance.now() - state.started),
      });
      if (result.raw) {
        return {
          statusCode: success,
          headers: { 'content-type': result.raw.contentType, ...(result.headers ?? {}) },
          body: result.raw.body,
          isBase64Encoded: result.raw.base64 ?? false,
        };
      }
      return {
        statusCode: success,
        headers: {
          ...(result.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
          ...(result.headers ?? {}),
        },
        body: result.body === undefined ? '' : JSON.stringify(result.body),
      };
    });
}
