import { filingDeps } from '../../shared/adapters/dossier-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as dossierRoutes from '../../shared/http/routes/dossiers';
import { fileDossier } from '../../shared/usecases/dossiers/file-dossier';

const deps = filingDeps();

export const handler = httpRoute(
  dossierRoutes.counterIntake,
  async ({ body, caller, idempotencyKey, metrics }) => {
    // The receiving unit of a counter intake is always the officer's own branch.
    const unit = caller.kind === 'staff' ? (caller.branch ?? '') : '';
    const answer = await fileDossier(
      { request: { ...body, unit }, caller, ...(idempotencyKey ? { idempotencyKey } : {}) },
      deps,
    );
    // A counter intake is filed and received at once.
    const by = { unit: answer.unit, procedure: answer.procedure.code };
    metrics.count('Filings', by);
    metrics.count('Receipts', by);
    return { body: answer };
  },
);
