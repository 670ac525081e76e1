import { dossierDeps } from '../../shared/adapters/dossier-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as dossierRoutes from '../../shared/http/routes/dossiers';
import { requestSupplement } from '../../shared/usecases/dossiers/move-dossier';

const deps = dossierDeps();

export const handler = httpRoute(
  dossierRoutes.requestSupplement,
  async ({ path, body, caller, idempotencyKey }) => {
    const answer = await requestSupplement(
      {
        code: path.code,
        caller,
        request: body ?? null,
        ...(idempotencyKey ? { idempotencyKey } : {}),
        items: body.items,
        ...(body.reason ? { reason: body.reason } : {}),
      },
      deps,
    );
    return { body: answer };
  },
);
