// The shape of one route in the route table: what it is, who may call it, what it takes and gives, what it uses.

import type { ResourceId } from '../data/resources';
import type { SecretId } from '../data/secrets';
import type { StaffRole } from '../domain/caller';
import type * as z from '../schemas/zod';

export type { StaffRole };

export type AuthSpec =
  | { kind: 'public' }
  | { kind: 'citizen' }
  | { kind: 'staff'; roles: readonly StaffRole[] }
  /** Any signed-in person holding one of these roles: a citizen, or staff with the role. */
  | { kind: 'user'; roles: readonly ('citizen' | StaffRole)[] }
  | { kind: 'partner' }
  | { kind: 'provider' };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A response's schema, or the function that builds it: only the OpenAPI document and the contract tests read response
 * schemas, so a function's bundle need not build them at its cold start.
 */
export type ResponseSchema = z.ZodMiniType | (() => z.ZodMiniType);

/** The schema itself, built if it was given as a function. */
export function responseSchema(schema: ResponseSchema): z.ZodMiniType {
  return typeof schema === 'function' ? schema() : schema;
}

export interface ResponseSpec {
  description: string;
  schema?: ResponseSchema;
  contentType?: string;
  /** Other representations of the same answer, which the request picks (a report as `format=csv`). */
  alternatives?: readonly { contentType: string; schema?: z.ZodMiniType }[];
}

export interface RouteDefinition {
  /** Stable id: construct id, operationId and the handler's key. */
  id: string;
  method: HttpMethod;
  /** API Gateway style path: `/v1/procedures/{code}`. */
  path: string;
  summary: string;
  tags: string[];
  auth: AuthSpec;
  /** Handler module, relative to the repository root, exporting `handler`. */
  handler: string;
  request?: {
    path?: z.ZodMiniObject;
    query?: z.ZodMiniObject;
    body?: z.ZodMiniType;
    /** Largest accepted body; defaults to 64 KiB. */
    maxBodyBytes?: number;
    /** Whether the route takes an Idempotency-Key header. */
    idempotent?: boolean;
  };
  responses: Record<number, ResponseSpec>;
  /** Stateful resources the function touches: grants and environment variables follow from this. */
  uses: Partial<Record<ResourceId, 'read' | 'readwrite'>>;
  /** The routing state machine: `callback` answers waiting tasks (decisions), `start` starts runs (re-drive). */
  workflow?: 'start' | 'callback';
  /** Secrets the function reads at cold start (shared/data/secrets.ts): read access to each, its ARN in its variable. */
  secrets?: readonly SecretId[];
  /** Memory and timeout for the function; sensible defaults otherwise. */
  memoryMb?: number;
  timeoutSeconds?: number;
}

export function defineRoutes<const T extends readonly RouteDefinition[]>(routes: T): T {
  return routes;
}
