import { dossierDeps } from '../../shared/adapters/dossier-deps';
import { pdfForms } from '../../shared/adapters/pdf-forms';
import { httpRoute } from '../../shared/http/middleware';
import { dossierRoutes } from '../../shared/http/routes/dossiers';
import { receiveDossier } from '../../shared/usecases/dossiers/move-dossier';

const deps = dossierDeps(pdfForms);

export const handler = httpRoute(
  dossierRoutes.receiveDossier,
  async ({ path, body, caller, idempotencyKey }) => {
    const answer = await receiveDossier(
      { code: path.code, caller, request: body ?? null, ...(idempotencyKey ? { idempotencyKey } : {}) },
      deps,
    );
    return { body: answer };
  },
);
