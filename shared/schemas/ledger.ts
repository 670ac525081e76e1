// Shapes of the payment ledger and its daily reconciliation report: one entry per settled payment, kept under the
// branch and the Vietnam-local day it was settled on.

import { agencyCodeSchema, localizedSchema } from './catalogue';
import * as z from './zod';

export const ledgerFeeItemSchema = z.object({
  feeId: z.string(),
  name: localizedSchema,
  amountVnd: z.number().check(z.int(), z.nonnegative(), z.describe('What of this payment went to this fee')),
});

export const ledgerEntrySchema = z
  .object({
    paymentId: z.string(),
    settledAt: z.string().check(z.describe('When the verdict was recorded (ISO, UTC)')),
    day: z.iso.date().check(z.describe('The Vietnam-local day of `settledAt`')),
    unit: z.string().check(z.describe('The branch that received the dossier')),
    dossierCode: z.string(),
    procedureCode: z.string(),
    channel: z.enum(['online', 'counter']).check(z.describe('How the dossier was filed')),
    provider: z.string(),
    providerTransactionNo: z.optional(z.string()),
    outcome: z.enum(['paid', 'failed']),
    responseCode: z.optional(z.string()).check(z.describe("The provider's code for the verdict")),
    settledBy: z.enum(['callback', 'query']),
    amountVnd: z.number().check(z.int(), z.positive(), z.describe('The amount of the payment')),
    appliedVnd: z
      .number()
      .check(z.int(), z.nonnegative(), z.describe('What of it paid the fees the dossier owed')),
    refundDueVnd: z
      .number()
      .check(
        z.int(),
        z.nonnegative(),
        z.describe('What of it the dossier did not owe (to send back); 0 for a failed payment'),
      ),
    feeItems: z
      .array(ledgerFeeItemSchema)
      .check(z.describe('The fees the applied part paid; empty when failed')),
  })
  .check(z.meta({ id: 'LedgerEntry' }));
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export const paymentReportTotalsSchema = z.object({
  paidCount: z.number().check(z.int(), z.nonnegative()),
  paidVnd: z.number().check(z.int(), z.nonnegative(), z.describe('Money received by the paid payments')),
  failedCount: z.number().check(z.int(), z.nonnegative()),
  refundDueVnd: z
    .number()
    .check(z.int(), z.nonnegative(), z.describe('Of `paidVnd`, what the dossiers did not owe')),
  byFee: z
    .array(
      z.object({
        procedureCode: z.string().check(z.describe('Fee ids are per procedure')),
        feeId: z.string(),
        name: localizedSchema,
        count: z
          .number()
          .check(z.int(), z.positive(), z.describe('Paid payments that paid some of this fee')),
        amountVnd: z.number().check(z.int(), z.nonnegative()),
      }),
    )
    .check(z.describe('The applied money per fee: they add up to `paidVnd - refundDueVnd`')),
  byChannel: z
    .array(
      z.object({
        channel: z.enum(['online', 'counter']),
        count: z.number().check(z.int(), z.positive()),
        amountVnd: z.number().check(z.int(), z.nonnegative()),
      }),
    )
    .check(z.describe('The paid payments per filing channel: they add up to `paidVnd`')),
});
export type PaymentReportTotals = z.infer<typeof paymentReportTotalsSchema>;

export const paymentReportSchema = z
  .object({
    unit: z.string(),
    day: z.iso.date(),
    payments: z.array(ledgerEntrySchema).check(z.describe('In the order they were settled')),
    totals: paymentReportTotalsSchema,
  })
  .check(z.meta({ id: 'PaymentReport' }));
export type PaymentReport = z.infer<typeof paymentReportSchema>;

export const paymentReportQuerySchema = z.object({
  unit: agencyCodeSchema.check(z.describe("The branch: the caller's own")),
  day: z.iso.date().check(z.describe('The Vietnam-local day the payments were settled on')),
  format: z._default(z.enum(['json', 'csv']), 'json'),
});
