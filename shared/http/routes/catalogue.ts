// Catalogue routes: public search and reads, admin publishing.
import {
  agencyPageSchema,
  branchPageSchema,
  procedureCodePathSchema,
  procedurePageSchema,
  procedureSchema,
  procedureVersionQuerySchema,
  procedureVersionSchema,
  searchProceduresQuerySchema,
} from '../../schemas/catalogue';
import { cursorSchema, errorBodySchema, limitSchema } from '../../schemas/common';
import * as z from '../../schemas/zod';
import type { RouteDefinition } from '../route-types';

const pageQuery = z.object({ limit: limitSchema, cursor: z.optional(cursorSchema) });

export const searchProcedures = {
  id: 'searchProcedures',
  method: 'GET',
  path: '/v1/procedures',
  summary: 'Search the procedure catalogue (diacritics and case ignored)',
  tags: ['catalogue'],
  auth: { kind: 'public' },
  handler: 'functions/catalogue/search-procedures.ts',
  request: { query: searchProceduresQuerySchema },
  responses: {
    200: { description: 'A page of procedures', schema: procedurePageSchema },
  },
  uses: { catalogue: 'read' },
} as const satisfies RouteDefinition;

export const getProcedure = {
  id: 'getProcedure',
  method: 'GET',
  path: '/v1/procedures/{code}',
  summary: 'One procedure: the current version, or `?version=`',
  tags: ['catalogue'],
  auth: { kind: 'public' },
  handler: 'functions/catalogue/get-procedure.ts',
  request: { path: procedureCodePathSchema, query: procedureVersionQuerySchema },
  responses: {
    200: { description: 'The procedure', schema: procedureVersionSchema },
  },
  uses: { catalogue: 'read' },
} as const satisfies RouteDefinition;

export const listAgencies = {
  id: 'listAgencies',
  method: 'GET',
  path: '/v1/agencies',
  summary: 'Agencies with their electronic codes',
  tags: ['catalogue'],
  auth: { kind: 'public' },
  handler: 'functions/catalogue/list-agencies.ts',
  request: { query: pageQuery },
  responses: {
    200: { description: 'A page of agencies', schema: agencyPageSchema },
  },
  uses: { catalogue: 'read' },
} as const satisfies RouteDefinition;

export const listBranches = {
  id: 'listBranches',
  method: 'GET',
  path: '/v1/branches',
  summary: "The center's branches and the communes they serve",
  tags: ['catalogue'],
  auth: { kind: 'public' },
  handler: 'functions/catalogue/list-branches.ts',
  request: { query: pageQuery },
  responses: {
    200: { description: 'A page of branches', schema: branchPageSchema },
  },
  uses: { catalogue: 'read' },
} as const satisfies RouteDefinition;

export const publishProcedure = {
  id: 'publishProcedure',
  method: 'POST',
  path: '/v1/admin/procedures',
  summary: 'Publish a new version of a procedure (admin)',
  tags: ['catalogue', 'admin'],
  auth: { kind: 'staff', roles: ['admin'] },
  handler: 'functions/catalogue/publish-procedure.ts',
  request: { body: procedureSchema, maxBodyBytes: 256 * 1024, idempotent: true },
  responses: {
    201: { description: 'The new version', schema: procedureVersionSchema },
    409: {
      description: '`VERSION_CONFLICT`: another version was published meanwhile',
      schema: errorBodySchema,
    },
  },
  uses: { catalogue: 'readwrite', idempotency: 'readwrite' },
} as const satisfies RouteDefinition;
