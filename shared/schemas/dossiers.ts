// Shapes of the dossier routes: filing, intake decisions, reads and public tracking.
import * as z from 'zod';
import { statuses } from '../domain/dossier';
import { formNumbers } from '../domain/forms';
import { isCitizenId } from '../domain/identity-numbers';
import { agencyCodeSchema, localizedSchema, procedureCodeSchema } from './catalogue';
import { cursorSchema, limitSchema, pageOf } from './common';
import { resultSummarySchema } from './results';

export const dossierCodeSchema = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9.]{1,39}-\d{6}-\d{4,6}$/, 'a dossier code such as 000.02.01.H26-261127-0042')
  .describe('Dossier code: receiving unit, -YYMMDD-, daily sequence');

export const citizenIdSchema = z
  .string()
  .refine((value) => isCitizenId(value), '12 digits: a valid citizen ID (CCCD)')
  .describe('Citizen ID (CCCD), 12 digits');

export const applicantSchema = z
  .object({
    fullName: z.string().trim().min(2).max(100),
    citizenId: citizenIdSchema,
    dateOfBirth: z.iso.date().optional(),
    phone: z
      .string()
      .regex(/^(\+84|0)\d{9,10}$/, 'a Vietnamese phone number')
      .optional(),
    email: z.email().max(200).optional(),
    address: z.string().trim().min(3).max(300).optional(),
    notify: z
      .object({
        channels: z.array(z.enum(['email', 'sms'])).max(2),
        language: z.enum(['vi', 'en']),
      })
      .optional()
      .describe(
        'How the applicant hears of their dossier; without it: every channel they gave a contact for, in Vietnamese',
      ),
  })
  .meta({ id: 'Applicant' });

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

export const documentReferenceSchema = z.union([
  z.object({ requirementId: z.string().max(64), uploadId: idSchema }).strict(),
  z
    .object({ requirementId: z.string().max(64), personalDocumentId: idSchema })
    .strict()
    .describe('Reuse a verified document from the personal data store'),
]);

export const answersSchema = z
  .record(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean()]))
  .refine((answers) => Object.keys(answers).length <= 100, 'at most 100 answers')
  .default({});

export const fileDossierSchema = z
  .object({
    procedureCode: procedureCodeSchema,
    unit: agencyCodeSchema.describe('The branch that receives the dossier'),
    applicant: applicantSchema,
    answers: answersSchema,
    documents: z.array(documentReferenceSchema).max(50),
  })
  .meta({ id: 'FileDossier' });
export type FileDossierInput = z.infer<typeof fileDossierSchema>;

export const counterIntakeSchema = fileDossierSchema.omit({ unit: true }).meta({ id: 'CounterIntake' });

export const codePathSchema = z.object({ code: dossierCodeSchema });

export const reasonSchema = z.object({ reason: z.string().trim().min(3).max(1000) }).meta({ id: 'Reason' });

export const supplementRequestSchema = z
  .object({
    items: z
      .array(
        z.object({
          name: z.string().trim().min(2).max(300),
          reason: z.string().trim().min(2).max(500),
          requirementId: z.string().max(64).optional(),
        }),
      )
      .min(1)
      .max(30),
    reason: z.string().trim().min(3).max(1000).optional(),
  })
  .meta({ id: 'SupplementRequest' });

export const supplementSchema = z
  .object({ documents: z.array(documentReferenceSchema).max(50).default([]), answers: answersSchema })
  .meta({ id: 'Supplement' });

const historyEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  action: z.string(),
  from: z.enum(statuses).nullable(),
  to: z.enum(statuses),
  actor: z.object({ kind: z.string(), name: z.string().optional(), branch: z.string().optional() }),
  reason: z.string().optional(),
});

export const deadlineSchema = z.object({
  workingDays: z.number().int(),
  receivedAt: z.string(),
  appointmentDay: z.iso.date(),
  paused: z.boolean(),
  pauses: z.array(z.object({ from: z.string(), to: z.string().optional() })),
  basis: z.array(
    z.object({
      year: z.number().int(),
      decided: z.boolean(),
      source: z.string().optional(),
      statutoryOnly: z.array(z.string()),
    }),
  ),
  computedAt: z.iso
    .datetime({ offset: true })
    .describe('When the appointment day was last computed: receipt, a pause, or a resume'),
});

export const supplementViewSchema = z.object({
  items: z.array(
    z.object({
      name: z.string(),
      reason: z.string(),
      requirementId: z
        .string()
        .optional()
        .describe("The procedure's required document to send again, when the officer named one"),
    }),
  ),
  requestedAt: z.string(),
});

export const paymentViewSchema = z
  .object({
    id: z.string().describe("Our payment id, the provider's reference"),
    provider: z.string(),
    amountVnd: z.number().int(),
    status: z.enum(['pending', 'paid', 'failed', 'expired']),
    createdAt: z.string(),
    expiresAt: z.string().describe('The provider takes no money after this'),
    redirectUrl: z
      .string()
      .optional()
      .describe("The provider's checkout page, while the payment is pending: send the browser there"),
    settledAt: z.string().optional(),
    providerTransactionNo: z.string().optional(),
  })
  .meta({ id: 'Payment' });
export type PaymentView = z.infer<typeof paymentViewSchema>;

export const feesViewSchema = z.object({
  items: z.array(
    z.object({
      feeId: z.string(),
      name: localizedSchema,
      baseVnd: z.number().int(),
      dueVnd: z.number().int(),
      periodRate: z
        .object({ percent: z.number().int(), basis: localizedSchema })
        .optional()
        .describe('A rate set for a period, in force on the filing day, that made baseVnd'),
      relief: z.object({ id: z.string(), name: localizedSchema }).optional(),
      exemption: localizedSchema.optional(),
      condition: localizedSchema.optional().describe('A condition the receiving officer confirms'),
      quantity: z
        .object({
          count: z.number().int(),
          unit: localizedSchema,
          times: z.object({ count: z.number().int(), unit: localizedSchema }).optional(),
        })
        .optional()
        .describe('How a fee charged by count was counted from the answers (baseVnd is for all of them)'),
    }),
  ),
  totalVnd: z.number().int(),
  dueWhen: z.enum(['before-processing', 'before-release', 'none']),
  paidVnd: z.number().int(),
  outstandingVnd: z.number().int(),
  refundDueVnd: z.number().int(),
  refundedVnd: z.number().int(),
  refunds: z.array(
    z.object({
      id: z.string(),
      paymentId: z.string(),
      amountVnd: z.number().int(),
      kind: z.enum(['full', 'partial']),
      status: z.enum(['pending', 'refunded', 'failed']),
      requestedAt: z.string(),
      settledAt: z.string().optional(),
    }),
  ),
  awaitingPayment: z
    .boolean()
    .describe('The dossier waits for its fees (national status: financial obligation)'),
  payments: z.array(paymentViewSchema),
});

export const dossierViewSchema = z
  .object({
    code: z.string(),
    lookupKey: z.string(),
    status: z.enum(statuses),
    statusLabel: localizedSchema,
    procedure: z.object({
      code: z.string(),
      version: z.number(),
      name: localizedSchema,
      processingDays: z.number(),
    }),
    unit: z.string(),
    channel: z.enum(['online', 'counter']),
    applicant: applicantSchema.extend({ citizenId: z.string().describe('Masked') }),
    answers: z.record(z.string(), z.unknown()),
    documents: z.array(
      z.object({
        requirementId: z.string(),
        name: localizedSchema,
        source: z.enum(['upload', 'personal-store']),
        fileName: z.string(),
        contentType: z.string(),
        sizeBytes: z.number(),
        digitized: z.boolean(),
      }),
    ),
    submittedAt: z.string(),
    receivedAt: z.string().optional(),
    deadline: deadlineSchema.optional(),
    supplement: supplementViewSchema.optional(),
    refusal: z.object({ reason: z.string(), at: z.string() }).optional(),
    fees: feesViewSchema.optional(),
    result: resultSummarySchema.optional(),
    rating: z.object({ score: z.number().int(), comment: z.string().optional(), at: z.string() }).optional(),
    forms: z.array(z.object({ form: z.enum(formNumbers), at: z.string(), href: z.string() })),
    history: z.array(historyEntrySchema).optional(),
    receipts: z
      .array(
        z.object({
          number: z
            .string()
            .describe('Số biên lai, 7 digits; it restarts each year, so read it with its series'),
          series: z.string().describe('Ký hiệu biên lai, e.g. BL-26E (the two digits are the year)'),
          issuedAt: z.string(),
          href: z.string().describe('The PDF'),
        }),
      )
      .optional()
      .describe('E-receipts issued for the fees paid, oldest first (on the full read of the dossier)'),
    version: z.number().int(),
  })
  .meta({ id: 'Dossier' });
export type DossierView = z.infer<typeof dossierViewSchema>;

export const dossierSummarySchema = z
  .object({
    code: z.string(),
    status: z.enum(statuses),
    statusLabel: localizedSchema,
    procedure: z.object({ code: z.string(), name: localizedSchema }),
    unit: z.string(),
    applicantName: z.string(),
    submittedAt: z.string(),
    appointmentDay: z.string().optional(),
  })
  .meta({ id: 'DossierSummary' });
export type DossierSummary = z.infer<typeof dossierSummarySchema>;

export const dossierPageSchema = pageOf(dossierSummarySchema, 'DossierPage');
export type DossierPage = z.infer<typeof dossierPageSchema>;

export const pageQuerySchema = z.object({ limit: limitSchema, cursor: cursorSchema.optional() });
export const branchQueueQuerySchema = pageQuerySchema.extend({
  status: z.enum(statuses).default('SUBMITTED'),
});
export const dueQuerySchema = pageQuerySchema.extend({
  until: z.iso
    .date()
    .optional()
    .describe(
      'Due on or before this day (Hanoi time); default today, so the list is what is due today or overdue',
    ),
});

export const trackingQuerySchema = z.object({
  key: z
    .string()
    .regex(/^[0-9A-HJKMNP-TV-Z]{8}$/, 'the 8-character lookup key printed on the receipt')
    .describe('Lookup key printed on the receipt'),
});

export const trackingSchema = z
  .object({
    code: z.string(),
    status: z.enum(statuses),
    statusLabel: localizedSchema,
    procedure: z.object({ code: z.string(), name: localizedSchema }),
    submittedAt: z.string(),
    receivedAt: z.string().optional(),
    appointmentDay: z.string().optional(),
    paused: z.boolean(),
    currentStep: localizedSchema,
    awaitingPayment: z
      .boolean()
      .describe(
        'The dossier waits for its fees (the national status "Yêu cầu thực hiện nghĩa vụ tài chính")',
      ),
  })
  .meta({ id: 'Tracking' });
export type Tracking = z.infer<typeof trackingSchema>;

export const formPathSchema = codePathSchema.extend({ form: z.enum(formNumbers) });
