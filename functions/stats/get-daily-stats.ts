// The center's or a branch's counters day by day (public: aggregates only).
import { readStatisticsDeps } from '../../shared/adapters/stats-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as statsRoutes from '../../shared/http/routes/stats';
import { getDailyStats } from '../../shared/usecases/stats/read-statistics';

const deps = readStatisticsDeps();

export const handler = httpRoute(statsRoutes.getDailyStats, async ({ query }) => ({
  body: await getDailyStats(query, deps),
  headers: { 'cache-control': 'public, max-age=60' },
}));
