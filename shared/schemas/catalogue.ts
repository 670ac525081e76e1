// The procedure catalogue's shapes: seed files, the admin publish route and the public read routes share them.

import { pageSchema } from './common';
import * as z from './zod';

export const procedureCodeSchema = z
  .string()
  .check(
    z.regex(/^\d\.\d{6}$/, 'a national procedure code such as 1.001193'),
    z.describe('National procedure code (mã thủ tục) from the National Public Service Portal'),
  );

export const agencyCodeSchema = z
  .string()
  .check(
    z.regex(/^[A-Z0-9][A-Z0-9.-]{1,39}$/, 'an electronic agency code such as 000.00.01.H26'),
    z.describe('Electronic agency code (mã định danh điện tử của cơ quan)'),
  );

export const localizedSchema = z.object({
  vi: z.string().check(z.minLength(1), z.maxLength(500)),
  en: z.string().check(z.minLength(1), z.maxLength(500)),
});

export const onlineLevelSchema = z
  .enum(['full', 'partial'])
  .check(z.describe('full: the whole procedure can be done online; partial: some steps need the counter'));

export const requiredDocumentSchema = z.object({
  id: z
    .string()
    .check(
      z.regex(/^[a-z0-9][a-z0-9-]{1,63}$/),
      z.describe('Stable slug of the requirement inside the procedure'),
    ),
  name: localizedSchema,
  mandatory: z.boolean(),
  copies: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(10)), 1),
  acceptedTypes: z
    .array(z.enum(['application/pdf', 'image/jpeg', 'image/png']))
    .check(z.minLength(1), z.describe('MIME types accepted for the digital copy')),
  maxSizeBytes: z.number().check(z.int(), z.minimum(1), z.maximum(20 * 1024 * 1024)),
  reusable: z.boolean().check(z.describe("May be reused from the citizen's personal data store")),
  sensitive: z
    ._default(z.boolean(), false)
    .check(z.describe('Sensitive personal data (e.g. ID-card images, Decree 356/2025)')),
});

export const feeSchema = z.object({
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,63}$/)),
  name: localizedSchema,
  amountVnd: z.number().check(z.int(), z.minimum(0), z.describe('Integer VND; 0 for free')),
  condition: z.optional(localizedSchema).check(z.describe('When this fee applies')),
});

export const questionSchema = z.object({
  id: z.string().check(z.regex(/^[a-z][a-zA-Z0-9]{1,63}$/)),
  label: localizedSchema,
  type: z.enum(['text', 'date', 'number', 'boolean', 'choice']),
  required: z.boolean(),
  options: z
    .optional(z.array(z.string().check(z.minLength(1), z.maxLength(100))).check(z.maxLength(50)))
    .check(z.describe('Allowed values of a choice')),
  integer: z.optional(z.boolean()).check(z.describe('A number question answered with a whole number')),
  min: z.optional(z.number()).check(z.describe('The smallest number accepted')),
  max: z.optional(z.number()).check(z.describe('The largest number accepted')),
});
export type Question = z.infer<typeof questionSchema>;

// Fee rules (shared/domain/fees.ts computes with them): every field beyond `feeSchema` is optional, so a plain
// fee is a rule with the common defaults.
export const feeChannelSchema = z
  .enum(['online', 'counter', 'post'])
  .check(z.describe('How the dossier was filed: online, at a counter, or by post'));
export type FeeChannel = z.infer<typeof feeChannelSchema>;

export const feeKindSchema = z
  .enum(['fee', 'charge', 'appraisal'])
  .check(z.describe('fee: phí; charge: lệ phí; appraisal: phí thẩm định (dossier appraisal fee)'));
export type FeeKind = z.infer<typeof feeKindSchema>;

export const feeKindLabels: Readonly<Record<FeeKind, z.infer<typeof localizedSchema>>> = {
  fee: { vi: 'Phí', en: 'Fee' },
  charge: { vi: 'Lệ phí', en: 'Charge' },
  appraisal: { vi: 'Phí thẩm định', en: 'Appraisal fee' },
};

export const feeSetterSchema = z
  .enum(['council', 'ministry'])
  .check(
    z.describe(
      'Who sets the amount: council = the provincial People’s Council (HĐND tỉnh); ministry = the Ministry of Finance',
    ),
  );
export type FeeSetter = z.infer<typeof feeSetterSchema>;

export const answerValueSchema = z.union([z.string().check(z.maxLength(500)), z.number(), z.boolean()]);
export type AnswerValue = z.infer<typeof answerValueSchema>;
/** The applicant's answers to the procedure's questions, by question id. */
export type Answers = Readonly<Record<string, AnswerValue>>;

const questionRef = questionSchema.shape.id.check(z.describe('Id of a question of the procedure'));
const answerIs = { question: questionRef, equals: answerValueSchema };
const answerIn = {
  question: questionRef,
  in: z.array(answerValueSchema).check(z.minLength(1), z.maxLength(50)),
};

// Strict objects so that a condition carrying both `equals` and `in` (which one wins?) is refused, not guessed.
export const answerConditionSchema = z
  .union([z.strictObject(answerIs), z.strictObject(answerIn)])
  .check(
    z.describe(
      'Holds when the answer to `question` is exactly `equals`, or one of `in`; a missing answer never holds',
    ),
  );
export type AnswerCondition = z.infer<typeof answerConditionSchema>;

export const exemptionSchema = z
  .union([
    z.strictObject({ ...answerIs, reason: localizedSchema }),
    z.strictObject({ ...answerIn, reason: localizedSchema }),
  ])
  .check(
    z.describe(
      'An answer condition under which the fee is waived (miễn), with the reason shown to the applicant',
    ),
  );
export type Exemption = z.infer<typeof exemptionSchema>;

const amountVnd = z.number().check(z.int(), z.minimum(0));

/** Units past every band's end: a band without `upTo` takes the rest, so only the last may leave it out. */
const feeBandSchema = z.strictObject({
  upTo: z
    .optional(z.number().check(z.int(), z.minimum(1)))
    .check(z.describe('The last unit of this band, inclusive; absent = all the rest')),
  amountVnd: amountVnd.check(z.describe('Integer VND per unit in this band')),
});

/**
 * A fee charged by count, from the applicant's answers: so many units (pages of the original, copies), each at the
 * fee's amount or at its band's, capped, then multiplied by another count. E.g. certifying a copy: 2,000 VND a page
 * for pages 1–2, 1,000 from page 3, at most 200,000 a copy, times the copies. The counts are whole-number questions
 * of the procedure, required, at least 1 (`quantityProblems` checks the procedure).
 */
export const feeQuantitySchema = z
  .strictObject({
    question: questionRef.check(z.describe('The whole-number question that counts the units')),
    unit: localizedSchema.check(z.describe('What one unit is (trang / page, bản / copy)')),
    bands: z
      .optional(z.array(feeBandSchema).check(z.minLength(1), z.maxLength(5)))
      .check(z.describe('Price per unit by band, in order; absent = the fee’s amount per unit')),
    maxVnd: z.optional(amountVnd).check(z.describe('The most the units cost together (before `times`)')),
    times: z
      .optional(z.strictObject({ question: questionRef, unit: localizedSchema }))
      .check(z.describe('Another count that multiplies the (capped) amount, e.g. copies')),
  })
  .check(
    z.superRefine((quantity, ctx) => {
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
    }),
  );
export type FeeQuantity = z.infer<typeof feeQuantitySchema>;

/** A rate in force for a period, as a percentage of the fee's amount: Circular 64/2025/TT-BTC's 50% is one. */
export const feePeriodRateSchema = z
  .strictObject({
    validFrom: z.iso.date().check(z.describe('First day in force, Vietnam local day, inclusive')),
    validTo: z.iso.date().check(z.describe('Last day in force, Vietnam local day, inclusive')),
    percent: z.number().check(z.int(), z.minimum(0), z.maximum(100)),
    basis: localizedSchema.check(z.describe('The text that sets it, as the applicant reads it')),
    source: z.url(),
  })
  .check(
    z.refine((rate) => rate.validFrom <= rate.validTo, {
      message: 'validFrom is after validTo',
      path: ['validTo'],
    }),
  );
export type FeePeriodRate = z.infer<typeof feePeriodRateSchema>;

/**
 * A catalogue fee with the facts the fee rules need. Every field beyond `feeSchema` is optional, so each fee the
 * catalogue holds today parses unchanged; the defaults are the common case (a council-set lệ phí on every channel).
 */
export const feeRuleSchema = z
  .extend(feeSchema, {
    kind: z.optional(feeKindSchema).check(z.describe('Absent = charge (lệ phí)')),
    setBy: z.optional(feeSetterSchema).check(z.describe('Absent = council')),
    channels: z
      .optional(z.array(feeChannelSchema).check(z.minLength(1)))
      .check(z.describe('Channels on which this fee is charged; absent = every channel')),
    amountByChannel: z
      .optional(
        z.strictObject({
          online: z.optional(amountVnd),
          counter: z.optional(amountVnd),
          post: z.optional(amountVnd),
        }),
      )
      .check(z.describe('Integer VND per channel, overriding amountVnd on that channel')),
    appliesWhen: z
      .optional(answerConditionSchema)
      .check(z.describe('Charged only when this holds; absent = always')),
    exemptWhen: z.optional(exemptionSchema),
    quantity: z
      .optional(feeQuantitySchema)
      .check(z.describe('Charged by count from the answers; absent = one amount')),
    periodRates: z
      .optional(z.array(feePeriodRateSchema))
      .check(
        z.describe(
          'Rates set for a period (a ministry halving a fee for a year and a half): on a filing day inside one, the amount is that percentage of amountVnd (or of the channel amount)',
        ),
      ),
    source: z.optional(z.url()).check(z.describe('Legal basis of the amount')),
  })
  .check(
    z.superRefine((fee, ctx) => {
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
    }),
  );
export type FeeRule = z.infer<typeof feeRuleSchema>;
/** A fee as written in the catalogue (defaults not yet applied); a plain `Fee` is one. */
export type FeeRuleInput = z.input<typeof feeRuleSchema>;

export const feesDueWhenSchema = z
  .enum(['before-processing', 'before-release', 'none'])
  .check(
    z.describe(
      'before-processing: thu trước (paid before the dossier is handled); before-release: thu sau (paid before the result is released); none: nothing to pay',
    ),
  );
export type FeesDueWhen = z.infer<typeof feesDueWhenSchema>;

export const routeStepSchema = z
  .object({
    agency: agencyCodeSchema,
    task: localizedSchema,
    workingDays: z
      .number()
      .check(z.minimum(0), z.maximum(365), z.describe('Working-day budget of this step; 0 = same day')),
    forwardTo: z
      .optional(z.array(agencyCodeSchema).check(z.minLength(1), z.maxLength(20)))
      .check(
        z.describe(
          'Agencies the step may be forwarded to (e.g. the ward of the applicant’s residence); the step’s agency and these may hand it to each other, its clock running on. Absent: no forward',
        ),
      ),
  })
  .check(
    z.refine((step) => !step.forwardTo?.includes(step.agency), {
      message: 'a step is not forwarded to its own agency',
      path: ['forwardTo'],
    }),
    z.refine((step) => new Set(step.forwardTo).size === (step.forwardTo?.length ?? 0), {
      message: 'forward targets are listed once each',
      path: ['forwardTo'],
    }),
  );

export const routeStageSchema = z.object({
  steps: z.array(routeStepSchema).check(z.minLength(1), z.describe('Steps of one stage run in parallel')),
});

export const procedureSchema = z.object({
  code: procedureCodeSchema,
  name: localizedSchema,
  field: z
    .string()
    .check(
      z.regex(/^[a-z0-9][a-z0-9-]{1,63}$/),
      z.describe('Field slug, e.g. civil-status, residence, land'),
    ),
  fieldName: localizedSchema,
  level: z.enum(['central', 'province', 'commune']).check(z.describe('Level that resolves the procedure')),
  competentAgency: agencyCodeSchema,
  onlineLevel: onlineLevelSchema,
  requiredDocuments: z.array(requiredDocumentSchema).check(z.maxLength(50)),
  questions: z
    ._default(z.array(questionSchema).check(z.maxLength(50)), [])
    .check(z.describe('What the applicant answers in the filing form')),
  fees: z.array(feeRuleSchema).check(z.maxLength(20)),
  feesDueWhen: z
    .optional(feesDueWhenSchema)
    .check(
      z.describe(
        'When the fees are due; absent = before processing when any fee can cost something, else none',
      ),
    ),
  processingTime: z.object({
    workingDays: z.number().check(z.minimum(0), z.maximum(365)),
    note: z.optional(localizedSchema),
  }),
  route: z.array(routeStageSchema).check(z.minLength(1), z.maxLength(10)),
  interconnected: z
    ._default(z.boolean(), false)
    .check(z.describe('One dossier routed across agencies (Decree 63/2024)')),
  resultType: localizedSchema,
  legalBasis: z.array(z.string().check(z.minLength(1), z.maxLength(300))).check(z.minLength(1)),
  source: z.url().check(z.describe('Public page this entry was taken from')),
  effectiveFrom: z.iso.date(),
  effectiveTo: z.optional(z.iso.date()),
});
export type Procedure = z.infer<typeof procedureSchema>;

export const agencySchema = z.object({
  code: agencyCodeSchema,
  name: localizedSchema,
  kind: z.enum(['department', 'commune', 'police', 'social-insurance', 'tax', 'center', 'other']),
  parent: z.optional(agencyCodeSchema),
});
export type Agency = z.infer<typeof agencySchema>;

export const agencyPageSchema = pageSchema(agencySchema, 'AgencyPage');
export type AgencyPage = z.infer<typeof agencyPageSchema>;

export const branchSchema = z.object({
  code: agencyCodeSchema.check(
    z.describe('Electronic ID of the receiving unit, the prefix of its dossier codes'),
  ),
  name: localizedSchema,
  address: z.string().check(z.minLength(1), z.maxLength(300)),
  communes: z
    .array(z.string().check(z.minLength(1), z.maxLength(100)))
    .check(z.describe('Communes and wards this branch serves')),
});
export type Branch = z.infer<typeof branchSchema>;

export const branchPageSchema = pageSchema(branchSchema, 'BranchPage');
export type BranchPage = z.infer<typeof branchPageSchema>;

export const procedureVersionSchema = z
  .extend(procedureSchema, {
    version: z.number().check(z.int(), z.minimum(1)),
    publishedAt: z.iso.datetime({ offset: true }),
  })
  .check(z.meta({ id: 'ProcedureVersion' }));
export type ProcedureVersion = z.infer<typeof procedureVersionSchema>;

export const procedureSummarySchema = z
  .object({
    code: procedureCodeSchema,
    version: z.number().check(z.int()),
    name: localizedSchema,
    field: z.string(),
    fieldName: localizedSchema,
    competentAgency: agencyCodeSchema,
    onlineLevel: onlineLevelSchema,
    processingDays: z.number(),
    feeFromVnd: z.number().check(z.int(), z.describe('Lowest fee; 0 when free')),
    interconnected: z.boolean(),
  })
  .check(z.meta({ id: 'ProcedureSummary' }));
export type ProcedureSummary = z.infer<typeof procedureSummarySchema>;

export const procedurePageSchema = pageSchema(procedureSummarySchema, 'ProcedurePage');
export type ProcedurePage = z.infer<typeof procedurePageSchema>;

export const partnerProfileSchema = z
  .object({ agency: agencySchema, procedures: z.array(procedureSummarySchema) })
  .check(z.meta({ id: 'PartnerProfile' }));
export type PartnerProfile = z.infer<typeof partnerProfileSchema>;

export const searchProceduresQuerySchema = z.object({
  q: z
    .optional(z.string().check(z.trim(), z.maxLength(200)))
    .check(z.describe('Words to find; diacritics and case are ignored')),
  field: z.optional(z.string().check(z.maxLength(64))),
  agency: z
    .optional(agencyCodeSchema)
    .check(
      z.describe('Competent agency, or an agency on the route (a step’s, or one a step may be forwarded to)'),
    ),
  onlineLevel: z.optional(onlineLevelSchema),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  cursor: z.optional(z.string().check(z.maxLength(512), z.regex(/^[A-Za-z0-9_-]+$/))),
});
export type SearchProceduresQuery = z.infer<typeof searchProceduresQuerySchema>;

export const procedureCodePathSchema = z.object({ code: procedureCodeSchema });
export const procedureVersionQuerySchema = z.object({
  version: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100000))),
});
