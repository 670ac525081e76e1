// Responses most routes share, so each route lists only what is its own.
import { errorBodySchema } from '../../schemas/common';
import type { ResponseSpec } from '../route-types';

const error = (description: string): ResponseSpec => ({ description, schema: errorBodySchema });

export const errors = {
  400: error('Invalid input; `details` names each field'),
  401: error('No valid identity'),
  403: error('Identity lacks the role or scope'),
  404: error('No such object'),
  409: error('Conflicts with the current state'),
  413: error('Body too large'),
  415: error('Body is not application/json'),
  422: error('Idempotency-Key reused with a different request'),
  429: error('Throttled'),
} as const;
