import { dossierDeps } from '../../shared/adapters/dossier-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as resultRoutes from '../../shared/http/routes/results';
import { returnDossierResult } from '../../shared/usecases/dossiers/move-dossier';

const deps = dossierDeps();

export const handler = httpRoute(
  resultRoutes.returnDossierResult,
  async ({ path, body, caller, idempotencyKey }) => ({
    body: await returnDossierResult(
      { code: path.code, caller, request: body, how: body, ...(idempotencyKey ? { idempotencyKey } : {}) },
      deps,
    ),
  }),
);
