// A received dossier's reusable documents (and those a supplement adds after receipt) reach the personal store.
import { personalStoreFeedDeps } from '../../shared/adapters/event-deps';
import { onEvents } from '../../shared/events/handler';
import {
  feedPersonalStore,
  PERSONAL_STORE_CONSUMER,
} from '../../shared/usecases/documents/feed-personal-store';

const deps = personalStoreFeedDeps();

export const handler = onEvents(
  ['DossierReceived', 'DossierSupplemented', 'DossierResultReady'],
  async (event, { log }) => {
    const result = await feedPersonalStore(event, deps);
    if (result.superseded)
      log.info('documents superseded before the feed', { superseded: result.superseded });
  },
  { consumer: PERSONAL_STORE_CONSUMER },
);
