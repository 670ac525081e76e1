// A partner agency's aggregates (SigV4): the service index of the center or a branch, and the branches compared.
import { readStatisticsDeps } from '../../shared/adapters/stats-deps';
import { httpRoute } from '../../shared/http/middleware';
import type { PartnerStatsView } from '../../shared/http/routes/sharing';
import * as sharingRoutes from '../../shared/http/routes/sharing';
import { getPartnerStats } from '../../shared/usecases/stats/partner-stats';

const deps = readStatisticsDeps();

export const handler = httpRoute(sharingRoutes.getPartnerStats, async ({ caller, query }) => {
  const body: PartnerStatsView = await getPartnerStats({ caller, ...query }, deps);
  return { body, headers: { 'cache-control': 'private, max-age=60' } };
});
