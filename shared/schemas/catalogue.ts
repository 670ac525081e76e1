// The procedure catalogue's shapes: seed files, the admin publish route and the public read routes share them.
import * as z from 'zod';
import { pageOf } from './common';

export const procedureCodeSchema = z
  .string()
  .regex(/^\d\.\d{6}$/, 'a national procedure code such as 1.001193')
  .describe('National procedure code (mã thủ tục) from the National Public Service Portal');

export const agencyCodeSchema = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9.-]{1,39}$/, 'an electronic agency code such as 000.00.01.H26')
  .describe('Electronic agency code (mã định danh điện tử của cơ quan)');

export const localizedSchema = z.object({
  vi: z.string().min(1).max(500),
  en: z.string().min(1).max(500),
});

export const onlineLevelSchema = z
  .enum(['full', 'partial'])
  .describe('full: the whole procedure can be done online; partial: some steps need the counter');

export const requiredDocumentSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,63}$/)
    .describe('Stable slug of the requirement inside the procedure'),
  name: localizedSchema,
  mandatory: z.boolean(),
  copies: z.number().int().min(1).max(10).default(1),
  acceptedTypes: z
    .array(z.enum(['application/pdf', 'image/jpeg', 'image/png']))
    .min(1)
    .describe('MIME types accepted for the digital copy'),
  maxSizeBytes: z
    .number()
    .int()
    .min(1)
    .max(20 * 1024 * 1024),
  reusable: z.boolean().describe("May be reused from the citizen's personal data store"),
  sensitive: z
    .boolean()
    .default(false)
    .describe('Sensitive personal data (e.g. ID-card images, Decree 356/2025)'),
});

export const feeSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/),
  name: localizedSchema,
  amountVnd: z.number().int().min(0).describe('Integer VND; 0 for free'),
  condition: localizedSchema.optional().describe('When this fee applies'),
});

export const questionSchema = z.object({
  id: z.string().regex(/^[a-z][a-zA-Z0-9]{1,63}$/),
  label: localizedSchema,
  type: z.enum(['text', 'date', 'number', 'boolean', 'choice']),
  required: z.boolean(),
  options: z.array(z.string().min(1).max(100)).max(50).optional().describe('Allowed values of a choice'),
  integer: z.boolean().optional().describe('A number question answered with a whole number'),
  min: z.number().optional().describe('The smallest number accepted'),
  max: z.number().optional().describe('The largest number accepted'),
});
export type Question = z.infer<typeof questionSchema>;

// Fee rules (shared/domain/fees.ts computes with them): every field beyond `feeSchema` is optional, so a plain
// fee is a rule with the common defaults.
export const feeChannelSchema = z
  .enum(['online', 'counter', 'post'])
  .describe('How the dossier was filed: online, at a counter, or by post');
export type FeeChannel = z.infer<typeof feeChannelSchema>;

export const feeKindSchema = z
  .enum(['fee', 'charge', 'appraisal'])
  .describe('fee: phí; charge: lệ phí; appraisal: phí thẩm định (dossier appraisal fee)');
export type FeeKind = z.infer<typeof feeKindSchema>;

export const feeKindLabels: Readonly<Record<FeeKind, z.infer<typeof localizedSchema>>> = {
  fee: { vi: 'Phí', en: 'Fee' },
  charge: { vi: 'Lệ phí', en: 'Charge' },
  appraisal: { vi: 'Phí thẩm định', en: 'Appraisal fee' },
};

export const feeSetterSchema = z
  .enum(['council', 'ministry'])
  .describe(
    'Who sets the amount: council = the provincial People’s Council (HĐND tỉnh); ministry = the Ministry of Finance',
  );
export type FeeSetter = z.infer<typeof feeSetterSchema>;

export const answerValueSchema = z.union([z.string().max(500), z.number(), z.boolean()]);
export type AnswerValue = z.infer<typeof answerValueSchema>;
/** The applicant's answers to the procedure's questions, by question id. */
export type Answers = Readonly<Record<string, AnswerValue>>;

const questionRef = questionSchema.shape.id.describe('Id of a question of the procedure');
const answerIs = { question: questionRef, equals: answerValueSchema };
const answerIn = { question: questionRef, in: z.array(answerValueSchema).min(1).max(50) };

// Strict objects so that a condition carrying both `equals` and `in` (which one wins?) is refused, not guessed.
export const answerConditionSchema = z
  .union([z.strictObject(answerIs), z.strictObject(answerIn)])
  .describe(
    'Holds when the answer to `question` is exactly `equals`, or one of `in`; a missing answer never holds',
  );
export type AnswerCondition = z.infer<typeof answerConditionSchema>;

export const exemptionSchema = z
  .union([
    z.strictObject({ ...answerIs, reason: localizedSchema }),
    z.strictObject({ ...answerIn, reason: localizedSchema }),
  ])
  .describe(
    'An answer condition under which the fee is waived (miễn), with the reason shown to the applicant',
  );
export type Exemption = z.infer<typeof exemptionSchema>;

const amountVnd = z.number().int().min(0);

/** Units past every band's end: a band without `upTo` takes the rest, so only the last may leave it out. */
const feeBandSchema = z.strictObject({
  upTo: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('The last unit of this band, inclusive; absent = all the rest'),
  amountVnd: amountVnd.describe('Integer VND per unit in this band'),
});

/**
 * A fee charged by count, from the applicant's answers: so many units (pages of the original, copies), each at the
 * fee's amount or at its band's, capped, then multiplied by another count. E.g. certifying a copy: 2,000 VND a page
 * for pages 1–2, 1,000 from page 3, at most 200,000 a copy, times the copies. The counts are whole-number questions
 * of the procedure, required, at least 1 (`quantityProblems` checks the procedure).
 */
export const feeQuantitySchema = z
  .strictObject({
    question: questionRef.describe('The whole-number question that counts the units'),
    unit: localizedSchema.describe('What one unit is (trang / page, bản / copy)'),
    bands: z
      .array(feeBandSchema)
      .min(1)
      .max(5)
      .optional()
      .describe('Price per unit by band, in order; absent = the fee’s amount per unit'),
    maxVnd: amountVnd.optional().describe('The most the units cost together (before `times`)'),
    times: z
      .strictObject({ question: questionRef, unit: localizedSchema })
      .optional()
      .describe('Another count that multiplies the (capped) amount, e.g. copies'),
  })
  .superRefine((quantity, ctx) => {
    const bands = quantity.bands ?? [];
    bands.forEach((band, index) => {
      const last = index === bands.length - 1;
      if (last !== (band.upTo === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['bands', index, 'upTo'],
          message: last
            ? 'the last band takes all the rest: no upTo'
            : 'every band but the last ends at an upTo',
        });
      }
      const previous = bands[index - 1]?.upTo;
      if (band.upTo !== undefined && previous !== undefined && band.upTo <= previous) {
        ctx.addIssue({ code: 'custom', path: ['bands', index, 'upTo'], message: 'bands go up' });
      }
    });
    if (quantity.times?.question === quantity.question) {
      ctx.addIssue({
        code: 'custom',
        path: ['times', 'question'],
        message: 'a count cannot multiply itself',
      });
    }
  });
export type FeeQuantity = z.infer<typeof feeQuantitySchema>;

/** A rate in force for a period, as a percentage of the fee's amount: Circular 64/2025/TT-BTC's 50% is one. */
export const feePeriodRateSchema = z
  .strictObject({
    validFrom: z.iso.date().describe('First day in force, Vietnam local day, inclusive'),
    validTo: z.iso.date().describe('Last day in force, Vietnam local day, inclusive'),
    percent: z.number().int().min(0).max(100),
    basis: localizedSchema.describe('The text that sets it, as the applicant reads it'),
    source: z.url(),
  })
  .refine((rate) => rate.validFrom <= rate.validTo, {
    message: 'validFrom is after validTo',
    path: ['validTo'],
  });
export type FeePeriodRate = z.infer<typeof feePeriodRateSchema>;

/**
 * A catalogue fee with the facts the fee rules need. Every field beyond `feeSchema` is optional, so each fee the
 * catalogue holds today parses unchanged; the defaults are the common case (a council-set lệ phí on every channel).
 */
export const feeRuleSchema = feeSchema
  .extend({
    kind: feeKindSchema.optional().describe('Absent = charge (lệ phí)'),
    setBy: feeSetterSchema.optional().describe('Absent = council'),
    channels: z
      .array(feeChannelSchema)
      .min(1)
      .optional()
      .describe('Channels on which this fee is charged; absent = every channel'),
    amountByChannel: z
      .strictObject({
        online: amountVnd.optional(),
        counter: amountVnd.optional(),
        post: amountVnd.optional(),
      })
      .optional()
      .describe('Integer VND per channel, overriding amountVnd on that channel'),
    appliesWhen: answerConditionSchema.optional().describe('Charged only when this holds; absent = always'),
    exemptWhen: exemptionSchema.optional(),
    quantity: feeQuantitySchema.optional().describe('Charged by count from the answers; absent = one amount'),
    periodRates: z
      .array(feePeriodRateSchema)
      .optional()
      .describe(
        'Rates set for a period (a ministry halving a fee for a year and a half): on a filing day inside one, the amount is that percentage of amountVnd (or of the channel amount)',
      ),
    source: z.url().optional().describe('Legal basis of the amount'),
  })
  .superRefine((fee, ctx) => {
    const periods = [...(fee.periodRates ?? [])].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
    for (let i = 1; i < periods.length; i += 1) {
      if (periods[i]!.validFrom <= periods[i - 1]!.validTo) {
        ctx.addIssue({ code: 'custom', path: ['periodRates'], message: 'two rates overlap' });
      }
    }
    if (fee.channels && new Set(fee.channels).size !== fee.channels.length) {
      ctx.addIssue({ code: 'custom', path: ['channels'], message: 'a channel is listed twice' });
    }
    if (fee.quantity?.bands && fee.amountByChannel) {
      ctx.addIssue({
        code: 'custom',
        path: ['amountByChannel'],
        message: 'a fee priced by bands has no amount per channel',
      });
    }
    for (const channel of Object.keys(fee.amountByChannel ?? {}) as FeeChannel[]) {
      if (fee.channels && !fee.channels.includes(channel)) {
        ctx.addIssue({
          code: 'custom',
          path: ['amountByChannel', channel],
          message: `an amount for ${channel}, a channel this fee is not charged on`,
        });
      }
    }
  });
export type FeeRule = z.infer<typeof feeRuleSchema>;
/** A fee as written in the catalogue (defaults not yet applied); a plain `Fee` is one. */
export type FeeRuleInput = z.input<typeof feeRuleSchema>;

export const feesDueWhenSchema = z
  .enum(['before-processing', 'before-release', 'none'])
  .describe(
    'before-processing: thu trước (paid before the dossier is handled); before-release: thu sau (paid before the result is released); none: nothing to pay',
  );
export type FeesDueWhen = z.infer<typeof feesDueWhenSchema>;

export const routeStepSchema = z
  .object({
    agency: agencyCodeSchema,
    task: localizedSchema,
    workingDays: z.number().min(0).max(365).describe('Working-day budget of this step; 0 = same day'),
    forwardTo: z
      .array(agencyCodeSchema)
      .min(1)
      .max(20)
      .optional()
      .describe(
        'Agencies the step may be forwarded to (e.g. the ward of the applicant’s residence); the step’s agency and these may hand it to each other, its clock running on. Absent: no forward',
      ),
  })
  .refine((step) => !step.forwardTo?.includes(step.agency), {
    message: 'a step is not forwarded to its own agency',
    path: ['forwardTo'],
  })
  .refine((step) => new Set(step.forwardTo).size === (step.forwardTo?.length ?? 0), {
    message: 'forward targets are listed once each',
    path: ['forwardTo'],
  });

export const routeStageSchema = z.object({
  steps: z.array(routeStepSchema).min(1).describe('Steps of one stage run in parallel'),
});

export const procedureSchema = z.object({
  code: procedureCodeSchema,
  name: localizedSchema,
  field: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,63}$/)
    .describe('Field slug, e.g. civil-status, residence, land'),
  fieldName: localizedSchema,
  level: z.enum(['central', 'province', 'commune']).describe('Level that resolves the procedure'),
  competentAgency: agencyCodeSchema,
  onlineLevel: onlineLevelSchema,
  requiredDocuments: z.array(requiredDocumentSchema).max(50),
  questions: z
    .array(questionSchema)
    .max(50)
    .default([])
    .describe('What the applicant answers in the filing form'),
  fees: z.array(feeRuleSchema).max(20),
  feesDueWhen: feesDueWhenSchema
    .optional()
    .describe('When the fees are due; absent = before processing when any fee can cost something, else none'),
  processingTime: z.object({
    workingDays: z.number().min(0).max(365),
    note: localizedSchema.optional(),
  }),
  route: z.array(routeStageSchema).min(1).max(10),
  interconnected: z.boolean().default(false).describe('One dossier routed across agencies (Decree 63/2024)'),
  resultType: localizedSchema,
  legalBasis: z.array(z.string().min(1).max(300)).min(1),
  source: z.url().describe('Public page this entry was taken from'),
  effectiveFrom: z.iso.date(),
  effectiveTo: z.iso.date().optional(),
});
export type Procedure = z.infer<typeof procedureSchema>;

export const agencySchema = z.object({
  code: agencyCodeSchema,
  name: localizedSchema,
  kind: z.enum(['department', 'commune', 'police', 'social-insurance', 'tax', 'center', 'other']),
  parent: agencyCodeSchema.optional(),
});
export type Agency = z.infer<typeof agencySchema>;

export const agencyPageSchema = pageOf(agencySchema, 'AgencyPage');
export type AgencyPage = z.infer<typeof agencyPageSchema>;

export const branchSchema = z.object({
  code: agencyCodeSchema.describe('Electronic ID of the receiving unit, the prefix of its dossier codes'),
  name: localizedSchema,
  address: z.string().min(1).max(300),
  communes: z.array(z.string().min(1).max(100)).describe('Communes and wards this branch serves'),
});
export type Branch = z.infer<typeof branchSchema>;

export const branchPageSchema = pageOf(branchSchema, 'BranchPage');
export type BranchPage = z.infer<typeof branchPageSchema>;

export const procedureVersionSchema = procedureSchema
  .extend({
    version: z.number().int().min(1),
    publishedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'ProcedureVersion' });
export type ProcedureVersion = z.infer<typeof procedureVersionSchema>;

export const procedureSummarySchema = z
  .object({
    code: procedureCodeSchema,
    version: z.number().int(),
    name: localizedSchema,
    field: z.string(),
    fieldName: localizedSchema,
    competentAgency: agencyCodeSchema,
    onlineLevel: onlineLevelSchema,
    processingDays: z.number(),
    feeFromVnd: z.number().int().describe('Lowest fee; 0 when free'),
    interconnected: z.boolean(),
  })
  .meta({ id: 'ProcedureSummary' });
export type ProcedureSummary = z.infer<typeof procedureSummarySchema>;

export const procedurePageSchema = pageOf(procedureSummarySchema, 'ProcedurePage');
export type ProcedurePage = z.infer<typeof procedurePageSchema>;

export const partnerProfileSchema = z
  .object({ agency: agencySchema, procedures: z.array(procedureSummarySchema) })
  .meta({ id: 'PartnerProfile' });
export type PartnerProfile = z.infer<typeof partnerProfileSchema>;

export const searchProceduresQuerySchema = z.object({
  q: z.string().trim().max(200).optional().describe('Words to find; diacritics and case are ignored'),
  field: z.string().max(64).optional(),
  agency: agencyCodeSchema
    .optional()
    .describe('Competent agency, or an agency on the route (a step’s, or one a step may be forwarded to)'),
  onlineLevel: onlineLevelSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .max(512)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
});
export type SearchProceduresQuery = z.infer<typeof searchProceduresQuerySchema>;

export const procedureCodePathSchema = z.object({ code: procedureCodeSchema });
export const procedureVersionQuerySchema = z.object({
  version: z.coerce.number().int().min(1).max(100000).optional(),
});
