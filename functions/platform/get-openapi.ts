import document from '../../docs/openapi.json' with { type: 'json' };
import { httpRoute } from '../../shared/http/middleware';
import * as platformRoutes from '../../shared/http/routes/platform';

export const handler = httpRoute(platformRoutes.getOpenApi, async () => ({
  body: document,
  headers: { 'cache-control': 'public, max-age=300' },
}));
