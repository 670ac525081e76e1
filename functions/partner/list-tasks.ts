import { taskRepository } from '../../shared/adapters/routing-deps';
import type { TaskStatus } from '../../shared/domain/tasks';
import { httpRoute } from '../../shared/http/middleware';
import * as partnerRoutes from '../../shared/http/routes/partner';
import { listAgencyTasks } from '../../shared/usecases/routing/read-tasks';

const tasks = taskRepository();

export const handler = httpRoute(partnerRoutes.listPartnerTasks, async ({ caller, query }) => ({
  body: await listAgencyTasks(
    caller,
    {
      status: query.status as TaskStatus,
      limit: query.limit,
      ...(query.procedure ? { procedure: query.procedure } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    },
    { tasks },
  ),
}));
