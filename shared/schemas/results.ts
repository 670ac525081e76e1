// Shapes of the result routes: the agency's result upload, the applicant's result, its return and the rating.
import * as z from 'zod';
import { formNumbers } from '../domain/forms';
import { requestUploadSchema } from './documents';

const text = (min: number, max: number) => z.string().trim().min(min).max(max);

export const resultUploadSchema = requestUploadSchema
  .pick({ fileName: true, contentType: true, sizeBytes: true, sha256: true })
  .meta({ id: 'ResultUploadRequest' });

export const attachedResultSchema = z.object({
  uploadId: z
    .string()
    .regex(/^[a-z2-7]{26}$/, 'an upload id as issued by POST /v1/partner/tasks/{id}/results'),
  title: text(2, 200).describe('What the document is, as the applicant will see it (e.g. Giấy khai sinh)'),
  documentType: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,63}$/)
    .optional()
    .describe('The requirement id later dossiers may reuse it for from the personal data store'),
});

const resultDocumentSchema = z.object({
  id: z.string(),
  title: z.string(),
  agency: z.string().describe('The agency that issued it'),
  contentType: z.string(),
  sizeBytes: z.number().int(),
});

const dispatchSchema = z.object({ carrier: z.string(), trackingNumber: z.string(), at: z.string() });
const returnedSchema = z.object({ at: z.string(), method: z.enum(['electronic', 'post', 'counter']) });

/** The result as the dossier's full view shows it: what there is, and how it was returned. */
export const resultSummarySchema = z
  .object({
    kind: z.enum(['documents', 'notice']),
    readyAt: z.string(),
    documents: z.array(resultDocumentSchema),
    dispatch: dispatchSchema.optional(),
    returned: returnedSchema.optional(),
    href: z.string().describe('The applicant gets the result here'),
  })
  .meta({ id: 'ResultSummary' });

export const resultViewSchema = z
  .object({
    code: z.string(),
    status: z.string(),
    kind: z.enum(['documents', 'notice']),
    readyAt: z.string(),
    documents: z.array(
      resultDocumentSchema.extend({
        sha256: z.string().describe('Base64 SHA-256 of the document as the agency uploaded it'),
        url: z.url().describe('A short-lived link (5 minutes) to download it'),
        expiresAt: z.string(),
      }),
    ),
    notice: z
      .object({
        reason: z.string(),
        agency: z.string().optional(),
        form: z.object({ form: z.enum(formNumbers), href: z.string() }).optional(),
      })
      .optional()
      .describe('A rejected or stopped dossier: why, and the notice form (05 for a stop)'),
    dispatch: dispatchSchema.optional(),
    returned: returnedSchema.optional(),
  })
  .meta({ id: 'DossierResult' });
export type ResultView = z.infer<typeof resultViewSchema>;

export const dispatchBodySchema = z
  .object({
    carrier: text(2, 60).describe('The postal carrier, e.g. VNPost'),
    trackingNumber: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{6,40}$/, 'the carrier’s tracking number (letters, digits and dashes)'),
  })
  .meta({ id: 'ResultDispatch' });

export const returnBodySchema = z
  .discriminatedUnion('method', [
    z.object({ method: z.literal('post').describe('The post delivered the dispatched result') }),
    z.object({
      method: z.literal('counter'),
      collector: z.object({
        name: text(2, 100),
        idNumber: z
          .string()
          .trim()
          .regex(/^[A-Z0-9]{6,20}$/, 'the ID document number checked at the counter (CCCD, passport)'),
        authorization: text(3, 200)
          .optional()
          .describe('The written authorization, when the collector is not the applicant'),
      }),
    }),
  ])
  .meta({ id: 'ResultReturn' });

export const ratingBodySchema = z
  .object({
    score: z.number().int().min(1).max(5).describe('1 (very dissatisfied) to 5 (very satisfied)'),
    comment: text(1, 1000).optional(),
  })
  .meta({ id: 'Rating' });
