// Result routes: an agency's result documents, the applicant's result and its return (download, post, counter),
// and the rating once the dossier has ended.

import { errorBodySchema } from '../../schemas/common';
import { uploadPathSchema, uploadTicketSchema, uploadViewSchema } from '../../schemas/documents';
import { codePathSchema, dossierViewSchema } from '../../schemas/dossiers';
import {
  dispatchBodySchema,
  ratingBodySchema,
  resultUploadSchema,
  resultViewSchema,
  returnBodySchema,
} from '../../schemas/results';
import { taskPathSchema } from '../../schemas/tasks';
import type { RouteDefinition } from '../route-types';

const officer = { kind: 'staff', roles: ['officer'] } as const;
const moveUses = { dossiers: 'readwrite', idempotency: 'readwrite' } as const;
const moved = { description: 'The dossier after the move', schema: dossierViewSchema };
const notReleasable =
  '`NO_RESULT`: none yet, or none ever; `RESULT_NOT_RELEASED`: fees due before release are unpaid; `ALREADY_RETURNED`';
const held = { description: notReleasable, schema: errorBodySchema };

export const requestResultUpload = {
  id: 'requestResultUpload',
  method: 'POST',
  path: '/v1/partner/tasks/{id}/results',
  summary:
    'Declare a result document (a signed PDF) for an open task and get a presigned upload URL; attach it to the approval',
  tags: ['partner', 'results'],
  auth: { kind: 'partner' },
  handler: 'functions/results/request-result-upload.ts',
  request: { path: taskPathSchema, body: resultUploadSchema, idempotent: true },
  responses: {
    201: { description: 'The upload URL', schema: uploadTicketSchema },
    404: { description: "`TASK_NOT_FOUND`: no such task, or another agency's", schema: errorBodySchema },
    409: { description: '`TASK_CLOSED`: the task was already decided', schema: errorBodySchema },
  },
  uses: { dossiers: 'readwrite', idempotency: 'readwrite', documents: 'readwrite' },
} as const satisfies RouteDefinition;

export const completeResultUpload = {
  id: 'completeResultUpload',
  method: 'POST',
  path: '/v1/partner/uploads/{uploadId}/complete',
  summary: 'Verify an uploaded result document against its declaration (size, SHA-256, type, magic bytes)',
  tags: ['partner', 'results'],
  auth: { kind: 'partner' },
  handler: 'functions/results/complete-result-upload.ts',
  request: { path: uploadPathSchema },
  responses: {
    200: {
      description: 'The verified upload; completing again gives the same answer',
      schema: uploadViewSchema,
    },
    404: { description: "`UPLOAD_NOT_FOUND`: no such upload, or another agency's", schema: errorBodySchema },
    409: { description: '`UPLOAD_NOT_RECEIVED`: nothing was uploaded yet', schema: errorBodySchema },
    422: {
      description: '`UPLOAD_REJECTED`: the file does not match its declaration and was deleted',
      schema: errorBodySchema,
    },
  },
  uses: { dossiers: 'readwrite', documents: 'readwrite' },
  memoryMb: 512,
} as const satisfies RouteDefinition;

export const getDossierResult = {
  id: 'getDossierResult',
  method: 'GET',
  path: '/v1/dossiers/{code}/result',
  summary:
    "The applicant's result: 5-minute links to the agencies' documents (the first download returns the result), or the notice",
  tags: ['dossiers', 'results'],
  auth: { kind: 'citizen' },
  handler: 'functions/results/get-result.ts',
  request: { path: codePathSchema },
  responses: {
    200: { description: 'The result', schema: resultViewSchema },
    404: { description: '`DOSSIER_NOT_FOUND`: no such dossier of yours', schema: errorBodySchema },
    409: held,
  },
  uses: { dossiers: 'readwrite', documents: 'read' },
} as const satisfies RouteDefinition;

export const dispatchDossierResult = {
  id: 'dispatchDossierResult',
  method: 'POST',
  path: '/v1/dossiers/{code}/dispatch',
  summary: 'Send the paper result by post (officer of the return branch): carrier and tracking number',
  tags: ['dossiers', 'counter', 'results'],
  auth: officer,
  handler: 'functions/results/dispatch-result.ts',
  request: { path: codePathSchema, body: dispatchBodySchema, idempotent: true },
  responses: { 200: moved, 409: held },
  uses: moveUses,
} as const satisfies RouteDefinition;

export const returnDossierResult = {
  id: 'returnDossierResult',
  method: 'POST',
  path: '/v1/dossiers/{code}/return',
  summary:
    'Record the return of the paper result (officer): delivered by post, or collected at the counter after the identity check',
  tags: ['dossiers', 'counter', 'results'],
  auth: officer,
  handler: 'functions/results/return-result.ts',
  request: { path: codePathSchema, body: returnBodySchema, idempotent: true },
  responses: {
    200: moved,
    409: {
      description: `${notReleasable}; \`NOT_DISPATCHED\`: a delivery needs its dispatch`,
      schema: errorBodySchema,
    },
    422: {
      description: '`AUTHORIZATION_REQUIRED`: the collector is not the applicant and shows no authorization',
      schema: errorBodySchema,
    },
  },
  uses: moveUses,
} as const satisfies RouteDefinition;

export const rateDossier = {
  id: 'rateDossier',
  method: 'POST',
  path: '/v1/dossiers/{code}/rating',
  summary: 'Rate the service once the dossier has ended (applicant, once): 1–5 and a comment',
  tags: ['dossiers', 'results'],
  auth: { kind: 'citizen' },
  handler: 'functions/results/rate-dossier.ts',
  request: { path: codePathSchema, body: ratingBodySchema, idempotent: true },
  responses: {
    200: moved,
    409: {
      description: '`ALREADY_RATED`; `NOT_ENDED`: not returned, rejected or stopped yet',
      schema: errorBodySchema,
    },
  },
  uses: moveUses,
} as const satisfies RouteDefinition;
