import { sweepDeps } from '../../shared/adapters/routing-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as dossierRoutes from '../../shared/http/routes/dossiers';
import { redrive } from '../../shared/usecases/routing/sweep';

const deps = sweepDeps();

export const handler = httpRoute(dossierRoutes.redriveDossier, async ({ caller, path, body }) => {
  if (caller.kind !== 'staff') throw new Error('the route admits staff only');
  const actor = { kind: 'officer' as const, sub: caller.sub, name: caller.name, branch: caller.branch ?? '' };
  return { body: await redrive(path.code, { actor, caller }, body.reason, deps) };
});
