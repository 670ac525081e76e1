import { dossierDeps } from '../../shared/adapters/dossier-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as dossierRoutes from '../../shared/http/routes/dossiers';
import { refuseDossier } from '../../shared/usecases/dossiers/move-dossier';

const deps = dossierDeps();

export const handler = httpRoute(
  dossierRoutes.refuseDossier,
  async ({ path, body, caller, idempotencyKey, metrics }) => {
    const answer = await refuseDossier(
      {
        code: path.code,
        caller,
        request: body ?? null,
        ...(idempotencyKey ? { idempotencyKey } : {}),
        reason: body.reason,
      },
      deps,
    );
    metrics.count('Refusals', { unit: answer.unit, procedure: answer.procedure.code });
    return { body: answer };
  },
);
