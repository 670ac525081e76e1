// Form 07, a branch's dossier register over a period, as JSON, CSV or PDF (its officers and supervisors).

import { errorBodySchema } from '../../schemas/common';
import { registerPathSchema, registerQuerySchema, registerSchema } from '../../schemas/register';
import * as z from '../../schemas/zod';
import type { RouteDefinition } from '../route-types';

export const getRegister = {
  id: 'getRegister',
  method: 'GET',
  path: '/v1/branches/{unit}/register',
  summary:
    "Form 07, the branch's dossier register (sổ theo dõi hồ sơ): the dossiers it received in a period, in receipt order, as JSON, CSV or PDF (its officers and supervisors)",
  tags: ['dossiers', 'supervision'],
  auth: { kind: 'staff', roles: ['officer', 'supervisor'] },
  handler: 'functions/dossiers/get-register.ts',
  request: { path: registerPathSchema, query: registerQuerySchema },
  responses: {
    200: {
      description:
        '`format=json`: the register. `format=csv`: a download (UTF-8 with BOM, the title block, the header row, a row per dossier). `format=pdf`: the printed form, landscape A4',
      schema: registerSchema,
      alternatives: [
        {
          contentType: 'text/csv',
          schema: z.string().check(z.meta({ description: 'RFC 4180, CRLF, UTF-8 with BOM' })),
        },
        { contentType: 'application/pdf', schema: z.string().check(z.meta({ format: 'binary' })) },
      ],
    },
    400: {
      description: '`VALIDATION_FAILED`: a day is not YYYY-MM-DD, or `to` is before `from`',
      schema: errorBodySchema,
    },
    403: {
      description: "`NO_BRANCH_SCOPE`, or `FORBIDDEN`: another branch's register",
      schema: errorBodySchema,
    },
    422: {
      description:
        '`REGISTER_PERIOD_TOO_LONG`: the days span two calendar years (two books); `REGISTER_TOO_LARGE`: more than 5,000 dossiers, ask for a shorter period',
      schema: errorBodySchema,
    },
  },
  uses: { dossiers: 'read', catalogue: 'read' },
} as const satisfies RouteDefinition;
