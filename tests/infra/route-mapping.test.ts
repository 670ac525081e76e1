import { describe, expect, it } from 'vitest';
import {
  assertRoutesDeployable,
  bodyModelSchema,
  gatewayAuthOf,
  methodArnPattern,
  requestParameters,
} from '../../infra/api/route-mapping';
import type { RouteDefinition } from '../../shared/http/route-types';
import { routeList, routes } from '../../shared/http/routes';
import * as z from '../../shared/schemas/zod';

const route = (overrides: Partial<RouteDefinition>): RouteDefinition => ({
  id: 'getThing',
  method: 'GET',
  path: '/v1/things/{code}',
  summary: 'A thing',
  tags: [],
  auth: { kind: 'public' },
  handler: 'functions/platform/get-health.ts',
  responses: { 200: { description: 'ok' } },
  uses: {},
  ...overrides,
});

describe('gatewayAuthOf', () => {
  it('lets public and provider routes through the gateway, the user pool guard citizens and staff, IAM partners', () => {
    expect(gatewayAuthOf(route({ auth: { kind: 'public' } }))).toBe('NONE');
    expect(gatewayAuthOf(route({ auth: { kind: 'provider' } }))).toBe('NONE');
    expect(gatewayAuthOf(route({ auth: { kind: 'citizen' } }))).toBe('COGNITO_USER_POOLS');
    expect(gatewayAuthOf(route({ auth: { kind: 'staff', roles: ['admin'] } }))).toBe('COGNITO_USER_POOLS');
    expect(gatewayAuthOf(route({ auth: { kind: 'partner' } }))).toBe('AWS_IAM');
  });

  it('maps every route of the route table', () => {
    for (const r of routeList)
      expect(['NONE', 'COGNITO_USER_POOLS', 'AWS_IAM'], r.id).toContain(gatewayAuthOf(r));
  });
});

describe('requestParameters', () => {
  it('requires every path parameter and only the query parameters the schema requires', () => {
    const r = route({
      request: {
        path: z.object({ code: z.string() }),
        query: z.object({
          q: z.string(),
          limit: z._default(z.coerce.number(), 20),
          cursor: z.optional(z.string()),
        }),
      },
    });
    expect(requestParameters(r)).toEqual({
      'method.request.path.code': true,
      'method.request.querystring.q': true,
      'method.request.querystring.limit': false,
      'method.request.querystring.cursor': false,
    });
  });

  it('declares the path parameter of getProcedure', () => {
    expect(requestParameters(routes.getProcedure)).toMatchObject({ 'method.request.path.code': true });
  });
});

describe('methodArnPattern', () => {
  it('turns path parameters into wildcards under any stage', () => {
    expect(methodArnPattern({ method: 'GET', path: '/v1/procedures/{code}' })).toBe(
      'execute-api:/*/GET/v1/procedures/*',
    );
  });
});

describe('bodyModelSchema', () => {
  it('gives API Gateway a draft-4 schema with every sub-schema inlined', () => {
    const schema = bodyModelSchema(routes.publishProcedure.request.body);
    const text = JSON.stringify(schema);
    expect(schema.schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(text).not.toContain('$ref');
    expect(text).not.toContain('"ref"');
    expect(schema.required).toEqual(expect.arrayContaining(['code']));
  });

  it('keeps field names that look like keywords as they are', () => {
    const schema = bodyModelSchema(z.object({ $ref: z.string(), schema: z.number() }));
    expect(Object.keys(schema.properties ?? {})).toEqual(['$ref', 'schema']);
  });

  it('treats fields with defaults as optional, as the handler does', () => {
    const schema = bodyModelSchema(z.object({ a: z.string(), b: z._default(z.number(), 1) }));
    expect(schema.required).toEqual(['a']);
  });
});

describe('assertRoutesDeployable', () => {
  it('accepts the route table', () => {
    expect(() => assertRoutesDeployable(routeList)).not.toThrow();
  });

  it('refuses a route id used twice', () => {
    expect(() => assertRoutesDeployable([route({}), route({ path: '/v1/other' })])).toThrow(
      'Route id "getThing" is declared twice',
    );
  });

  it('refuses two routes on the same method and path', () => {
    expect(() =>
      assertRoutesDeployable([route({}), route({ id: 'getThingAgain', path: '/v1/things/{code}' })]),
    ).toThrow('Route getThingAgain: GET /v1/things/{} is already declared');
  });

  it('refuses two variable names at one level, which API Gateway cannot hold', () => {
    expect(() =>
      assertRoutesDeployable([
        route({}),
        route({ id: 'deleteThing', method: 'DELETE', path: '/v1/things/{id}' }),
      ]),
    ).toThrow('Route deleteThing: {id} under /v1/things clashes with {code} of another route');
  });

  it('refuses a timeout API Gateway would cut off', () => {
    expect(() => assertRoutesDeployable([route({ timeoutSeconds: 30 })])).toThrow(
      /exceeds API Gateway's 29 s/,
    );
  });
});
