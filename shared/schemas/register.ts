// Shapes of form 07, the dossier register (sổ theo dõi hồ sơ): a branch's dossiers received in a period.

import { agencyCodeSchema } from './catalogue';
import * as z from './zod';

export const registerPathSchema = z.object({
  unit: agencyCodeSchema.check(z.describe("The branch: the caller's own")),
});

export const registerQuerySchema = z
  .object({
    from: z.iso.date().check(z.describe('First Vietnam-local day of receipt (inclusive)')),
    to: z.iso
      .date()
      .check(z.describe('Last Vietnam-local day of receipt (inclusive); the same calendar year as `from`')),
    format: z._default(z.enum(['json', 'csv', 'pdf']), 'json'),
  })
  .check(z.refine((q) => q.from <= q.to, { path: ['to'], message: '`to` is before `from`' }));

const labelSchema = z.object({ vi: z.string(), en: z.string() });

export const registerNoteSchema = z.object({
  kind: z.enum(['rejected', 'stopped', 'withdrawn', 'overdue', 'supplement']),
  vi: z.string(),
  en: z.string(),
});
export type RegisterNote = z.infer<typeof registerNoteSchema>;

export const registerRowSchema = z
  .object({
    no: z.number().check(z.int(), z.positive(), z.describe('STT: the row in this extract, in receipt order')),
    code: z
      .string()
      .check(z.describe("The dossier code: the entry's citation in the book (form 01 prints it)")),
    procedure: z.object({ code: z.string(), name: z.string() }).check(z.describe('Content: the procedure')),
    sets: z
      .number()
      .check(z.int(), z.positive(), z.describe('Số bộ hồ sơ: 1, as the dossier records no other count')),
    applicant: z.object({ name: z.string(), address: z.optional(z.string()), phone: z.optional(z.string()) }),
    receivedAt: z.string().check(z.describe('ISO instant of receipt')),
    appointmentDay: z.optional(z.iso.date()).check(z.describe('The appointment day (hẹn trả)')),
    status: z.string(),
    statusLabel: labelSchema,
    returned: z
      .optional(
        z.object({
          at: z.string(),
          method: z.enum(['electronic', 'post', 'counter']),
          giver: z.optional(z.string()).check(z.describe('The officer who handed the result over')),
          receiver: z.optional(
            z.object({
              name: z.optional(z.string()).check(z.describe('Who collected it at the counter')),
              idLast4: z
                .optional(z.string())
                .check(z.describe("The last 4 digits of the collector's ID, never more")),
              authorization: z.optional(z.string()),
            }),
          ),
        }),
      )
      .check(z.describe('The first return of the result')),
    notes: z.array(registerNoteSchema),
  })
  .check(z.meta({ id: 'RegisterRow' }));
export type RegisterRow = z.infer<typeof registerRowSchema>;

export const registerSchema = z
  .object({
    unit: z.string(),
    unitName: z.string().check(z.describe('The branch, named from the catalogue (its code when unknown)')),
    book: z.string().check(z.describe('The book: `<unit>/<year>`')),
    from: z.iso.date(),
    to: z.iso.date(),
    rows: z.array(registerRowSchema),
  })
  .check(z.meta({ id: 'Register' }));
export type Register = z.infer<typeof registerSchema>;
