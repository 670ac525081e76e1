// Every event the statistics read adds, once, to its day's counters (shared/usecases/stats/record-statistics.ts).
import { recordStatisticsDeps } from '../../shared/adapters/stats-deps';
import { statisticsEvents } from '../../shared/domain/statistics';
import { onEvents } from '../../shared/events/handler';
import { countEvent, STATISTICS_CONSUMER } from '../../shared/usecases/stats/record-statistics';

const deps = recordStatisticsDeps();

export const handler = onEvents(
  statisticsEvents,
  async (event, { log }) => {
    const outcome = await countEvent(event, deps);
    log.info('statistics', { outcome, event: event.name, dossierCode: event.dossierCode });
  },
  { consumer: STATISTICS_CONSUMER },
);
