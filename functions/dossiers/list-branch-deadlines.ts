import { dossierRepository } from '../../shared/adapters/dossier-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as dossierRoutes from '../../shared/http/routes/dossiers';
import { listDue } from '../../shared/usecases/dossiers/read-dossiers';

const deps = { dossiers: dossierRepository(), clock: () => new Date() };

export const handler = httpRoute(dossierRoutes.listBranchDeadlines, async ({ query, caller }) => ({
  body: await listDue(
    caller,
    query.until,
    { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) },
    deps,
  ),
}));
