// Translates route-table entries into what API Gateway needs: request models, required parameters, ARN patterns.
import type { JsonSchema } from 'aws-cdk-lib/aws-apigateway';
import type { RouteDefinition } from '../../shared/http/route-types';
import * as z from '../../shared/schemas/zod';

/** API Gateway auth kinds by route-table auth kind. */
export type GatewayAuth = 'NONE' | 'COGNITO_USER_POOLS' | 'AWS_IAM';

export function gatewayAuthOf(route: RouteDefinition): GatewayAuth {
  switch (route.auth.kind) {
    case 'public':
    // Providers prove themselves with an HMAC inside the payload, checked by their use case.
    case 'provider':
      return 'NONE';
    // Any signed-in kind: the user pool proves the identity, the handler checks groups (shared/http/principal.ts).
    case 'citizen':
    case 'staff':
    case 'user':
      return 'COGNITO_USER_POOLS';
    case 'partner':
      return 'AWS_IAM';
    default: {
      // A new auth kind must be mapped here on purpose; tsc flags it, this names it at synth.
      const unknown: never = route.auth;
      throw new Error(
        `Route ${route.id}: no API Gateway authorization for auth kind ${JSON.stringify(unknown)}`,
      );
    }
  }
}

// Keys whose children are user-chosen names (field names), never JSON Schema keywords.
const namedChildren = new Set(['properties', 'patternProperties', 'definitions', 'dependencies']);

function toCdkSchema(node: unknown, childrenAreNames = false): unknown {
  if (Array.isArray(node)) return node.map((item) => toCdkSchema(item));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (childrenAreNames) {
      out[key] = toCdkSchema(value);
      continue;
    }
    const renamed =
      key === '$schema' ? 'schema' : key === '$ref' ? 'ref' : key === '$defs' ? 'definitions' : key;
    out[renamed] = toCdkSchema(value, namedChildren.has(renamed));
  }
  return out;
}

/**
 * The request body as a draft-4 JSON Schema for an API Gateway model, from the same zod schema the handler
 * validates with: input shape (defaults make fields optional), every sub-schema inlined so no $ref
 * points at a model API Gateway does not have.
 */
export function bodyModelSchema(schema: z.ZodMiniType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: 'draft-4',
    io: 'input',
    unrepresentable: 'any',
    reused: 'inline',
    // An empty registry: ids from `.meta({ id })` would otherwise be extracted into definitions.
    metadata: z.registry<Record<string, unknown>>(),
  });
  return toCdkSchema(json) as JsonSchema;
}

function requiredKeys(schema: z.ZodMiniObject | undefined): Set<string> {
  if (!schema) return new Set();
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { required?: string[] };
  return new Set(json.required ?? []);
}

function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1] as string);
}

/**
 * `method.request.*` parameters for the request validator: every path parameter, and the query
 * parameters the route's query schema requires. Optional query parameters are declared as not required.
 */
export function requestParameters(route: RouteDefinition): Record<string, boolean> {
  const params: Record<string, boolean> = {};
  for (const name of pathParameterNames(route.path)) params[`method.request.path.${name}`] = true;
  const query = route.request?.query;
  const required = requiredKeys(query);
  for (const name of Object.keys(query?.shape ?? {})) {
    params[`method.request.querystring.${name}`] = required.has(name);
  }
  return params;
}

/** `execute-api:/<stage>/<METHOD>/<path>` with path parameters as wildcards, for resource policies. */
export function methodArnPattern(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  const path = route.path.replace(/\{[^}]+\}/g, '*');
  return `execute-api:/*/${route.method}${path}`;
}

/** Rejects a route table API Gateway could not serve, naming the offending route. */
export function assertRoutesDeployable(routes: readonly RouteDefinition[]): void {
  const ids = new Set<string>();
  const endpoints = new Set<string>();
  const variableChild = new Map<string, string>();
  for (const route of routes) {
    if (!/^[a-z][A-Za-z0-9]*$/.test(route.id)) {
      throw new Error(`Route id "${route.id}" must be camelCase letters and digits (it names constructs)`);
    }
    if (ids.has(route.id)) throw new Error(`Route id "${route.id}" is declared twice`);
    ids.add(route.id);
    if (!route.path.startsWith('/') || route.path.endsWith('/') || route.path.includes('//')) {
      throw new Error(`Route ${route.id}: path "${route.path}" must start with / and have no empty segment`);
    }
    // API Gateway allows one variable name per level: /a/{code} and /a/{id} cannot coexist.
    const segments = route.path.split('/');
    segments.forEach((segment, i) => {
      if (!segment.startsWith('{')) return;
      const parent = segments.slice(0, i).join('/') || '/';
      const known = variableChild.get(parent);
      if (known && known !== segment) {
        throw new Error(
          `Route ${route.id}: ${segment} under ${parent} clashes with ${known} of another route`,
        );
      }
      variableChild.set(parent, segment);
    });
    const endpoint = `${route.method} ${route.path.replace(/\{[^}]+\}/g, '{}')}`;
    if (endpoints.has(endpoint)) throw new Error(`Route ${route.id}: ${endpoint} is already declared`);
    endpoints.add(endpoint);
    if (route.timeoutSeconds !== undefined && route.timeoutSeconds > 29) {
      throw new Error(`Route ${route.id}: timeoutSeconds ${route.timeoutSeconds} exceeds API Gateway's 29 s`);
    }
  }
}
