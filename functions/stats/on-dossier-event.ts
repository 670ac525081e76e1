// Every event the statistics read adds, once, to its day's counters (shared/usecases/stats/record-statistics.ts): a
// stream batch at once, one read for its profiles and marks and one write per dossier.
import { recordStatisticsDeps } from '../../shared/adapters/stats-deps';
import { statisticsEvents } from '../../shared/domain/statistics';
import { onEventBatches } from '../../shared/events/handler';
import { countEvents, STATISTICS_CONSUMER } from '../../shared/usecases/stats/record-statistics';

const deps = recordStatisticsDeps();

export const handler = onEventBatches(
  statisticsEvents,
  async (events, { log }) => {
    const outcomes = await countEvents(events, deps);
    log.info('statistics', { ...outcomes, events: events.length });
  },
  { consumer: STATISTICS_CONSUMER },
);
