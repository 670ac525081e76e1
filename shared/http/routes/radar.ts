// The overdue radar: a supervision scope's dossiers overdue, due today and due tomorrow by unit, and its agency steps
// the same by agency (its branch's staff, or the center's supervisors).
import { errorBodySchema } from '../../schemas/common';
import { overdueRadarSchema, radarQuerySchema } from '../../schemas/radar';
import type { RouteDefinition } from '../route-types';

export const getOverdueRadar = {
  id: 'getOverdueRadar',
  method: 'GET',
  path: '/v1/stats/overdue',
  summary:
    'The overdue radar: dossiers overdue, due today and due tomorrow (Vietnam-local working days) by unit, and agency steps the same by agency, for the caller’s supervision scope',
  tags: ['supervision'],
  auth: { kind: 'staff', roles: ['officer', 'supervisor', 'admin'] },
  handler: 'functions/stats/get-overdue-radar.ts',
  request: { query: radarQuerySchema },
  responses: {
    200: {
      description: 'Counts per unit and agency, and the most urgent of each',
      schema: overdueRadarSchema,
    },
    400: {
      description:
        '`VALIDATION_FAILED`: a code is malformed; `UNKNOWN_BRANCH`: the center asked for no branch',
      schema: errorBodySchema,
    },
    403: {
      description:
        '`FORBIDDEN`: no supervision scope (neither a branch nor the center); `OUT_OF_SCOPE`: another branch',
      schema: errorBodySchema,
    },
  },
  uses: { dossiers: 'read', catalogue: 'read' },
} as const satisfies RouteDefinition;
