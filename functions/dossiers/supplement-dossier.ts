import { filingDeps } from '../../shared/adapters/dossier-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as dossierRoutes from '../../shared/http/routes/dossiers';
import { supplementDossier } from '../../shared/usecases/dossiers/move-dossier';

const deps = filingDeps();

export const handler = httpRoute(
  dossierRoutes.supplementDossier,
  async ({ path, body, caller, idempotencyKey }) => {
    const answer = await supplementDossier(
      {
        code: path.code,
        caller,
        request: body ?? null,
        ...(idempotencyKey ? { idempotencyKey } : {}),
        documents: body.documents,
        answers: body.answers,
      },
      deps,
    );
    return { body: answer };
  },
);
