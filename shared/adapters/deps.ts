// Builds the adapters a function needs from its environment, once per cold start.
import { requireEnv } from '../config';
import { tables } from '../data/resources';
import { dynamoDocumentClient } from './aws';
import { dynamoCatalogueRepository } from './dynamo/catalogue-repository';
import { dynamoIdempotencyStore } from './dynamo/idempotency-store';

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
