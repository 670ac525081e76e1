// Platform routes: health and the API description.
import { healthSchema } from '../../schemas/common';
import * as z from '../../schemas/zod';
import type { RouteDefinition } from '../route-types';

export const getHealth = {
  id: 'getHealth',
  method: 'GET',
  path: '/v1/health',
  summary: 'Health of the API and each dependency',
  tags: ['platform'],
  auth: { kind: 'public' },
  handler: 'functions/platform/get-health.ts',
  responses: {
    200: { description: 'Every dependency answers', schema: healthSchema },
    503: { description: 'A dependency is down', schema: healthSchema },
  },
  uses: {
    catalogue: 'read',
    dossiers: 'read',
    idempotency: 'read',
    audit: 'read',
    documents: 'read',
    exports: 'read',
  },
} as const satisfies RouteDefinition;

export const getOpenApi = {
  id: 'getOpenApi',
  method: 'GET',
  path: '/openapi.json',
  summary: 'This OpenAPI 3.1 document',
  tags: ['platform'],
  auth: { kind: 'public' },
  handler: 'functions/platform/get-openapi.ts',
  responses: { 200: { description: 'OpenAPI 3.1', schema: z.record(z.string(), z.unknown()) } },
  uses: {},
} as const satisfies RouteDefinition;
