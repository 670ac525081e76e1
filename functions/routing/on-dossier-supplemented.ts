// Stream consumer: the applicant's supplement brings the step that asked for it back to its agency; a withdrawal of a
// routed dossier releases the agencies still waiting, and the route closes.
import { callbackDeps } from '../../shared/adapters/routing-deps';
import { onEvents } from '../../shared/events/handler';
import { stopRun } from '../../shared/usecases/routing/stop-route';
import {
  ROUTING_RESUME_CONSUMER,
  resumeAfterSupplement,
} from '../../shared/usecases/routing/supplement-loop';

const deps = callbackDeps();

export const handler = onEvents(
  ['DossierSupplemented', 'DossierWithdrawn'],
  async (event, { log }) => {
    if (event.name === 'DossierSupplemented') {
      log.info('supplement', { outcome: await resumeAfterSupplement(event, deps) });
      return;
    }
    const dossier = await deps.dossiers.get(event.dossierCode);
    if (!dossier?.routing || dossier.routing.endedAt) return;
    log.info('withdrawn', { released: await stopRun(dossier, event.payload.reason, 'citizen', deps) });
  },
  { consumer: ROUTING_RESUME_CONSUMER },
);
