// A unit's counters by procedure and channel, for the staff who supervise it.
import { readStatisticsDeps } from '../../shared/adapters/stats-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as statsRoutes from '../../shared/http/routes/stats';
import { getProcedureStats } from '../../shared/usecases/stats/read-statistics';

const deps = readStatisticsDeps();

export const handler = httpRoute(statsRoutes.getProcedureStats, async ({ path, query, caller }) => ({
  body: await getProcedureStats({ unit: path.unit, ...query, caller }, deps),
  headers: { 'cache-control': 'no-store' },
}));
