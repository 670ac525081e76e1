// Builds the document adapters a function needs from its environment, once per cold start.
import { requireEnv } from '../config';
import { buckets, tables } from '../data/resources';
import { dynamoDocumentClient } from './aws';
import { catalogueRepository, idempotencyStore } from './deps';
import { dynamoPersonalDocumentStore } from './dynamo/personal-document-store';
import { s3ObjectStore } from './s3/object-store';
import { s3 } from './s3-client';

// Without S3 for the functions that only read upload records (a partner's decision attaching its results).
export { uploadRepository } from './upload-deps';

import { uploadRepository } from './upload-deps';

export function personalDocumentStore() {
  return dynamoPersonalDocumentStore(dynamoDocumentClient(), requireEnv(tables.dossiers.envVar));
}

export function documentObjectStore() {
  return s3ObjectStore(s3(), requireEnv(buckets.documents.envVar));
}

/** What requesting an upload needs, whether a citizen uploads or an officer digitizes at the counter. */
export function requestUploadDeps() {
  return {
    catalogue: catalogueRepository(),
    uploads: uploadRepository(),
    objects: documentObjectStore(),
    idempotency: idempotencyStore(),
    clock: () => new Date(),
  };
}
