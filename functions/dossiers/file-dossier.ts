import { filingDeps } from '../../shared/adapters/dossier-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as dossierRoutes from '../../shared/http/routes/dossiers';
import { fileDossier } from '../../shared/usecases/dossiers/file-dossier';

const deps = filingDeps();

export const handler = httpRoute(
  dossierRoutes.fileDossier,
  async ({ body, caller, idempotencyKey, log, metrics }) => {
    const answer = await fileDossier(
      { request: body, caller, ...(idempotencyKey ? { idempotencyKey } : {}) },
      deps,
    );
    log.info('dossier filed', {
      dossierCode: answer.code,
      procedure: body.procedureCode,
      unit: body.unit,
    });
    metrics.count('Filings', { unit: answer.unit, procedure: answer.procedure.code });
    return { body: answer };
  },
);
