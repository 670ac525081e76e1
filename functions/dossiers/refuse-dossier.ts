import { dossierDeps } from '../../shared/adapters/dossier-deps';
import { pdfForms } from '../../shared/adapters/pdf-forms';
import { httpRoute } from '../../shared/http/middleware';
import { dossierRoutes } from '../../shared/http/routes/dossiers';
import { refuseDossier } from '../../shared/usecases/dossiers/move-dossier';

const deps = dossierDeps(pdfForms);

export const handler = httpRoute(
  dossierRoutes.refuseDossier,
  async ({ path, body, caller, idempotencyKey }) => {
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
    return { body: answer };
  },
);
