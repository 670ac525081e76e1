// Shapes of the statistics API: the Decision 766 service index, the daily trend, the branches compared, a unit's
// procedures. Aggregates only: no dossier code, name or ID ever appears in them.
import { statCounters } from '../domain/statistics';
import { agencyCodeSchema } from './catalogue';
import * as z from './zod';

/** A period of Vietnam-local days, both ends optional, `to` not before `from`. */
const periodFields = {
  from: z
    .optional(z.iso.date())
    .check(z.describe('First Vietnam-local day (inclusive); default: 29 days before `to`')),
  to: z.optional(z.iso.date()).check(z.describe('Last Vietnam-local day (inclusive); default: today')),
};
type Period = { from?: string | undefined; to?: string | undefined };
const toNotBeforeFrom = z.refine<Period>((q) => !q.from || !q.to || q.from <= q.to, {
  path: ['to'],
  message: '`to` is before `from`',
});

export const statsPeriodSchema = z.object(periodFields).check(toNotBeforeFrom);

export const statsQuerySchema = z
  .object({
    unit: z.optional(agencyCodeSchema).check(z.describe('A branch; absent: the whole center')),
    ...periodFields,
  })
  .check(toNotBeforeFrom);

export const statsUnitPathSchema = z.object({ unit: agencyCodeSchema.check(z.describe('The branch')) });

export const countersSchema = z
  .object(Object.fromEntries(statCounters.map((name) => [name, z.number().check(z.int(), z.nonnegative())])))
  .check(
    z.meta({
      id: 'StatCounters',
      description:
        'Flows of the period: each counts the events of its day (received, finished early/on time/late, supplement requests, refused, withdrawn, stopped, rejected, paid online, returned, ratings…)',
    }),
  );

const labelSchema = z.object({ vi: z.string(), en: z.string() });

const indicatorSchema = z.object({
  id: z.string(),
  name: labelSchema,
  maxPoints: z
    .optional(z.number())
    .check(z.describe("The indicator's share of its group, when our sources state it")),
  measured: z.boolean().check(z.describe('False: the national portal scores it from records we do not have')),
  rate: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  points: z
    .optional(z.number())
    .check(z.describe('Only for a measured indicator of known weight with inputs')),
  formula: z.string(),
  inputs: z.record(z.string(), z.number()),
  note: z.optional(z.string()),
});

export const serviceIndexSchema = z
  .object({
    unit: z.optional(z.string()).check(z.describe('Absent: the whole center')),
    from: z.iso.date(),
    to: z.iso.date(),
    points: z.number().check(z.describe('The points we could score, out of `measuredMaxPoints`')),
    measuredMaxPoints: z.number(),
    maxPoints: z.literal(100),
    groups: z.array(
      z.object({
        id: z.enum(['publicity', 'progress', 'online', 'payment', 'digitization', 'satisfaction']),
        name: labelSchema,
        maxPoints: z.number(),
        points: z.optional(z.number()),
        measuredMaxPoints: z.number(),
        indicators: z.array(indicatorSchema),
      }),
    ),
    counters: countersSchema,
  })
  .check(z.meta({ id: 'ServiceIndex' }));
export type ServiceIndexView = z.infer<typeof serviceIndexSchema>;

export const dailyStatsSchema = z
  .object({
    unit: z.optional(z.string()),
    from: z.iso.date(),
    to: z.iso.date(),
    days: z.array(
      z.object({
        day: z.iso.date(),
        counters: countersSchema,
        online: z.number().check(z.int(), z.describe('Of `received`, filed online')),
        onTimeRate: z
          .optional(z.number())
          .check(z.describe('(early + on time) ÷ finished, when any finished')),
      }),
    ),
  })
  .check(z.meta({ id: 'DailyStats' }));
export type DailyStats = z.infer<typeof dailyStatsSchema>;

export const branchStatsSchema = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    branches: z.array(
      z.object({
        unit: z.string(),
        name: z.optional(labelSchema),
        counters: countersSchema,
        onTimeRate: z.optional(z.number()),
      }),
    ),
  })
  .check(z.meta({ id: 'BranchStats' }));
export type BranchStats = z.infer<typeof branchStatsSchema>;

export const procedureStatsSchema = z
  .object({
    unit: z.string(),
    from: z.iso.date(),
    to: z.iso.date(),
    procedures: z.array(
      z.object({
        procedureCode: z.string(),
        channel: z.enum(['online', 'counter']),
        counters: countersSchema,
        onTimeRate: z.optional(z.number()),
      }),
    ),
  })
  .check(z.meta({ id: 'ProcedureStats' }));
export type ProcedureStats = z.infer<typeof procedureStatsSchema>;
