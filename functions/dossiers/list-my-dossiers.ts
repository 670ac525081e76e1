import { dossierRepository } from '../../shared/adapters/dossier-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as dossierRoutes from '../../shared/http/routes/dossiers';
import { listMyDossiers } from '../../shared/usecases/dossiers/read-dossiers';

const deps = { dossiers: dossierRepository() };

export const handler = httpRoute(dossierRoutes.listMyDossiers, async ({ query, caller }) => ({
  body: await listMyDossiers(caller, query, deps),
}));
