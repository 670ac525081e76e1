// E-receipt routes (ARCHITECTURE.md §2 "Payment"): the PDF of a receipt issued for a dossier's fees, for those who may
// see the dossier, and the public check its QR code points at.

import { errorBodySchema } from '../../schemas/common';
import {
  receiptCheckSchema,
  receiptPathSchema,
  receiptQuerySchema,
  receiptVerifyQuerySchema,
} from '../../schemas/receipts';
import * as z from '../../schemas/zod';
import type { RouteDefinition } from '../route-types';

export const getDossierReceipt = {
  id: 'getDossierReceipt',
  method: 'GET',
  path: '/v1/dossiers/{code}/receipts/{number}',
  summary:
    'Download an e-receipt of the fees paid for a dossier as PDF (the applicant, or staff of its branch)',
  tags: ['payments'],
  auth: { kind: 'user', roles: ['citizen', 'officer', 'supervisor'] },
  handler: 'functions/receipts/get-receipt.ts',
  request: { path: receiptPathSchema, query: receiptQuerySchema },
  responses: {
    200: {
      description: 'The PDF',
      contentType: 'application/pdf',
      schema: z.string().check(z.meta({ format: 'binary' })),
    },
    404: {
      description: '`DOSSIER_NOT_FOUND` (no such dossier, or not yours), or `RECEIPT_NOT_FOUND`',
      schema: errorBodySchema,
    },
  },
  uses: { dossiers: 'read', documents: 'readwrite' },
} as const satisfies RouteDefinition;

export const verifyReceipt = {
  id: 'verifyReceipt',
  method: 'GET',
  path: '/v1/receipts/verify',
  summary:
    'Public check of an e-receipt (its QR code): valid or not, with the amount, the date and the collector; nothing about the payer',
  tags: ['payments', 'public'],
  auth: { kind: 'public' },
  handler: 'functions/receipts/verify-receipt.ts',
  request: { query: receiptVerifyQuerySchema },
  responses: {
    200: {
      description: 'Whether it was issued so, and what it says of the money',
      schema: receiptCheckSchema,
    },
  },
  uses: { dossiers: 'read' },
} as const satisfies RouteDefinition;
