// Shapes of the upload and personal-document routes: what a client declares, what it gets back.
import { localizedSchema, procedureCodeSchema } from './catalogue';
import { cursorSchema, limitSchema, pageSchema } from './common';
import * as z from './zod';

export const uploadIdSchema = z
  .string()
  .check(
    z.regex(/^[a-z2-7]{26}$/, 'an upload id as issued by POST /v1/uploads'),
    z.describe('Opaque upload id (128 random bits, base32)'),
  );

export const sha256Schema = z
  .string()
  .check(
    z.regex(/^[A-Za-z0-9+/]{43}=$/, 'the base64 SHA-256 of the file (44 characters)'),
    z.describe('Base64 SHA-256 of the exact bytes to be uploaded'),
  );

// The id is registered on a clone, as classic `.meta()` did, not as a check: `z.pick` (resultUploadSchema) refuses
// an object carrying checks.
export const requestUploadSchema = z
  .object({
    procedureCode: procedureCodeSchema,
    requirementId: z
      .string()
      .check(
        z.regex(/^[a-z0-9][a-z0-9-]{1,63}$/),
        z.describe("Id of the procedure's required document this file satisfies"),
      ),
    fileName: z.string().check(
      z.trim(),
      z.minLength(1),
      z.maxLength(255),
      // Shown back to people and put in forms, never used as a key: no paths, no control characters.
      z.regex(/^[^/\\\p{Cc}]+$/u, 'a file name without slashes or control characters'),
    ),
    contentType: z
      .string()
      .check(
        z.toLowerCase(),
        z.regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/, 'a MIME type such as application/pdf'),
        z.describe('MIME type; must be one the requirement accepts'),
      ),
    sizeBytes: z
      .number()
      .check(
        z.int(),
        z.minimum(1),
        z.maximum(5 * 1024 ** 3),
        z.describe("Exact size in bytes; at most the requirement's maxSizeBytes"),
      ),
    sha256: sha256Schema,
  })
  .clone()
  .register(z.globalRegistry, { id: 'UploadRequest' });
export type RequestUploadBody = z.infer<typeof requestUploadSchema>;

export const presignedPutSchema = z
  .object({
    url: z.url(),
    method: z.literal('PUT'),
    headers: z
      .record(z.string(), z.string())
      .check(
        z.describe('Send exactly these headers: content type, length and checksum are part of the signature'),
      ),
    expiresAt: z.iso.datetime({ offset: true }),
  })
  .check(z.meta({ id: 'PresignedPut' }));

export const uploadTicketSchema = z
  .object({
    uploadId: uploadIdSchema,
    upload: presignedPutSchema,
    expiresAt: z.iso.datetime({ offset: true }).check(z.describe('After this the URL is refused')),
  })
  .check(z.meta({ id: 'UploadTicket' }));
export type UploadTicket = z.infer<typeof uploadTicketSchema>;

export const digitizedBySchema = z
  .object({ sub: z.string(), name: z.string(), branch: z.string() })
  .check(z.describe('The counter officer who scanned a paper original'));

export const uploadViewSchema = z
  .object({
    id: uploadIdSchema,
    status: z.enum(['PENDING', 'VERIFIED', 'REJECTED']),
    procedureCode: procedureCodeSchema,
    requirementId: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().check(z.int()),
    verifiedAt: z.optional(z.iso.datetime({ offset: true })),
    digitizedBy: z.optional(digitizedBySchema),
  })
  .check(z.meta({ id: 'Upload' }));
export type UploadView = z.infer<typeof uploadViewSchema>;

export const uploadPathSchema = z.object({ uploadId: uploadIdSchema });

export const personalDocumentSchema = z
  .object({
    id: z.string(),
    requirementId: z.string(),
    name: localizedSchema,
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().check(z.int()),
    sha256: sha256Schema,
    verifiedAt: z.iso.datetime({ offset: true }),
    sourceDossier: z.string().check(z.describe('Code of the dossier whose receipt stored this document')),
  })
  .check(z.meta({ id: 'PersonalDocument' }));
export type PersonalDocumentView = z.infer<typeof personalDocumentSchema>;

export const personalDocumentPageSchema = pageSchema(personalDocumentSchema, 'PersonalDocumentPage');
export type PersonalDocumentPage = z.infer<typeof personalDocumentPageSchema>;

export const pageQuerySchema = z.object({ limit: limitSchema, cursor: z.optional(cursorSchema) });
