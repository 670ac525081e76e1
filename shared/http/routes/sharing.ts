// Data sharing with partner agencies (SigV4): aggregates of the statistics, never a dossier row. The de-identified daily
// export goes to S3 for Athena (functions/sharing/export-day.ts), not through the API.
import { errorBodySchema } from '../../schemas/common';
import { branchStatsSchema, serviceIndexSchema, statsQuerySchema } from '../../schemas/stats';
import * as z from '../../schemas/zod';
import type { RouteDefinition } from '../route-types';

const partnerStatsSchema = z
  .object({
    unit: z.optional(z.string()).check(z.describe('The branch asked for; absent: the whole center')),
    from: z.iso.date(),
    to: z.iso.date(),
    index: serviceIndexSchema,
    branches: z
      .optional(branchStatsSchema.shape.branches)
      .check(z.describe('Every branch side by side, when the whole center was asked for')),
  })
  .check(
    z.meta({
      id: 'PartnerStats',
      description: 'Counts only: no dossier, pseudonym, name or ID appears in them',
    }),
  );
export type PartnerStatsView = z.infer<typeof partnerStatsSchema>;

export const getPartnerStats = {
  id: 'getPartnerStats',
  method: 'GET',
  path: '/v1/partner/stats',
  summary:
    "A partner agency's aggregates over a period: Decision 766's service index of the center or one branch and, for the center, every branch's counters",
  tags: ['partner'],
  auth: { kind: 'partner' },
  handler: 'functions/sharing/get-partner-stats.ts',
  request: { query: statsQuerySchema },
  responses: {
    200: { description: 'The aggregates', schema: partnerStatsSchema },
    400: {
      description: '`VALIDATION_FAILED`: a day is not YYYY-MM-DD, or `to` is before `from`',
      schema: errorBodySchema,
    },
    403: {
      description: '`ACCESS_DENIED`: the principal is not a registered partner; `INVALID_SIGNATURE`',
      schema: errorBodySchema,
    },
    422: { description: '`STATS_PERIOD_TOO_LONG`: more than 366 days', schema: errorBodySchema },
  },
  uses: { dossiers: 'read', catalogue: 'read' },
} as const satisfies RouteDefinition;
