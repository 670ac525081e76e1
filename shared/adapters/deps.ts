// Builds the adapters a function needs from its environment, once per cold start.
import { setTimeout as sleep } from 'node:timers/promises';
import { requireEnv } from '../config';
import { tables } from '../data/resources';
import type { PartnerRegistry } from '../ports/partner-registry';
import type { AuditDeps } from '../usecases/audit/deps';
import { dynamoDocumentClient } from './aws';
import { dynamoAuditLog } from './dynamo/audit-log';
import { dynamoCatalogueRepository } from './dynamo/catalogue-repository';
import { dynamoIdempotencyStore } from './dynamo/idempotency-store';
import { dynamoPartnerRegistry } from './dynamo/partner-registry';

export function catalogueRepository() {
  return dynamoCatalogueRepository(
    dynamoDocumentClient(),
    requireEnv(tables.catalogue.envVar),
    process.env[tables.idempotency.envVar] ?? '',
  );
}

export function idempotencyStore() {
  return dynamoIdempotencyStore(dynamoDocumentClient(), requireEnv(tables.idempotency.envVar));
}

/** Which agency a SigV4 principal acts for: `PARTNER#<arn>` items of the catalogue table, cached per warm instance. */
export function partnerRegistry(): PartnerRegistry {
  return dynamoPartnerRegistry(dynamoDocumentClient(), requireEnv(tables.catalogue.envVar));
}

/** The audit log as the HTTP edge appends to it: one entry per refused partner or provider call. */
export function edgeAuditDeps(): AuditDeps {
  return {
    audit: dynamoAuditLog(dynamoDocumentClient(), requireEnv(tables.audit.envVar)),
    clock: () => new Date(),
    sleep: (ms) => sleep(ms),
  };
}
