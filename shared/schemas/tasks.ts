// Shapes of the partner task routes: an agency's queue, one task, its decision.
import * as z from 'zod';
import { taskStatuses } from '../domain/tasks';
import { agencyCodeSchema, procedureCodeSchema } from './catalogue';
import { cursorSchema, limitSchema, pageOf } from './common';
import { attachedResultSchema } from './results';

export const taskIdSchema = z
  .string()
  .regex(
    /^[A-Z0-9][A-Z0-9.]{1,39}-\d{6}-\d{4,6}~s\d{1,3}-\d{1,3}~r\d{1,4}$/,
    'a task id as the task list gives it',
  )
  .describe('Task id: `<dossier code>~<step>~r<round>`');

export const taskPathSchema = z.object({ id: taskIdSchema });

export const taskQuerySchema = z.object({
  status: z.enum(taskStatuses as [string, ...string[]]).default('open'),
  procedure: procedureCodeSchema.optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

export const taskSummarySchema = z
  .object({
    id: z.string(),
    dossierCode: z.string(),
    procedure: z.object({ code: z.string(), name: z.string() }),
    stepId: z.string(),
    round: z.number().int(),
    task: z.string(),
    status: z.enum(taskStatuses as [string, ...string[]]),
    overdue: z.boolean(),
    assignedAt: z.string(),
    dueAt: z.string(),
    decision: z.string().optional(),
    forwarded: z
      .object({ from: z.string(), to: z.string(), at: z.string(), reason: z.string() })
      .optional()
      .describe(
        'The last time the task was forwarded, from the agency that held it to the one that holds it now',
      ),
  })
  .meta({ id: 'TaskSummary' });

export const taskPageSchema = pageOf(taskSummarySchema, 'TaskPage');

export const taskDetailSchema = taskSummarySchema
  .extend({
    applicant: z.object({
      fullName: z.string(),
      citizenId: z.string(),
      address: z.string().optional(),
      phone: z.string().optional(),
      email: z.string().optional(),
    }),
    answers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    documents: z.array(
      z.object({
        requirementId: z.string(),
        name: z.string(),
        contentType: z.string(),
        sizeBytes: z.number(),
        sha256: z.string(),
        url: z.string().describe('A short-lived GET link (5 minutes)'),
        expiresAt: z.string(),
      }),
    ),
    earlierDecisions: z.array(
      z.object({
        stepId: z.string(),
        agency: z.string(),
        state: z.string(),
        decidedAt: z.string(),
        note: z.string().optional(),
      }),
    ),
    dossierStatus: z.string(),
  })
  .meta({ id: 'TaskDetail' });

const text = (min: number, max: number) => z.string().trim().min(min).max(max);

export const decisionSchema = z
  .discriminatedUnion('decision', [
    z.object({
      decision: z.literal('approve'),
      note: text(1, 1000).optional(),
      results: z
        .array(attachedResultSchema)
        .max(10)
        .optional()
        .describe('Result documents uploaded for this task (POST /v1/partner/tasks/{id}/results), verified'),
    }),
    z.object({ decision: z.literal('reject'), reason: text(3, 1000) }),
    z.object({
      decision: z.literal('forward'),
      to: agencyCodeSchema.describe(
        "The agency to hand the step to: one of the route step's `forwardTo`, or back to the step's own agency",
      ),
      reason: text(3, 1000),
    }),
    z.object({
      decision: z.literal('request-supplement'),
      items: z
        .array(z.object({ name: text(2, 300), reason: text(2, 500) }))
        .min(1)
        .max(20),
      reason: text(3, 1000).optional(),
    }),
  ])
  .meta({ id: 'TaskDecision' });

export const decisionAnswerSchema = z
  .object({
    task: taskSummarySchema,
    delivered: z
      .boolean()
      .describe(
        'false: stored, and passed to the workflow shortly by the sweep; a forward is always true (the workflow waits on)',
      ),
  })
  .meta({ id: 'DecisionAnswer' });
