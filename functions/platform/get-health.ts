import { dependencyChecks } from '../../shared/adapters/health-checks';
import { httpRoute } from '../../shared/http/middleware';
import { platformRoutes } from '../../shared/http/routes/platform';
import { checkHealth } from '../../shared/usecases/platform/check-health';

const checks = dependencyChecks();
const version = process.env.APP_VERSION ?? 'dev';

export const handler = httpRoute(platformRoutes.getHealth, async () => {
  const health = await checkHealth(checks, version);
  return { status: health.status === 'ok' ? 200 : 503, body: health };
});
