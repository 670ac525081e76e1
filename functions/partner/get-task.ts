import { documentObjectStore } from '../../shared/adapters/document-deps';
import { dossierRepository } from '../../shared/adapters/dossier-deps';
import { taskRepository } from '../../shared/adapters/routing-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as partnerRoutes from '../../shared/http/routes/partner';
import { getAgencyTask } from '../../shared/usecases/routing/read-tasks';

const deps = { tasks: taskRepository(), dossiers: dossierRepository(), objects: documentObjectStore() };

export const handler = httpRoute(partnerRoutes.getPartnerTask, async ({ caller, path }) => ({
  body: await getAgencyTask(caller, path.id, deps),
}));
