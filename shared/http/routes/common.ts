// Responses most routes share, so each route lists only what is its own.
import { errorBodySchema } from '../../schemas/common';
import type { ResponseSpec, RouteDefinition } from '../route-types';

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

/**
 * The refusals a route can give by its very shape (input, identity, body, idempotency); a route lists only its
 * successes and the refusals that are its own, and may override these descriptions.
 */
export function responsesOf(route: RouteDefinition): Record<number, ResponseSpec> {
  const request = route.request ?? {};
  const authenticated = route.auth.kind !== 'public' && route.auth.kind !== 'provider';
  const standard: Record<number, ResponseSpec> = { 429: errors[429] };
  if (request.path || request.query || request.body) standard[400] = errors[400];
  if (authenticated) Object.assign(standard, { 401: errors[401], 403: errors[403] });
  // API Gateway answers an unsigned call of an IAM route as it answers an unknown path.
  if (route.auth.kind === 'partner') {
    standard[404] = error('`ROUTE_NOT_FOUND`: no SigV4 signature, answered as for an unknown path');
  }
  if (request.path) standard[404] = errors[404];
  if (request.body) Object.assign(standard, { 413: errors[413], 415: errors[415] });
  if (request.idempotent) standard[422] = errors[422];
  return { ...standard, ...route.responses };
}
