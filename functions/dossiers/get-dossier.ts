import { dossierRepository } from '../../shared/adapters/dossier-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as dossierRoutes from '../../shared/http/routes/dossiers';
import { getDossier } from '../../shared/usecases/dossiers/read-dossiers';

const deps = { dossiers: dossierRepository() };

export const handler = httpRoute(dossierRoutes.getDossier, async ({ path, caller }) => ({
  body: await getDossier(path.code, caller, deps),
}));
