import { catalogueRepository } from '../../shared/adapters/deps';
import { httpRoute } from '../../shared/http/middleware';
import * as catalogueRoutes from '../../shared/http/routes/catalogue';

const catalogue = catalogueRepository();

export const handler = httpRoute(catalogueRoutes.listBranches, async ({ query }) => ({
  body: await catalogue.branches(query),
}));
