// Builds the statistics' ports from the environment, once per cold start.
import { requireEnv } from '../config';
import { tables } from '../data/resources';
import type { StatisticsStore } from '../ports/statistics';
import type { ReadStatisticsDeps } from '../usecases/stats/read-statistics';
import type { RecordStatisticsDeps } from '../usecases/stats/record-statistics';
import { dynamoDocumentClient } from './aws';
import { catalogueRepository } from './deps';
import { dynamoStatistics } from './dynamo/statistics';

export function statisticsStore(): StatisticsStore {
  // Consumed marks expire with the table's TTL attribute, long after any redelivery could come; counters never do.
  return dynamoStatistics(dynamoDocumentClient(), requireEnv(tables.dossiers.envVar), {
    ttlAttribute: tables.dossiers.ttlAttribute,
  });
}

export function recordStatisticsDeps(): RecordStatisticsDeps {
  return { stats: statisticsStore(), clock: () => new Date() };
}

export function readStatisticsDeps(): ReadStatisticsDeps {
  return { stats: statisticsStore(), catalogue: catalogueRepository(), clock: () => new Date() };
}
