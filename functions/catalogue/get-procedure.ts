import { catalogueRepository } from '../../shared/adapters/deps';
import { httpRoute } from '../../shared/http/middleware';
import * as catalogueRoutes from '../../shared/http/routes/catalogue';
import { getProcedure } from '../../shared/usecases/catalogue/get-procedure';

const catalogue = catalogueRepository();

export const handler = httpRoute(catalogueRoutes.getProcedure, async ({ path, query }) => ({
  body: await getProcedure(
    { code: path.code, ...(query.version ? { version: query.version } : {}) },
    { catalogue },
  ),
  headers: { 'cache-control': 'public, max-age=60' },
}));
