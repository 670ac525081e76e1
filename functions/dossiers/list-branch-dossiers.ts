import { dossierRepository } from '../../shared/adapters/dossier-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as dossierRoutes from '../../shared/http/routes/dossiers';
import { listBranchQueue } from '../../shared/usecases/dossiers/read-dossiers';

const deps = { dossiers: dossierRepository() };

export const handler = httpRoute(dossierRoutes.listBranchDossiers, async ({ query, caller }) => ({
  body: await listBranchQueue(
    caller,
    query.status,
    { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) },
    deps,
  ),
}));
