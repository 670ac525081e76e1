// Builds the OpenAPI 3.1 document from the route table and its zod schemas.

import { errorRegistry } from '../errors/registry';
import * as z from '../schemas/zod';
import { type RouteDefinition, responseSchema } from './route-types';
import { responsesOf } from './routes/common';

type Json = Record<string, unknown>;

/** Converts a schema, hoisting named sub-schemas (`.meta({ id })`) into `components.schemas`. */
function toSchema(schema: z.core.$ZodType, io: 'input' | 'output', components: Json): Json {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  const text = JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/');
  const { $schema: _ignored, $defs, ...rest } = JSON.parse(text) as Json & { $defs?: Json };
  for (const [name, def] of Object.entries($defs ?? {})) components[name] ??= def;
  return rest;
}

const securityOf: Record<RouteDefinition['auth']['kind'], Json[]> = {
  public: [],
  citizen: [{ bearer: [] }],
  staff: [{ bearer: [] }],
  user: [{ bearer: [] }],
  partner: [{ sigv4: [] }],
  provider: [],
};

export function buildOpenApi(routes: readonly RouteDefinition[], info: { version: string }) {
  const components: Json = {};
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const parameters: Json[] = [];
    for (const [where, schema] of [
      ['path', route.request?.path],
      ['query', route.request?.query],
    ] as const) {
      if (!schema) continue;
      const json = toSchema(schema, 'input', components) as { properties?: Json; required?: string[] };
      for (const [name, property] of Object.entries(json.properties ?? {})) {
        parameters.push({
          name,
          in: where,
          required: where === 'path' || (json.required ?? []).includes(name),
          schema: property,
        });
      }
    }
    if (route.request?.idempotent) {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'Retries with the same key and body return the first answer; another body gets a 422',
        schema: { type: 'string', minLength: 8, maxLength: 128 },
      });
    }
    const responses: Json = {};
    for (const [status, spec] of Object.entries(responsesOf(route))) {
      responses[status] = {
        description: spec.description,
        ...(spec.schema
          ? {
              content: {
                [spec.contentType ?? 'application/json']: {
                  schema: toSchema(responseSchema(spec.schema), 'output', components),
                },
                ...Object.fromEntries(
                  (spec.alternatives ?? []).map((alt) => [
                    alt.contentType,
                    alt.schema ? { schema: toSchema(alt.schema, 'output', components) } : {},
                  ]),
                ),
              },
            }
          : {}),
      };
    }
    const operation: Json = {
      operationId: route.id,
      summary: route.summary,
      tags: route.tags,
      security: securityOf[route.auth.kind],
      ...(route.auth.kind === 'staff' || route.auth.kind === 'user' ? { 'x-roles': route.auth.roles } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(route.request?.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: toSchema(route.request.body, 'input', components) } },
            },
          }
        : {}),
      responses,
    };
    paths[route.path] = { ...(paths[route.path] ?? {}), [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'motcua — Public Administrative Service Center API',
      version: info.version,
      description:
        'Citizens file and track dossiers, officers receive and return, partner agencies decide. Errors are `{ "error": { "code", "message", "details"? } }`.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      // The one registry of error codes (shared/errors/registry.ts): code → HTTP status and meaning.
      'x-error-codes': Object.fromEntries(
        Object.entries(errorRegistry).sort(([a], [b]) => a.localeCompare(b)),
      ),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'OIDC ID token (Cognito; local dev issuer)',
        },
        sigv4: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'AWS Signature Version 4 (IAM)',
        },
      },
    },
  };
}
