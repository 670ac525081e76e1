// Shapes of the dossier routes: filing, intake decisions, reads and public tracking.
import { statuses } from '../domain/dossier';
import { formNumbers } from '../domain/forms';
import { isCitizenId } from '../domain/identity-numbers';
import { agencyCodeSchema, localizedSchema, procedureCodeSchema } from './catalogue';
import { cursorSchema, lazySchema, limitSchema, pageSchema } from './common';
import { resultSummarySchema } from './results';
import * as z from './zod';

export const dossierCodeSchema = z
  .string()
  .check(
    z.regex(/^[A-Z0-9][A-Z0-9.]{1,39}-\d{6}-\d{4,6}$/, 'a dossier code such as 000.02.01.H26-261127-0042'),
    z.describe('Dossier code: receiving unit, -YYMMDD-, daily sequence'),
  );

export const citizenIdSchema = z.string().check(
  z.refine((value) => isCitizenId(value), '12 digits: a valid citizen ID (CCCD)'),
  z.describe('Citizen ID (CCCD), 12 digits'),
);

// The id is registered on a clone, as classic `.meta()` did, not as a check: `z.extend` refuses to overwrite keys of
// an object carrying checks, and would copy the id onto the extended copy.
export const applicantSchema = z
  .object({
    fullName: z.string().check(z.trim(), z.minLength(2), z.maxLength(100)),
    citizenId: citizenIdSchema,
    dateOfBirth: z.optional(z.iso.date()),
    phone: z.optional(z.string().check(z.regex(/^(\+84|0)\d{9,10}$/, 'a Vietnamese phone number'))),
    email: z.optional(z.email().check(z.maxLength(200))),
    address: z.optional(z.string().check(z.trim(), z.minLength(3), z.maxLength(300))),
    notify: z
      .optional(
        z.object({
          channels: z.array(z.enum(['email', 'sms'])).check(z.maxLength(2)),
          language: z.enum(['vi', 'en']),
        }),
      )
      .check(
        z.describe(
          'How the applicant hears of their dossier; without it: every channel they gave a contact for, in Vietnamese',
        ),
      ),
  })
  .clone()
  .register(z.globalRegistry, { id: 'Applicant' });

const idSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/));

export const documentReferenceSchema = z.union([
  z.strictObject({ requirementId: z.string().check(z.maxLength(64)), uploadId: idSchema }),
  z
    .strictObject({ requirementId: z.string().check(z.maxLength(64)), personalDocumentId: idSchema })
    .check(z.describe('Reuse a verified document from the personal data store')),
]);

export const answersSchema = z._default(
  z
    .record(
      z.string().check(z.maxLength(64)),
      z.union([z.string().check(z.maxLength(2000)), z.number(), z.boolean()]),
    )
    .check(z.refine((answers) => Object.keys(answers).length <= 100, 'at most 100 answers')),
  {},
);

// Registered on a clone, not as a check: `z.omit` refuses an object carrying checks (see applicantSchema).
export const fileDossierSchema = z
  .object({
    procedureCode: procedureCodeSchema,
    unit: agencyCodeSchema.check(z.describe('The branch that receives the dossier')),
    applicant: applicantSchema,
    answers: answersSchema,
    documents: z.array(documentReferenceSchema).check(z.maxLength(50)),
  })
  .clone()
  .register(z.globalRegistry, { id: 'FileDossier' });
export type FileDossierInput = z.infer<typeof fileDossierSchema>;

export const counterIntakeSchema = z
  .omit(fileDossierSchema, { unit: true })
  .check(z.meta({ id: 'CounterIntake' }));

export const codePathSchema = z.object({ code: dossierCodeSchema });

export const reasonSchema = z
  .object({ reason: z.string().check(z.trim(), z.minLength(3), z.maxLength(1000)) })
  .check(z.meta({ id: 'Reason' }));

export const supplementRequestSchema = z
  .object({
    items: z
      .array(
        z.object({
          name: z.string().check(z.trim(), z.minLength(2), z.maxLength(300)),
          reason: z.string().check(z.trim(), z.minLength(2), z.maxLength(500)),
          requirementId: z.optional(z.string().check(z.maxLength(64))),
        }),
      )
      .check(z.minLength(1), z.maxLength(30)),
    reason: z.optional(z.string().check(z.trim(), z.minLength(3), z.maxLength(1000))),
  })
  .check(z.meta({ id: 'SupplementRequest' }));

export const supplementSchema = z
  .object({
    documents: z._default(z.array(documentReferenceSchema).check(z.maxLength(50)), []),
    answers: answersSchema,
  })
  .check(z.meta({ id: 'Supplement' }));

const historyEntrySchema = lazySchema(() =>
  z.object({
    seq: z.number().check(z.int()),
    at: z.string(),
    action: z.string(),
    from: z.nullable(z.enum(statuses)),
    to: z.enum(statuses),
    actor: z.object({ kind: z.string(), name: z.optional(z.string()), branch: z.optional(z.string()) }),
    reason: z.optional(z.string()),
  }),
);

export const deadlineSchema = lazySchema(() =>
  z.object({
    workingDays: z.number().check(z.int()),
    receivedAt: z.string(),
    appointmentDay: z.iso.date(),
    paused: z.boolean(),
    pauses: z.array(z.object({ from: z.string(), to: z.optional(z.string()) })),
    basis: z.array(
      z.object({
        year: z.number().check(z.int()),
        decided: z.boolean(),
        source: z.optional(z.string()),
        statutoryOnly: z.array(z.string()),
      }),
    ),
    computedAt: z.iso
      .datetime({ offset: true })
      .check(z.describe('When the appointment day was last computed: receipt, a pause, or a resume')),
  }),
);

export const supplementViewSchema = lazySchema(() =>
  z.object({
    items: z.array(
      z.object({
        name: z.string(),
        reason: z.string(),
        requirementId: z
          .optional(z.string())
          .check(z.describe("The procedure's required document to send again, when the officer named one")),
      }),
    ),
    requestedAt: z.string(),
  }),
);

export const paymentViewSchema = lazySchema(() =>
  z
    .object({
      id: z.string().check(z.describe("Our payment id, the provider's reference")),
      provider: z.string(),
      amountVnd: z.number().check(z.int()),
      status: z.enum(['pending', 'paid', 'failed', 'expired']),
      createdAt: z.string(),
      expiresAt: z.string().check(z.describe('The provider takes no money after this')),
      redirectUrl: z
        .optional(z.string())
        .check(
          z.describe("The provider's checkout page, while the payment is pending: send the browser there"),
        ),
      settledAt: z.optional(z.string()),
      providerTransactionNo: z.optional(z.string()),
    })
    .check(z.meta({ id: 'Payment' })),
);
export type PaymentView = z.infer<ReturnType<typeof paymentViewSchema>>;

export const feesViewSchema = lazySchema(() =>
  z.object({
    items: z.array(
      z.object({
        feeId: z.string(),
        name: localizedSchema,
        baseVnd: z.number().check(z.int()),
        dueVnd: z.number().check(z.int()),
        periodRate: z
          .optional(z.object({ percent: z.number().check(z.int()), basis: localizedSchema }))
          .check(z.describe('A rate set for a period, in force on the filing day, that made baseVnd')),
        relief: z.optional(z.object({ id: z.string(), name: localizedSchema })),
        exemption: z.optional(localizedSchema),
        condition: z
          .optional(localizedSchema)
          .check(z.describe('A condition the receiving officer confirms')),
        quantity: z
          .optional(
            z.object({
              count: z.number().check(z.int()),
              unit: localizedSchema,
              times: z.optional(z.object({ count: z.number().check(z.int()), unit: localizedSchema })),
            }),
          )
          .check(
            z.describe(
              'How a fee charged by count was counted from the answers (baseVnd is for all of them)',
            ),
          ),
      }),
    ),
    totalVnd: z.number().check(z.int()),
    dueWhen: z.enum(['before-processing', 'before-release', 'none']),
    paidVnd: z.number().check(z.int()),
    outstandingVnd: z.number().check(z.int()),
    refundDueVnd: z.number().check(z.int()),
    refundedVnd: z.number().check(z.int()),
    refunds: z.array(
      z.object({
        id: z.string(),
        paymentId: z.string(),
        amountVnd: z.number().check(z.int()),
        kind: z.enum(['full', 'partial']),
        status: z.enum(['pending', 'refunded', 'failed']),
        requestedAt: z.string(),
        settledAt: z.optional(z.string()),
      }),
    ),
    awaitingPayment: z
      .boolean()
      .check(z.describe('The dossier waits for its fees (national status: financial obligation)')),
    payments: z.array(paymentViewSchema()),
  }),
);

// Registered on a clone, not as a check, so it can be extended like the classic schema (see applicantSchema).
export const dossierViewSchema = lazySchema(() =>
  z
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
      applicant: z.extend(applicantSchema, { citizenId: z.string().check(z.describe('Masked')) }),
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
      receivedAt: z.optional(z.string()),
      deadline: z.optional(deadlineSchema()),
      supplement: z.optional(supplementViewSchema()),
      refusal: z.optional(z.object({ reason: z.string(), at: z.string() })),
      fees: z.optional(feesViewSchema()),
      result: z.optional(resultSummarySchema),
      rating: z.optional(
        z.object({ score: z.number().check(z.int()), comment: z.optional(z.string()), at: z.string() }),
      ),
      forms: z.array(z.object({ form: z.enum(formNumbers), at: z.string(), href: z.string() })),
      history: z.optional(z.array(historyEntrySchema())),
      receipts: z
        .optional(
          z.array(
            z.object({
              number: z
                .string()
                .check(
                  z.describe('Số biên lai, 7 digits; it restarts each year, so read it with its series'),
                ),
              series: z
                .string()
                .check(z.describe('Ký hiệu biên lai, e.g. BL-26E (the two digits are the year)')),
              issuedAt: z.string(),
              href: z.string().check(z.describe('The PDF')),
            }),
          ),
        )
        .check(
          z.describe('E-receipts issued for the fees paid, oldest first (on the full read of the dossier)'),
        ),
      version: z.number().check(z.int()),
    })
    .clone()
    .register(z.globalRegistry, { id: 'Dossier' }),
);
export type DossierView = z.infer<ReturnType<typeof dossierViewSchema>>;

export const dossierSummarySchema = z
  .object({
    code: z.string(),
    status: z.enum(statuses),
    statusLabel: localizedSchema,
    procedure: z.object({ code: z.string(), name: localizedSchema }),
    unit: z.string(),
    applicantName: z.string(),
    submittedAt: z.string(),
    appointmentDay: z.optional(z.string()),
  })
  .check(z.meta({ id: 'DossierSummary' }));
export type DossierSummary = z.infer<typeof dossierSummarySchema>;

export const dossierPageSchema = pageSchema(dossierSummarySchema, 'DossierPage');
export type DossierPage = z.infer<typeof dossierPageSchema>;

export const pageQuerySchema = z.object({ limit: limitSchema, cursor: z.optional(cursorSchema) });
export const branchQueueQuerySchema = z.extend(pageQuerySchema, {
  status: z._default(z.enum(statuses), 'SUBMITTED'),
});
export const dueQuerySchema = z.extend(pageQuerySchema, {
  until: z
    .optional(z.iso.date())
    .check(
      z.describe(
        'Due on or before this day (Hanoi time); default today, so the list is what is due today or overdue',
      ),
    ),
});

export const trackingQuerySchema = z.object({
  key: z
    .string()
    .check(
      z.regex(/^[0-9A-HJKMNP-TV-Z]{8}$/, 'the 8-character lookup key printed on the receipt'),
      z.describe('Lookup key printed on the receipt'),
    ),
});

// Registered on a clone, not as a check, so it can be extended and omitted like the classic schema (see applicantSchema).
export const trackingSchema = lazySchema(() =>
  z
    .object({
      code: z.string(),
      status: z.enum(statuses),
      statusLabel: localizedSchema,
      procedure: z.object({ code: z.string(), name: localizedSchema }),
      submittedAt: z.string(),
      receivedAt: z.optional(z.string()),
      appointmentDay: z.optional(z.string()),
      paused: z.boolean(),
      currentStep: localizedSchema,
      awaitingPayment: z
        .boolean()
        .check(
          z.describe(
            'The dossier waits for its fees (the national status "Yêu cầu thực hiện nghĩa vụ tài chính")',
          ),
        ),
    })
    .clone()
    .register(z.globalRegistry, { id: 'Tracking' }),
);
export type Tracking = z.infer<ReturnType<typeof trackingSchema>>;

export const formPathSchema = z.extend(codePathSchema, { form: z.enum(formNumbers) });
