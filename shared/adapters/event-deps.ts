// Builds the stream consumers' ports from the environment, once per cold start: a missing table name stops the
// function before it takes a batch, with the variable's name.
import { setTimeout as sleep } from 'node:timers/promises';
import { requireEnv } from '../config';
import { tables } from '../data/resources';
import type { AuditDeps } from '../usecases/audit/deps';
import type { FeedPersonalStoreDeps } from '../usecases/documents/feed-personal-store';
import { dynamoDocumentClient } from './aws';
import { catalogueRepository } from './deps';
import { dossierRepository } from './dossier-deps';
import { dynamoAuditLog } from './dynamo/audit-log';
import { dynamoPersonalStoreFeed } from './dynamo/personal-store-feed';

export function auditLog() {
  return dynamoAuditLog(dynamoDocumentClient(), requireEnv(tables.audit.envVar));
}

export function auditDeps(): AuditDeps {
  return { audit: auditLog(), clock: () => new Date(), sleep: (ms) => sleep(ms) };
}

export function personalStoreFeedDeps(): FeedPersonalStoreDeps {
  const table = requireEnv(tables.dossiers.envVar);
  return {
    dossiers: dossierRepository(),
    catalogue: catalogueRepository(),
    // Marks in the dossiers table expire with its TTL attribute, long after any redelivery could come.
    feed: dynamoPersonalStoreFeed(dynamoDocumentClient(), table, {
      ttlAttribute: tables.dossiers.ttlAttribute,
    }),
    clock: () => new Date(),
  };
}
