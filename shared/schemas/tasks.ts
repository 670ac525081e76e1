// Shapes of the partner task routes: an agency's queue, one task, its decision.

import { taskStatuses } from '../domain/tasks';
import { agencyCodeSchema, procedureCodeSchema } from './catalogue';
import { cursorSchema, limitSchema, pageSchema } from './common';
import { attachedResultSchema } from './results';
import * as z from './zod';

export const taskIdSchema = z
  .string()
  .check(
    z.regex(
      /^[A-Z0-9][A-Z0-9.]{1,39}-\d{6}-\d{4,6}~s\d{1,3}-\d{1,3}~r\d{1,4}$/,
      'a task id as the task list gives it',
    ),
    z.describe('Task id: `<dossier code>~<step>~r<round>`'),
  );

export const taskPathSchema = z.object({ id: taskIdSchema });

export const taskQuerySchema = z.object({
  status: z._default(z.enum(taskStatuses as [string, ...string[]]), 'open'),
  procedure: z.optional(procedureCodeSchema),
  limit: limitSchema,
  cursor: z.optional(cursorSchema),
});

// The id is registered on a clone, as classic `.meta()` did, not as a check: `z.extend` (taskDetailSchema) copies an
// object's checks, and a meta check would name the extended schema `TaskSummary` as well.
export const taskSummarySchema = z
  .object({
    id: z.string(),
    dossierCode: z.string(),
    procedure: z.object({ code: z.string(), name: z.string() }),
    stepId: z.string(),
    round: z.number().check(z.int()),
    task: z.string(),
    status: z.enum(taskStatuses as [string, ...string[]]),
    overdue: z.boolean(),
    assignedAt: z.string(),
    dueAt: z.string(),
    decision: z.optional(z.string()),
    forwarded: z
      .optional(z.object({ from: z.string(), to: z.string(), at: z.string(), reason: z.string() }))
      .check(
        z.describe(
          'The last time the task was forwarded, from the agency that held it to the one that holds it now',
        ),
      ),
  })
  .clone()
  .register(z.globalRegistry, { id: 'TaskSummary' });

export const taskPageSchema = pageSchema(taskSummarySchema, 'TaskPage');

export const taskDetailSchema = z
  .extend(taskSummarySchema, {
    applicant: z.object({
      fullName: z.string(),
      citizenId: z.string(),
      address: z.optional(z.string()),
      phone: z.optional(z.string()),
      email: z.optional(z.string()),
    }),
    answers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    documents: z.array(
      z.object({
        requirementId: z.string(),
        name: z.string(),
        contentType: z.string(),
        sizeBytes: z.number(),
        sha256: z.string(),
        url: z.string().check(z.describe('A short-lived GET link (5 minutes)')),
        expiresAt: z.string(),
      }),
    ),
    earlierDecisions: z.array(
      z.object({
        stepId: z.string(),
        agency: z.string(),
        state: z.string(),
        decidedAt: z.string(),
        note: z.optional(z.string()),
      }),
    ),
    dossierStatus: z.string(),
  })
  .check(z.meta({ id: 'TaskDetail' }));

const textSchema = (min: number, max: number) =>
  z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

export const decisionSchema = z
  .discriminatedUnion('decision', [
    z.object({
      decision: z.literal('approve'),
      note: z.optional(textSchema(1, 1000)),
      results: z
        .optional(z.array(attachedResultSchema).check(z.maxLength(10)))
        .check(
          z.describe(
            'Result documents uploaded for this task (POST /v1/partner/tasks/{id}/results), verified',
          ),
        ),
    }),
    z.object({ decision: z.literal('reject'), reason: textSchema(3, 1000) }),
    z.object({
      decision: z.literal('forward'),
      to: agencyCodeSchema.check(
        z.describe(
          "The agency to hand the step to: one of the route step's `forwardTo`, or back to the step's own agency",
        ),
      ),
      reason: textSchema(3, 1000),
    }),
    z.object({
      decision: z.literal('request-supplement'),
      items: z
        .array(z.object({ name: textSchema(2, 300), reason: textSchema(2, 500) }))
        .check(z.minLength(1), z.maxLength(20)),
      reason: z.optional(textSchema(3, 1000)),
    }),
  ])
  .check(z.meta({ id: 'TaskDecision' }));

export const decisionAnswerSchema = z
  .object({
    task: taskSummarySchema,
    delivered: z
      .boolean()
      .check(
        z.describe(
          'false: stored, and passed to the workflow shortly by the sweep; a forward is always true (the workflow waits on)',
        ),
      ),
  })
  .check(z.meta({ id: 'DecisionAnswer' }));
