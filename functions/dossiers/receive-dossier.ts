import { dossierDeps } from '../../shared/adapters/dossier-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as dossierRoutes from '../../shared/http/routes/dossiers';
import { receiveDossier } from '../../shared/usecases/dossiers/move-dossier';

const deps = dossierDeps();

export const handler = httpRoute(
  dossierRoutes.receiveDossier,
  async ({ path, body, caller, idempotencyKey, metrics }) => {
    const answer = await receiveDossier(
      { code: path.code, caller, request: body ?? null, ...(idempotencyKey ? { idempotencyKey } : {}) },
      deps,
    );
    metrics.count('Receipts', { unit: answer.unit, procedure: answer.procedure.code });
    return { body: answer };
  },
);
