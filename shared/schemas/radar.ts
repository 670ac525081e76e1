// Shapes of the overdue radar: a supervision scope's dossiers overdue, due today and due tomorrow by unit, and its
// agency steps the same by agency. For staff: dossier codes and procedures, never an applicant.
import { agencyCodeSchema } from './catalogue';
import { limitSchema } from './common';
import * as z from './zod';

export const radarQuerySchema = z.object({
  unit: z
    .optional(agencyCodeSchema)
    .check(z.describe("One unit of the caller's scope; absent: all of it (the center: every branch)")),
  agency: z.optional(agencyCodeSchema).check(z.describe('Only the steps of this agency')),
  limit: limitSchema.check(
    z.describe('How many dossiers per unit, and steps per agency, to list (counts are complete)'),
  ),
});

export const radarBuckets = ['overdue', 'dueToday', 'dueTomorrow'] as const;
export type RadarBucket = (typeof radarBuckets)[number];

const labelSchema = z.object({ vi: z.string(), en: z.string() });
const countsSchema = z
  .object({
    overdue: z.number().check(z.int(), z.nonnegative()),
    dueToday: z.number().check(z.int(), z.nonnegative()),
    dueTomorrow: z.number().check(z.int(), z.nonnegative()),
  })
  .check(z.meta({ id: 'RadarCounts' }));

const inProgressSchema = z
  .object({
    onTime: z.number().check(z.int(), z.nonnegative(), z.describe('Appointment day today or later')),
    late: z.number().check(z.int(), z.nonnegative(), z.describe('Appointment day passed')),
  })
  .check(
    z.describe(
      'Every dossier whose clock runs (received or in progress, not paused by a supplement request), by its appointment day: Decision 766 counts in-progress dossiers on time and late',
    ),
  )
  .check(z.meta({ id: 'RadarInProgress' }));

const radarDossierSchema = z.object({
  code: z.string(),
  procedure: z.object({ code: z.string(), name: labelSchema }),
  status: z.string(),
  appointmentDay: z.iso.date(),
  bucket: z.enum(radarBuckets),
  extended: z
    .boolean()
    .check(z.describe('A step ran past its due time: form 04 was issued and the appointment day moved')),
});

const radarStepSchema = z.object({
  taskId: z.string(),
  dossierCode: z.string(),
  unit: z.string(),
  stepId: z.string(),
  round: z.number().check(z.int(), z.positive()),
  task: labelSchema,
  dueAt: z.string().check(z.describe('ISO instant; extended past its first due time when `flagged`')),
  bucket: z.enum(radarBuckets),
  flagged: z.boolean().check(z.describe('The step ran past its due time at least once (form 04 issued)')),
});

export const overdueRadarSchema = z
  .object({
    scope: z.union([
      z.object({ kind: z.literal('center') }),
      z.object({ kind: z.literal('branch'), unit: z.string() }),
    ]),
    asOf: z.string().check(z.describe('ISO instant the radar was read at')),
    today: z.iso.date().check(z.describe('The Vietnam-local day')),
    tomorrow: z.iso
      .date()
      .check(z.describe('The next working day after `today` (weekends and official days off skipped)')),
    totals: z.object({ dossiers: countsSchema, steps: countsSchema, inProgress: inProgressSchema }),
    units: z.array(
      z.object({
        unit: z.string(),
        name: z.optional(labelSchema),
        counts: countsSchema,
        inProgress: inProgressSchema,
        dossiers: z.array(radarDossierSchema).check(z.describe('The most urgent first, at most `limit`')),
        complete: z
          .boolean()
          .check(
            z.describe(
              "False: the unit has more open dossiers or steps due than one radar reads; its counts (and its agencies') are a floor",
            ),
          ),
      }),
    ),
    agencies: z.array(
      z.object({
        agency: z.string(),
        name: z.optional(labelSchema),
        counts: countsSchema,
        steps: z.array(radarStepSchema).check(z.describe('The most urgent first, at most `limit`')),
      }),
    ),
  })
  .check(z.meta({ id: 'OverdueRadar' }));
export type OverdueRadar = z.infer<typeof overdueRadarSchema>;
export type RadarCounts = z.infer<typeof countsSchema>;
export type RadarDossier = z.infer<typeof radarDossierSchema>;
export type RadarStep = z.infer<typeof radarStepSchema>;
