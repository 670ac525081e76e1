// The overdue radar of the caller's supervision scope: dossiers and agency steps overdue, due today, due tomorrow.
import { catalogueRepository } from '../../shared/adapters/deps';
import { dossierRepository } from '../../shared/adapters/dossier-deps';
import { taskRepository } from '../../shared/adapters/routing-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as radarRoutes from '../../shared/http/routes/radar';
import { overdueRadar } from '../../shared/usecases/stats/overdue-radar';

const deps = {
  dossiers: dossierRepository(),
  tasks: taskRepository(),
  catalogue: catalogueRepository(),
  clock: () => new Date(),
};

export const handler = httpRoute(radarRoutes.getOverdueRadar, async ({ query, caller }) => ({
  body: await overdueRadar(
    {
      caller,
      limit: query.limit,
      ...(query.unit ? { unit: query.unit } : {}),
      ...(query.agency ? { agency: query.agency } : {}),
    },
    deps,
  ),
  headers: { 'cache-control': 'no-store' },
}));
