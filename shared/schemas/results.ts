// Shapes of the result routes: the agency's result upload, the applicant's result, its return and the rating.

import { formNumbers } from '../domain/forms';
import { requestUploadSchema } from './documents';
import * as z from './zod';

const textSchema = (min: number, max: number) =>
  z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

export const resultUploadSchema = z
  .pick(requestUploadSchema, { fileName: true, contentType: true, sizeBytes: true, sha256: true })
  .check(z.meta({ id: 'ResultUploadRequest' }));

export const attachedResultSchema = z.object({
  uploadId: z
    .string()
    .check(z.regex(/^[a-z2-7]{26}$/, 'an upload id as issued by POST /v1/partner/tasks/{id}/results')),
  title: textSchema(2, 200).check(
    z.describe('What the document is, as the applicant will see it (e.g. Giấy khai sinh)'),
  ),
  documentType: z
    .optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,63}$/)))
    .check(z.describe('The requirement id later dossiers may reuse it for from the personal data store')),
});

const resultDocumentSchema = z.object({
  id: z.string(),
  title: z.string(),
  agency: z.string().check(z.describe('The agency that issued it')),
  contentType: z.string(),
  sizeBytes: z.number().check(z.int()),
});

const dispatchSchema = z.object({ carrier: z.string(), trackingNumber: z.string(), at: z.string() });
const returnedSchema = z.object({ at: z.string(), method: z.enum(['electronic', 'post', 'counter']) });

/** The result as the dossier's full view shows it: what there is, and how it was returned. */
export const resultSummarySchema = z
  .object({
    kind: z.enum(['documents', 'notice']),
    readyAt: z.string(),
    documents: z.array(resultDocumentSchema),
    dispatch: z.optional(dispatchSchema),
    returned: z.optional(returnedSchema),
    href: z.string().check(z.describe('The applicant gets the result here')),
  })
  .check(z.meta({ id: 'ResultSummary' }));

export const resultViewSchema = z
  .object({
    code: z.string(),
    status: z.string(),
    kind: z.enum(['documents', 'notice']),
    readyAt: z.string(),
    documents: z.array(
      z.extend(resultDocumentSchema, {
        sha256: z.string().check(z.describe('Base64 SHA-256 of the document as the agency uploaded it')),
        url: z.url().check(z.describe('A short-lived link (5 minutes) to download it')),
        expiresAt: z.string(),
      }),
    ),
    notice: z
      .optional(
        z.object({
          reason: z.string(),
          agency: z.optional(z.string()),
          form: z.optional(z.object({ form: z.enum(formNumbers), href: z.string() })),
        }),
      )
      .check(z.describe('A rejected or stopped dossier: why, and the notice form (05 for a stop)')),
    dispatch: z.optional(dispatchSchema),
    returned: z.optional(returnedSchema),
  })
  .check(z.meta({ id: 'DossierResult' }));
export type ResultView = z.infer<typeof resultViewSchema>;

export const dispatchBodySchema = z
  .object({
    carrier: textSchema(2, 60).check(z.describe('The postal carrier, e.g. VNPost')),
    trackingNumber: z
      .string()
      .check(
        z.trim(),
        z.regex(/^[A-Za-z0-9-]{6,40}$/, 'the carrier’s tracking number (letters, digits and dashes)'),
      ),
  })
  .check(z.meta({ id: 'ResultDispatch' }));

export const returnBodySchema = z
  .discriminatedUnion('method', [
    z.object({ method: z.literal('post').check(z.describe('The post delivered the dispatched result')) }),
    z.object({
      method: z.literal('counter'),
      collector: z.object({
        name: textSchema(2, 100),
        idNumber: z
          .string()
          .check(
            z.trim(),
            z.regex(/^[A-Z0-9]{6,20}$/, 'the ID document number checked at the counter (CCCD, passport)'),
          ),
        authorization: z
          .optional(textSchema(3, 200))
          .check(z.describe('The written authorization, when the collector is not the applicant')),
      }),
    }),
  ])
  .check(z.meta({ id: 'ResultReturn' }));

export const ratingBodySchema = z
  .object({
    score: z
      .number()
      .check(z.int(), z.minimum(1), z.maximum(5), z.describe('1 (very dissatisfied) to 5 (very satisfied)')),
    comment: z.optional(textSchema(1, 1000)),
  })
  .check(z.meta({ id: 'Rating' }));
