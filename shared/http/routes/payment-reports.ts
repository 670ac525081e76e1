// The branch's daily payment reconciliation report (issue #9), read from the payment ledger.
import { errorBodySchema } from '../../schemas/common';
import { paymentReportQuerySchema, paymentReportSchema } from '../../schemas/ledger';
import * as z from '../../schemas/zod';
import type { RouteDefinition } from '../route-types';

export const getPaymentReport = {
  id: 'getPaymentReport',
  method: 'GET',
  path: '/v1/payments/report',
  summary:
    "A branch's payments settled on one Vietnam-local day, with totals per fee and channel, as JSON or CSV (its officers and supervisors)",
  tags: ['payments', 'supervision'],
  auth: { kind: 'staff', roles: ['officer', 'supervisor'] },
  handler: 'functions/ledger/get-payment-report.ts',
  request: { query: paymentReportQuerySchema },
  responses: {
    200: {
      description:
        '`format=json`: the report. `format=csv`: the same as a download (UTF-8 with BOM, a header row, a row per payment, then the totals)',
      schema: paymentReportSchema,
      alternatives: [
        {
          contentType: 'text/csv',
          schema: z.string().check(z.meta({ description: 'RFC 4180, CRLF, UTF-8 with BOM' })),
        },
      ],
    },
    403: {
      description: "`NO_BRANCH_SCOPE`, or `FORBIDDEN`: another branch's report",
      schema: errorBodySchema,
    },
  },
  uses: { dossiers: 'read' },
} as const satisfies RouteDefinition;
