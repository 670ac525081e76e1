import { dossierRepository } from '../../shared/adapters/dossier-deps';
import { httpRoute } from '../../shared/http/middleware';
import { dossierRoutes } from '../../shared/http/routes/dossiers';
import { trackDossier } from '../../shared/usecases/dossiers/read-dossiers';

const deps = { dossiers: dossierRepository() };

export const handler = httpRoute(dossierRoutes.trackDossier, async ({ path, query }) => ({
  body: await trackDossier(path.code, query.key, deps),
}));
