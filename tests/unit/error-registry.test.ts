// One registry of error codes: what the API can answer is listed once, with its status, and published.
import { describe, expect, it } from 'vitest';
import { ConflictError, errorRegistry, NotFoundError, ValidationError } from '../../shared/errors';
import { gatewayAnswers } from '../../shared/http/gateway-responses';
import { buildOpenApi } from '../../shared/http/openapi';
import { routeList } from '../../shared/http/routes';

describe('error registry', () => {
  it('gives every gateway answer its registered status', () => {
    for (const answer of Object.values(gatewayAnswers)) {
      expect([answer.code, answer.status]).toEqual([answer.code, errorRegistry[answer.code].status]);
    }
  });

  it('gives the error classes the status of the codes they raise', () => {
    for (const error of [
      new ValidationError('x'),
      new NotFoundError('x', 'DOSSIER_NOT_FOUND'),
      new ConflictError('x', 'INVALID_TRANSITION'),
    ]) {
      expect(error.status).toBe(errorRegistry[error.code].status);
    }
  });

  it('is published in the OpenAPI document', () => {
    const document = buildOpenApi(routeList, { version: 'test' }) as { components: Record<string, unknown> };
    expect(document.components['x-error-codes']).toEqual(errorRegistry);
  });
});
