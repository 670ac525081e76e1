// Upload and personal-document routes: presigned uploads by citizens and counter officers, verification, the data store.
import { errorBodySchema } from '../../schemas/common';
import {
  pageQuerySchema,
  personalDocumentPageSchema,
  requestUploadSchema,
  uploadPathSchema,
  uploadTicketSchema,
  uploadViewSchema,
} from '../../schemas/documents';
import type { ResponseSpec, RouteDefinition } from '../route-types';

const refusal = (description: string): ResponseSpec => ({ description, schema: errorBodySchema });

const requestResponses = {
  201: {
    description: 'The upload, and the presigned PUT to send the file with (exactly these headers)',
    schema: uploadTicketSchema,
  },
  400: refusal(
    'Invalid input; `UNKNOWN_REQUIREMENT` for a requirement the procedure lacks, `TYPE_NOT_ACCEPTED` (details list the accepted types)',
  ),
  404: refusal('`PROCEDURE_NOT_FOUND`'),
  409: refusal('`UPLOAD_ALREADY_SETTLED`: the Idempotency-Key belongs to an upload already completed'),
  413: refusal("Body too large, or `FILE_TOO_LARGE`: the declared size exceeds the requirement's limit"),
} as const;

export const requestUpload = {
  id: 'requestUpload',
  method: 'POST',
  path: '/v1/uploads',
  summary: 'Declare a file for a required document and get a presigned upload URL (citizen)',
  tags: ['documents'],
  auth: { kind: 'citizen' },
  handler: 'functions/documents/request-upload.ts',
  request: { body: requestUploadSchema, idempotent: true },
  responses: requestResponses,
  uses: { catalogue: 'read', dossiers: 'readwrite', idempotency: 'readwrite', documents: 'readwrite' },
} as const satisfies RouteDefinition;

export const requestCounterUpload = {
  id: 'requestCounterUpload',
  method: 'POST',
  path: '/v1/counter/uploads',
  summary: 'Digitize a paper original at the counter: the upload is marked as scanned by the officer',
  tags: ['documents', 'counter'],
  auth: { kind: 'staff', roles: ['officer'] },
  handler: 'functions/documents/request-counter-upload.ts',
  request: { body: requestUploadSchema, idempotent: true },
  responses: requestResponses,
  uses: { catalogue: 'read', dossiers: 'readwrite', idempotency: 'readwrite', documents: 'readwrite' },
} as const satisfies RouteDefinition;

export const completeUpload = {
  id: 'completeUpload',
  method: 'POST',
  path: '/v1/uploads/{uploadId}/complete',
  summary: 'Verify an uploaded file against its declaration (size, SHA-256, type, magic bytes)',
  tags: ['documents'],
  auth: { kind: 'user', roles: ['citizen', 'officer'] },
  handler: 'functions/documents/complete-upload.ts',
  request: { path: uploadPathSchema },
  responses: {
    200: {
      description: 'The verified upload; completing again gives the same answer',
      schema: uploadViewSchema,
    },
    404: refusal('`UPLOAD_NOT_FOUND`: no such upload, or not yours'),
    409: refusal('`UPLOAD_NOT_RECEIVED`: nothing was uploaded yet; PUT the file, then complete again'),
    422: refusal(
      '`UPLOAD_REJECTED`: the file does not match its declaration and was deleted; details say why',
    ),
  },
  uses: { dossiers: 'readwrite', documents: 'readwrite' },
  // Hashing streams the whole file, up to the catalogue's 20 MiB limit.
  memoryMb: 512,
  timeoutSeconds: 20,
} as const satisfies RouteDefinition;

export const listMyDocuments = {
  id: 'listMyDocuments',
  method: 'GET',
  path: '/v1/me/documents',
  summary: "The citizen's personal data store: verified documents reusable in later dossiers",
  tags: ['documents'],
  auth: { kind: 'citizen' },
  handler: 'functions/documents/list-my-documents.ts',
  request: { query: pageQuerySchema },
  responses: {
    200: { description: 'A page of documents', schema: personalDocumentPageSchema },
  },
  uses: { dossiers: 'read' },
} as const satisfies RouteDefinition;
