import { catalogueRepository, idempotencyStore } from '../../shared/adapters/deps';
import { httpRoute } from '../../shared/http/middleware';
import * as catalogueRoutes from '../../shared/http/routes/catalogue';
import { publishProcedure } from '../../shared/usecases/catalogue/publish-procedure';

const deps = { catalogue: catalogueRepository(), idempotency: idempotencyStore() };

export const handler = httpRoute(
  catalogueRoutes.publishProcedure,
  async ({ body, caller, idempotencyKey }) => {
    const publishedBy = caller.kind === 'staff' ? caller.sub : 'unknown';
    const answer = await publishProcedure(
      { procedure: body, publishedBy, now: new Date(), ...(idempotencyKey ? { idempotencyKey } : {}) },
      deps,
    );
    return { body: answer };
  },
);
