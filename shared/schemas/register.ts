// Shapes of form 07, the dossier register (sổ theo dõi hồ sơ): a branch's dossiers received in a period.
import * as z from 'zod';
import { agencyCodeSchema } from './catalogue';

export const registerPathSchema = z.object({
  unit: agencyCodeSchema.describe("The branch: the caller's own"),
});

export const registerQuerySchema = z
  .object({
    from: z.iso.date().describe('First Vietnam-local day of receipt (inclusive)'),
    to: z.iso
      .date()
      .describe('Last Vietnam-local day of receipt (inclusive); the same calendar year as `from`'),
    format: z.enum(['json', 'csv', 'pdf']).default('json'),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: '`to` is before `from`' });

const labelSchema = z.object({ vi: z.string(), en: z.string() });

export const registerNoteSchema = z.object({
  kind: z.enum(['rejected', 'stopped', 'withdrawn', 'overdue', 'supplement']),
  vi: z.string(),
  en: z.string(),
});
export type RegisterNote = z.infer<typeof registerNoteSchema>;

export const registerRowSchema = z
  .object({
    no: z.number().int().positive().describe('STT: the row in this extract, in receipt order'),
    code: z.string().describe("The dossier code: the entry's citation in the book (form 01 prints it)"),
    procedure: z.object({ code: z.string(), name: z.string() }).describe('Content: the procedure'),
    sets: z.number().int().positive().describe('Số bộ hồ sơ: 1, as the dossier records no other count'),
    applicant: z.object({ name: z.string(), address: z.string().optional(), phone: z.string().optional() }),
    receivedAt: z.string().describe('ISO instant of receipt'),
    appointmentDay: z.iso.date().optional().describe('The appointment day (hẹn trả)'),
    status: z.string(),
    statusLabel: labelSchema,
    returned: z
      .object({
        at: z.string(),
        method: z.enum(['electronic', 'post', 'counter']),
        giver: z.string().optional().describe('The officer who handed the result over'),
        receiver: z
          .object({
            name: z.string().optional().describe('Who collected it at the counter'),
            idLast4: z.string().optional().describe("The last 4 digits of the collector's ID, never more"),
            authorization: z.string().optional(),
          })
          .optional(),
      })
      .optional()
      .describe('The first return of the result'),
    notes: z.array(registerNoteSchema),
  })
  .meta({ id: 'RegisterRow' });
export type RegisterRow = z.infer<typeof registerRowSchema>;

export const registerSchema = z
  .object({
    unit: z.string(),
    unitName: z.string().describe('The branch, named from the catalogue (its code when unknown)'),
    book: z.string().describe('The book: `<unit>/<year>`'),
    from: z.iso.date(),
    to: z.iso.date(),
    rows: z.array(registerRowSchema),
  })
  .meta({ id: 'Register' });
export type Register = z.infer<typeof registerSchema>;
