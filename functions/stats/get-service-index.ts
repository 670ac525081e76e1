// Decision 766's service index of the center or a branch (public: aggregates only).
import { readStatisticsDeps } from '../../shared/adapters/stats-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as statsRoutes from '../../shared/http/routes/stats';
import { getServiceIndex } from '../../shared/usecases/stats/read-statistics';

const deps = readStatisticsDeps();

export const handler = httpRoute(statsRoutes.getServiceIndex, async ({ query }) => ({
  body: await getServiceIndex(query, deps),
  headers: { 'cache-control': 'public, max-age=60' },
}));
