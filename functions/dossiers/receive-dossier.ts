import { dossierDeps } from '../../shared/adapters/dossier-deps';
import { pdfForms } from '../../shared/adapters/pdf-forms';
import { httpRoute } from '../../shared/http/middleware';
import { dossierRoutes } from '../../shared/http/routes/dossiers';
import { receiveDossier } from '../../shared/usecases/dossiers/move-dossier';

const deps = dossierDeps(pdfForms);

export const handler = httpRoute(
  dossierRoutes.receiveDossier,
  async ({ path, body, principal, idempotencyKey }) => {
    const answer = await receiveDossier(
      { code: path.code, principal, request: body ?? null, ...(idempotencyKey ? { idempotencyKey } : {}) },
      deps,
    );
    return { status: answer.status, body: answer.body };
  },
);
