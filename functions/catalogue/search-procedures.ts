import { catalogueRepository } from '../../shared/adapters/deps';
import { httpRoute } from '../../shared/http/middleware';
import * as catalogueRoutes from '../../shared/http/routes/catalogue';
import { catalogueSnapshot } from '../../shared/usecases/catalogue/catalogue-snapshot';
import { searchProcedures } from '../../shared/usecases/catalogue/search-procedures';

const snapshot = catalogueSnapshot(catalogueRepository(), Number(process.env.CATALOGUE_RECHECK_MS ?? 5_000));

export const handler = httpRoute(catalogueRoutes.searchProcedures, async ({ query }) => ({
  body: await searchProcedures(query, { snapshot }),
}));
