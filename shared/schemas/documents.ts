// Shapes of the upload and personal-document routes: what a client declares, what it gets back.
import * as z from 'zod';
import { localizedSchema, procedureCodeSchema } from './catalogue';
import { cursorSchema, limitSchema, pageOf } from './common';

export const uploadIdSchema = z
  .string()
  .regex(/^[a-z2-7]{26}$/, 'an upload id as issued by POST /v1/uploads')
  .describe('Opaque upload id (128 random bits, base32)');

export const sha256Schema = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/, 'the base64 SHA-256 of the file (44 characters)')
  .describe('Base64 SHA-256 of the exact bytes to be uploaded');

export const requestUploadSchema = z
  .object({
    procedureCode: procedureCodeSchema,
    requirementId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,63}$/)
      .describe("Id of the procedure's required document this file satisfies"),
    fileName: z
      .string()
      .trim()
      .min(1)
      .max(255)
      // Shown back to people and put in forms, never used as a key: no paths, no control characters.
      .regex(/^[^/\\\p{Cc}]+$/u, 'a file name without slashes or control characters'),
    contentType: z
      .string()
      .toLowerCase()
      .regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/, 'a MIME type such as application/pdf')
      .describe('MIME type; must be one the requirement accepts'),
    sizeBytes: z
      .number()
      .int()
      .min(1)
      .max(5 * 1024 ** 3)
      .describe("Exact size in bytes; at most the requirement's maxSizeBytes"),
    sha256: sha256Schema,
  })
  .meta({ id: 'UploadRequest' });
export type RequestUploadBody = z.infer<typeof requestUploadSchema>;

export const presignedPutSchema = z
  .object({
    url: z.url(),
    method: z.literal('PUT'),
    headers: z
      .record(z.string(), z.string())
      .describe('Send exactly these headers: content type, length and checksum are part of the signature'),
    expiresAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'PresignedPut' });

export const uploadTicketSchema = z
  .object({
    uploadId: uploadIdSchema,
    upload: presignedPutSchema,
    expiresAt: z.iso.datetime({ offset: true }).describe('After this the URL is refused'),
  })
  .meta({ id: 'UploadTicket' });
export type UploadTicket = z.infer<typeof uploadTicketSchema>;

export const digitizedBySchema = z
  .object({ sub: z.string(), name: z.string(), branch: z.string() })
  .describe('The counter officer who scanned a paper original');

export const uploadViewSchema = z
  .object({
    id: uploadIdSchema,
    status: z.enum(['PENDING', 'VERIFIED', 'REJECTED']),
    procedureCode: procedureCodeSchema,
    requirementId: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    verifiedAt: z.iso.datetime({ offset: true }).optional(),
    digitizedBy: digitizedBySchema.optional(),
  })
  .meta({ id: 'Upload' });
export type UploadView = z.infer<typeof uploadViewSchema>;

export const uploadPathSchema = z.object({ uploadId: uploadIdSchema });

export const personalDocumentSchema = z
  .object({
    id: z.string(),
    requirementId: z.string(),
    name: localizedSchema,
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    sha256: sha256Schema,
    verifiedAt: z.iso.datetime({ offset: true }),
    sourceDossier: z.string().describe('Code of the dossier whose receipt stored this document'),
  })
  .meta({ id: 'PersonalDocument' });
export type PersonalDocumentView = z.infer<typeof personalDocumentSchema>;

export const personalDocumentPageSchema = pageOf(personalDocumentSchema, 'PersonalDocumentPage');
export type PersonalDocumentPage = z.infer<typeof personalDocumentPageSchema>;

export const pageQuerySchema = z.object({ limit: limitSchema, cursor: cursorSchema.optional() });
