// Shapes of the e-receipt routes: the download by dossier and number, and the public verification.

import { codePathSchema, dossierCodeSchema } from './dossiers';
import * as z from './zod';

const receiptNumberText = z
  .string()
  .check(
    z.regex(/^(?!0+$)\d{1,7}$/, 'a receipt number, 1 to 9999999 (printed as 7 digits)'),
    z.describe('Số biên lai, as printed (0000042) or without its leading zeros'),
  );

const seriesText = z
  .string()
  .check(
    z.regex(/^[A-Z]{2}-\d{2}E$/, 'a series such as BL-26E'),
    z.describe('Ký hiệu biên lai: two letters, the two-digit year of issue, E'),
  );

export const receiptPathSchema = z.extend(codePathSchema, { number: receiptNumberText });

export const receiptQuerySchema = z.object({
  series: z
    .optional(seriesText)
    .check(
      z.describe(
        'The series, when the dossier has receipts of one number in two years; else the latest is meant',
      ),
    ),
});

export const receiptVerifyQuerySchema = z.object({
  series: seriesText,
  number: receiptNumberText,
  code: dossierCodeSchema.check(z.describe('The dossier code printed on the receipt')),
});

export const receiptCheckSchema = z
  .object({
    valid: z
      .boolean()
      .check(z.describe('Whether a receipt was issued under this dossier, series and number')),
    receipt: z
      .optional(
        z.object({
          amountVnd: z.number().check(z.int(), z.describe('Integer VND collected')),
          issuedAt: z.string().check(z.describe('When it was issued')),
          collector: z
            .object({ name: z.string(), taxCode: z.string() })
            .check(z.describe('Who collected the fees')),
        }),
      )
      .check(z.describe('What the receipt says of the money, when valid; nothing about the payer')),
  })
  .check(z.meta({ id: 'ReceiptCheck' }));
export type ReceiptCheck = z.infer<typeof receiptCheckSchema>;
