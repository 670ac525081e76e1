import { dossierDeps } from '../../shared/adapters/dossier-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as resultRoutes from '../../shared/http/routes/results';
import { rateDossier } from '../../shared/usecases/dossiers/move-dossier';

const deps = dossierDeps();

export const handler = httpRoute(
  resultRoutes.rateDossier,
  async ({ path, body, caller, idempotencyKey }) => ({
    body: await rateDossier(
      { code: path.code, caller, request: body, ...body, ...(idempotencyKey ? { idempotencyKey } : {}) },
      deps,
    ),
  }),
);
