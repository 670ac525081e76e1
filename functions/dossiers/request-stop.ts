import { callbackDeps } from '../../shared/adapters/routing-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as dossierRoutes from '../../shared/http/routes/dossiers';
import { requestStop } from '../../shared/usecases/routing/stop-route';

const deps = callbackDeps();

export const handler = httpRoute(dossierRoutes.requestStop, async ({ caller, path, body }) => ({
  body: await requestStop({ code: path.code, caller, reason: body.reason }, deps),
}));
