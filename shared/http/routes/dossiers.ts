// Dossier routes: filing online and at the counter, intake decisions, the applicant's moves, reads and tracking.
import { errorBodySchema } from '../../schemas/common';
import {
  branchQueueQuerySchema,
  codePathSchema,
  counterIntakeSchema,
  dossierPageSchema,
  dossierViewSchema,
  dueQuerySchema,
  fileDossierSchema,
  formPathSchema,
  pageQuerySchema,
  reasonSchema,
  supplementRequestSchema,
  supplementSchema,
  trackingQuerySchema,
  trackingSchema,
} from '../../schemas/dossiers';
import * as z from '../../schemas/zod';
import type { RouteDefinition } from '../route-types';

const incomplete = {
  description: 'Incomplete: `details` lists missing documents and answers, or the key was reused',
  schema: errorBodySchema,
};
const moved = { description: 'The dossier after the move', schema: dossierViewSchema };
const notNow = {
  description: 'Not allowed from the current status (`details.status`), or a concurrent change',
  schema: errorBodySchema,
};
const moveResponses = { 200: moved, 409: notNow };
const officer = { kind: 'staff', roles: ['officer'] } as const;
const dossierUses = {
  dossiers: 'readwrite',
  idempotency: 'readwrite',
  catalogue: 'read',
  documents: 'readwrite',
} as const;
// Intake decisions write only the dossier's items: their forms are recorded, and rendered on download.
const decisionUses = { dossiers: 'readwrite', idempotency: 'readwrite', catalogue: 'read' } as const;

export const fileDossier = {
  id: 'fileDossier',
  method: 'POST',
  path: '/v1/dossiers',
  summary: 'File a dossier online (citizen); it lands as SUBMITTED',
  tags: ['dossiers'],
  auth: { kind: 'citizen' },
  handler: 'functions/dossiers/file-dossier.ts',
  request: { body: fileDossierSchema, idempotent: true },
  responses: {
    201: { description: 'Filed; keep the code and lookup key', schema: dossierViewSchema },
    422: incomplete,
  },
  uses: { dossiers: 'readwrite', idempotency: 'readwrite', catalogue: 'read', documents: 'readwrite' },
} as const satisfies RouteDefinition;

export const counterIntake = {
  id: 'counterIntake',
  method: 'POST',
  path: '/v1/counter/dossiers',
  summary:
    'File a dossier at the counter (officer, own branch); a complete one is RECEIVED at once with form 01',
  tags: ['dossiers', 'counter'],
  auth: officer,
  handler: 'functions/dossiers/counter-intake.ts',
  request: { body: counterIntakeSchema, idempotent: true },
  responses: {
    201: { description: 'Received; form 01 issued', schema: dossierViewSchema },
    422: incomplete,
  },
  uses: dossierUses,
} as const satisfies RouteDefinition;

export const receiveDossier = {
  id: 'receiveDossier',
  method: 'POST',
  path: '/v1/dossiers/{code}/receive',
  summary: 'Receive an online dossier (officer): RECEIVED, appointment day computed, form 01 issued',
  tags: ['dossiers', 'counter'],
  auth: officer,
  handler: 'functions/dossiers/receive-dossier.ts',
  request: { path: codePathSchema, idempotent: true },
  responses: moveResponses,
  uses: decisionUses,
} as const satisfies RouteDefinition;

export const requestSupplement = {
  id: 'requestSupplement',
  method: 'POST',
  path: '/v1/dossiers/{code}/supplement-requests',
  summary: 'Ask the applicant for more (officer): SUPPLEMENT_REQUESTED, the clock pauses, form 02 issued',
  tags: ['dossiers', 'counter'],
  auth: officer,
  handler: 'functions/dossiers/request-supplement.ts',
  request: { path: codePathSchema, body: supplementRequestSchema, idempotent: true },
  responses: moveResponses,
  uses: decisionUses,
} as const satisfies RouteDefinition;

export const refuseDossier = {
  id: 'refuseDossier',
  method: 'POST',
  path: '/v1/dossiers/{code}/refusal',
  summary: 'Refuse to receive (officer): REFUSED with the reason, form 03 issued',
  tags: ['dossiers', 'counter'],
  auth: officer,
  handler: 'functions/dossiers/refuse-dossier.ts',
  request: { path: codePathSchema, body: reasonSchema, idempotent: true },
  responses: moveResponses,
  uses: decisionUses,
} as const satisfies RouteDefinition;

export const supplementDossier = {
  id: 'supplementDossier',
  method: 'POST',
  path: '/v1/dossiers/{code}/supplements',
  summary: 'Supplement the dossier (applicant): it resumes where it was and the clock restarts',
  tags: ['dossiers'],
  auth: { kind: 'citizen' },
  handler: 'functions/dossiers/supplement-dossier.ts',
  request: { path: codePathSchema, body: supplementSchema, idempotent: true },
  responses: { 200: moved, 409: notNow, 422: incomplete },
  uses: { dossiers: 'readwrite', idempotency: 'readwrite', catalogue: 'read', documents: 'readwrite' },
} as const satisfies RouteDefinition;

export const redriveDossier = {
  id: 'redriveDossier',
  method: 'POST',
  path: '/v1/admin/dossiers/{code}/redrive',
  summary:
    "Re-drive a dossier's route from its recorded stage (admin), when its run is gone; answered steps are not asked again",
  tags: ['dossiers', 'admin'],
  auth: { kind: 'staff', roles: ['admin'] },
  handler: 'functions/admin/redrive-dossier.ts',
  // Not keyed: a repeat while the new run goes is refused (409 CONFLICT) and changes nothing.
  request: { path: codePathSchema, body: reasonSchema },
  responses: {
    200: {
      description: 'The new run',
      schema: z
        .object({ executionName: z.string(), attempt: z.number().check(z.int()) })
        .check(z.meta({ id: 'Redrive' })),
    },
    404: { description: '`DOSSIER_NOT_FOUND`', schema: errorBodySchema },
    409: {
      description: '`INVALID_TRANSITION`: no route in progress; `CONFLICT`: its run is still going',
      schema: errorBodySchema,
    },
  },
  uses: { dossiers: 'readwrite', idempotency: 'readwrite' },
  workflow: 'start',
} as const satisfies RouteDefinition;

export const requestStop = {
  id: 'requestStop',
  method: 'POST',
  path: '/v1/dossiers/{code}/stop-request',
  summary:
    'Ask to stop processing a dossier in progress (applicant): its waiting agencies are released, it ends STOPPED with form 05',
  tags: ['dossiers'],
  auth: { kind: 'citizen' },
  handler: 'functions/dossiers/request-stop.ts',
  // Repeating it stops nothing twice (the steps already released are closed): no key needed.
  request: { path: codePathSchema, body: reasonSchema },
  responses: {
    202: {
      description: 'Stopping: the route closes shortly (STOPPED)',
      schema: z
        .object({ code: z.string(), stopping: z.number().check(z.int()) })
        .check(z.meta({ id: 'StopRequested' })),
    },
    404: { description: '`DOSSIER_NOT_FOUND`: no such dossier, or not yours', schema: errorBodySchema },
    409: { description: '`INVALID_TRANSITION`: not in progress', schema: errorBodySchema },
  },
  uses: { dossiers: 'readwrite' },
  workflow: 'callback',
} as const satisfies RouteDefinition;

export const withdrawDossier = {
  id: 'withdrawDossier',
  method: 'POST',
  path: '/v1/dossiers/{code}/withdrawal',
  summary: 'Withdraw the dossier (applicant)',
  tags: ['dossiers'],
  auth: { kind: 'citizen' },
  handler: 'functions/dossiers/withdraw-dossier.ts',
  request: { path: codePathSchema, body: reasonSchema, idempotent: true },
  responses: moveResponses,
  uses: { dossiers: 'readwrite', idempotency: 'readwrite' },
} as const satisfies RouteDefinition;

export const getDossier = {
  id: 'getDossier',
  method: 'GET',
  path: '/v1/dossiers/{code}',
  summary: 'One dossier with its full history (the applicant, or staff of the receiving branch)',
  tags: ['dossiers'],
  auth: { kind: 'user', roles: ['citizen', 'officer', 'supervisor'] },
  handler: 'functions/dossiers/get-dossier.ts',
  request: { path: codePathSchema },
  responses: {
    200: { description: 'The dossier', schema: dossierViewSchema },
  },
  uses: { dossiers: 'read' },
} as const satisfies RouteDefinition;

export const getDossierForm = {
  id: 'getDossierForm',
  method: 'GET',
  path: '/v1/dossiers/{code}/forms/{form}',
  summary: 'Download form 01–06 of a dossier as PDF',
  tags: ['dossiers'],
  auth: { kind: 'user', roles: ['citizen', 'officer', 'supervisor'] },
  handler: 'functions/dossiers/get-dossier-form.ts',
  request: { path: formPathSchema },
  responses: {
    200: {
      description: 'The PDF',
      contentType: 'application/pdf',
      schema: z.string().check(z.meta({ format: 'binary' })),
    },
  },
  uses: { dossiers: 'read', documents: 'readwrite', catalogue: 'read' },
} as const satisfies RouteDefinition;

export const listMyDossiers = {
  id: 'listMyDossiers',
  method: 'GET',
  path: '/v1/me/dossiers',
  summary: "The signed-in citizen's dossiers, newest first, whoever filed them",
  tags: ['dossiers'],
  auth: { kind: 'citizen' },
  handler: 'functions/dossiers/list-my-dossiers.ts',
  request: { query: pageQuerySchema },
  responses: {
    200: { description: 'A page of dossiers', schema: dossierPageSchema },
  },
  uses: { dossiers: 'read' },
} as const satisfies RouteDefinition;

export const listBranchDossiers = {
  id: 'listBranchDossiers',
  method: 'GET',
  path: '/v1/branch/dossiers',
  summary: "The caller's branch's dossiers in one status (default SUBMITTED: the intake queue), oldest first",
  tags: ['dossiers', 'counter'],
  auth: { kind: 'staff', roles: ['officer', 'supervisor'] },
  handler: 'functions/dossiers/list-branch-dossiers.ts',
  request: { query: branchQueueQuerySchema },
  responses: {
    200: { description: 'A page of dossiers', schema: dossierPageSchema },
  },
  uses: { dossiers: 'read' },
} as const satisfies RouteDefinition;

export const listBranchDeadlines = {
  id: 'listBranchDeadlines',
  method: 'GET',
  path: '/v1/branch/deadlines',
  summary: "The caller's branch's open dossiers due on or before a day, earliest first",
  tags: ['dossiers', 'supervision'],
  auth: { kind: 'staff', roles: ['officer', 'supervisor'] },
  handler: 'functions/dossiers/list-branch-deadlines.ts',
  request: { query: dueQuerySchema },
  responses: {
    200: { description: 'A page of dossiers', schema: dossierPageSchema },
  },
  uses: { dossiers: 'read' },
} as const satisfies RouteDefinition;

export const trackDossier = {
  id: 'trackDossier',
  method: 'GET',
  path: '/v1/tracking/{code}',
  summary:
    'Public tracking with the lookup key from the receipt (its QR code opens this URL): status, appointment day, current step; a page for a browser',
  tags: ['dossiers', 'public'],
  auth: { kind: 'public' },
  handler: 'functions/dossiers/track-dossier.ts',
  request: {
    path: codePathSchema,
    query: z.extend(trackingQuerySchema, {
      // Read by the page only; any other value is ignored, so the JSON answer never depends on it.
      lang: z
        .catch(z.optional(z.enum(['vi', 'en'])), undefined)
        .check(z.describe('Language of the page (Vietnamese by default)')),
    }),
  },
  responses: {
    200: {
      description:
        'Progress, nothing personal. A request whose Accept prefers `text/html` (a browser) gets it as a page, with what the applicant must do next; any other gets the JSON (`Vary: Accept`)',
      schema: trackingSchema,
      alternatives: [
        { contentType: 'text/html', schema: z.string().check(z.meta({ description: 'The page' })) },
      ],
    },
    400: {
      description: 'Invalid code or key; `details` names each field',
      schema: errorBodySchema,
      alternatives: [{ contentType: 'text/html' }],
    },
    404: {
      description:
        '`DOSSIER_NOT_FOUND`: no dossier with this code and key (a wrong key reads as an unknown code); a browser gets a page',
      schema: errorBodySchema,
      alternatives: [{ contentType: 'text/html' }],
    },
  },
  uses: { dossiers: 'read' },
} as const satisfies RouteDefinition;
