// Every branch's counters and on-time rate side by side (public: aggregates only).
import { readStatisticsDeps } from '../../shared/adapters/stats-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as statsRoutes from '../../shared/http/routes/stats';
import { getBranchStats } from '../../shared/usecases/stats/read-statistics';

const deps = readStatisticsDeps();

export const handler = httpRoute(statsRoutes.getBranchStats, async ({ query }) => ({
  body: await getBranchStats(query, deps),
  headers: { 'cache-control': 'public, max-age=60' },
}));
