// Stream consumer: a received dossier starts its route (IN_PROGRESS, one run per dossier and attempt); one whose fees
// are due before processing starts when they are paid.
import { routingDeps } from '../../shared/adapters/routing-deps';
import { onEvents } from '../../shared/events/handler';
import { ROUTING_STARTER_CONSUMER, startRouting } from '../../shared/usecases/routing/start-routing';

const deps = routingDeps();

export const handler = onEvents(
  ['DossierReceived', 'DossierPaid'],
  async (event, { log }) => {
    log.info('routing', { outcome: await startRouting(event, deps) });
  },
  { consumer: ROUTING_STARTER_CONSUMER },
);
