// Stream consumer: the applicant's supplement brings the step that asked for it back to its agency.
import { callbackDeps } from '../../shared/adapters/routing-deps';
import { onEvents } from '../../shared/events/handler';
import {
  ROUTING_RESUME_CONSUMER,
  resumeAfterSupplement,
} from '../../shared/usecases/routing/supplement-loop';

const deps = callbackDeps();

export const handler = onEvents(
  ['DossierSupplemented'],
  async (event, { log }) => {
    log.info('supplement', { outcome: await resumeAfterSupplement(event, deps) });
  },
  { consumer: ROUTING_RESUME_CONSUMER },
);
