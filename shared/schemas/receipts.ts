// Shapes of the e-receipt routes: the download by dossier and number, and the public verification.
import * as z from 'zod';
import { codePathSchema, dossierCodeSchema } from './dossiers';

const receiptNumberText = z
  .string()
  .regex(/^(?!0+$)\d{1,7}$/, 'a receipt number, 1 to 9999999 (printed as 7 digits)')
  .describe('Số biên lai, as printed (0000042) or without its leading zeros');

const seriesText = z
  .string()
  .regex(/^[A-Z]{2}-\d{2}E$/, 'a series such as BL-26E')
  .describe('Ký hiệu biên lai: two letters, the two-digit year of issue, E');

export const receiptPathSchema = codePathSchema.extend({ number: receiptNumberText });

export const receiptQuerySchema = z.object({
  series: seriesText
    .optional()
    .describe(
      'The series, when the dossier has receipts of one number in two years; else the latest is meant',
    ),
});

export const receiptVerifyQuerySchema = z.object({
  series: seriesText,
  number: receiptNumberText,
  code: dossierCodeSchema.describe('The dossier code printed on the receipt'),
});

export const receiptCheckSchema = z
  .object({
    valid: z.boolean().describe('Whether a receipt was issued under this dossier, series and number'),
    receipt: z
      .object({
        amountVnd: z.number().int().describe('Integer VND collected'),
        issuedAt: z.string().describe('When it was issued'),
        collector: z.object({ name: z.string(), taxCode: z.string() }).describe('Who collected the fees'),
      })
      .optional()
      .describe('What the receipt says of the money, when valid; nothing about the payer'),
  })
  .meta({ id: 'ReceiptCheck' });
export type ReceiptCheck = z.infer<typeof receiptCheckSchema>;
