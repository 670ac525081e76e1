import { dependencyProbes } from '../../shared/adapters/health-probes';
import { httpRoute } from '../../shared/http/middleware';
import * as platformRoutes from '../../shared/http/routes/platform';
import { checkHealth } from '../../shared/usecases/platform/check-health';

// Control-plane probes only (DescribeTable, GetBucketLocation): the public health function reads no item or object.
const checks = dependencyProbes();
const version = process.env.APP_VERSION ?? 'dev';

export const handler = httpRoute(platformRoutes.getHealth, async () => {
  const health = await checkHealth(checks, version);
  return { status: health.status === 'ok' ? 200 : 503, body: health };
});
