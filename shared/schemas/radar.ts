// Shapes of the overdue radar: a supervision scope's dossiers overdue, due today and due tomorrow by unit, and its
// agency steps the same by agency. For staff: dossier codes and procedures, never an applicant.
import * as z from 'zod';
import { agencyCodeSchema } from './catalogue';
import { limitSchema } from './common';

export const radarQuerySchema = z.object({
  unit: agencyCodeSchema
    .optional()
    .describe("One unit of the caller's scope; absent: all of it (the center: every branch)"),
  agency: agencyCodeSchema.optional().describe('Only the steps of this agency'),
  limit: limitSchema.describe(
    'How many dossiers per unit, and steps per agency, to list (counts are complete)',
  ),
});

export const radarBuckets = ['overdue', 'dueToday', 'dueTomorrow'] as const;
export type RadarBucket = (typeof radarBuckets)[number];

const labelSchema = z.object({ vi: z.string(), en: z.string() });
const countsSchema = z
  .object({
    overdue: z.number().int().nonnegative(),
    dueToday: z.number().int().nonnegative(),
    dueTomorrow: z.number().int().nonnegative(),
  })
  .meta({ id: 'RadarCounts' });

const inProgressSchema = z
  .object({
    onTime: z.number().int().nonnegative().describe('Appointment day today or later'),
    late: z.number().int().nonnegative().describe('Appointment day passed'),
  })
  .describe(
    'Every dossier whose clock runs (received or in progress, not paused by a supplement request), by its appointment day: Decision 766 counts in-progress dossiers on time and late',
  )
  .meta({ id: 'RadarInProgress' });

const radarDossierSchema = z.object({
  code: z.string(),
  procedure: z.object({ code: z.string(), name: labelSchema }),
  status: z.string(),
  appointmentDay: z.iso.date(),
  bucket: z.enum(radarBuckets),
  extended: z
    .boolean()
    .describe('A step ran past its due time: form 04 was issued and the appointment day moved'),
});

const radarStepSchema = z.object({
  taskId: z.string(),
  dossierCode: z.string(),
  unit: z.string(),
  stepId: z.string(),
  round: z.number().int().positive(),
  task: labelSchema,
  dueAt: z.string().describe('ISO instant; extended past its first due time when `flagged`'),
  bucket: z.enum(radarBuckets),
  flagged: z.boolean().describe('The step ran past its due time at least once (form 04 issued)'),
});

export const overdueRadarSchema = z
  .object({
    scope: z.union([
      z.object({ kind: z.literal('center') }),
      z.object({ kind: z.literal('branch'), unit: z.string() }),
    ]),
    asOf: z.string().describe('ISO instant the radar was read at'),
    today: z.iso.date().describe('The Vietnam-local day'),
    tomorrow: z.iso
      .date()
      .describe('The next working day after `today` (weekends and official days off skipped)'),
    totals: z.object({ dossiers: countsSchema, steps: countsSchema, inProgress: inProgressSchema }),
    units: z.array(
      z.object({
        unit: z.string(),
        name: labelSchema.optional(),
        counts: countsSchema,
        inProgress: inProgressSchema,
        dossiers: z.array(radarDossierSchema).describe('The most urgent first, at most `limit`'),
        complete: z
          .boolean()
          .describe(
            "False: the unit has more open dossiers or steps due than one radar reads; its counts (and its agencies') are a floor",
          ),
      }),
    ),
    agencies: z.array(
      z.object({
        agency: z.string(),
        name: labelSchema.optional(),
        counts: countsSchema,
        steps: z.array(radarStepSchema).describe('The most urgent first, at most `limit`'),
      }),
    ),
  })
  .meta({ id: 'OverdueRadar' });
export type OverdueRadar = z.infer<typeof overdueRadarSchema>;
export type RadarCounts = z.infer<typeof countsSchema>;
export type RadarDossier = z.infer<typeof radarDossierSchema>;
export type RadarStep = z.infer<typeof radarStepSchema>;
