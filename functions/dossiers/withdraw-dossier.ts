import { dossierDeps } from '../../shared/adapters/dossier-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as dossierRoutes from '../../shared/http/routes/dossiers';
import { withdrawDossier } from '../../shared/usecases/dossiers/move-dossier';

const deps = dossierDeps();

export const handler = httpRoute(
  dossierRoutes.withdrawDossier,
  async ({ path, body, caller, idempotencyKey }) => {
    const answer = await withdrawDossier(
      {
        code: path.code,
        caller,
        request: body ?? null,
        ...(idempotencyKey ? { idempotencyKey } : {}),
        reason: body.reason,
      },
      deps,
    );
    return { body: answer };
  },
);
