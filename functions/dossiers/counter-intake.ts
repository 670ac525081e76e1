import { dossierDeps } from '../../shared/adapters/dossier-deps';
import { pdfForms } from '../../shared/adapters/pdf-forms';
import { httpRoute } from '../../shared/http/middleware';
import { dossierRoutes } from '../../shared/http/routes/dossiers';
import { fileDossier } from '../../shared/usecases/dossiers/file-dossier';

const deps = dossierDeps(pdfForms);

export const handler = httpRoute(dossierRoutes.counterIntake, async ({ body, caller, idempotencyKey }) => {
  // The receiving unit of a counter intake is always the officer's own branch.
  const unit = caller.kind === 'staff' ? (caller.branch ?? '') : '';
  const answer = await fileDossier(
    { request: { ...body, unit }, caller, ...(idempotencyKey ? { idempotencyKey } : {}) },
    deps,
  );
  return { body: answer };
});
