// The one middleware chain every HTTP function uses: context, headers, errors, body, auth, validation.
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as z from 'zod';
import { readHttpConfig } from '../config';
import type { Caller } from '../domain/caller';
import { AppError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors';
import { createLogger, type Logger } from '../logging';
import { corsHeaders, headerMap, headerValue, securityHeaders } from './headers';
import { authorize } from './principal';
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

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;
type RouteRequest<R extends RouteDefinition> = HttpRequest<
  Infer<NonNullable<R['request']>['path']>,
  Infer<NonNullable<R['request']>['query']>,
  Infer<NonNullable<R['request']>['body']>
>;

const idempotencyKeySchema = z
  .string()
  .min(8)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'use 8–128 letters, digits, or _ . : -');

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

function standardHeaders(event: APIGatewayProxyEvent, context: Context, response: APIGatewayProxyResult) {
  return {
    ...securityHeaders,
    'cache-control': 'no-store',
    ...corsHeaders(headerValue(event.headers, 'origin'), readHttpConfig().corsOrigins),
    'x-request-id': context.awsRequestId,
    ...((response.headers as Record<string, string> | undefined) ?? {}),
  };
}

function issuesOf(where: string, error: z.ZodError) {
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

function validate<T extends z.ZodType | undefined>(where: string, schema: T, input: unknown): Infer<T> {
  if (!schema) return undefined as Infer<T>;
  const result = schema.safeParse(input ?? {});
  if (!result.success)
    throw new ValidationError(`Invalid ${where}`, 'VALIDATION_FAILED', issuesOf(where, result.error));
  return result.data as Infer<T>;
}

/**
 * Wraps a use-case call as a Lambda handler for one route of the route table.
 * Order follows API Gateway: identity first, then the body, then validation, then the handler.
 */
export function httpRoute<const R extends RouteDefinition>(
  route: R,
  handle: (request: RouteRequest<R>) => Promise<HttpResult>,
) {
  const log = createLogger({ service: 'motcua', route: route.id });
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use({
      after: (request) => {
        if (request.response)
          request.response.headers = standardHeaders(request.event, request.context, request.response);
      },
      onError: (request) => {
        const error = request.error;
        const known = error instanceof AppError && error.status < 500;
        if (!known) {
          log.error('unhandled error', {
            requestId: request.context.awsRequestId,
            error: error ?? undefined,
          });
        }
        request.response = errorResponse(
          known ? (error as AppError) : new AppError('INTERNAL', 'Something went wrong on our side', 500),
        );
        request.response.headers = standardHeaders(request.event, request.context, request.response);
      },
    })
    .handler(async (event, context) => {
      const config = readHttpConfig();
      const caller = authorize(event, route.auth, config.partnerPrincipals);
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
        log: log.child({ requestId: context.awsRequestId }),
        ...(idempotencyKey ? { idempotencyKey } : {}),
      } as RouteRequest<R>;
      const started = performance.now();
      const result = await handle(request);
      const success = result.status ?? declaredSuccess(route, result.body === undefined && !result.raw);
      request.log.info('answered', {
        method: event.httpMethod,
        resource: event.resource,
        status: success,
        ms: Math.round(performance.now() - started),
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
