// Builds the document adapters a function needs from its environment, once per cold start.
import { requireEnv } from '../config';
import { buckets, tables } from '../data/resources';
import { dynamoDocumentClient } from './aws';
import { dynamoPersonalDocumentStore } from './dynamo/personal-document-store';
import { dynamoUploadRepository } from './dynamo/upload-repository';
import { s3ObjectStore } from './s3/object-store';
import { s3 } from './s3-client';

export function uploadRepository() {
  return dynamoUploadRepository(
    dynamoDocumentClient(),
    requireEnv(tables.dossiers.envVar),
    // Only the routes that take an Idempotency-Key are given the table.
    process.env[tables.idempotency.envVar] ?? '',
  );
}

export function personalDocumentStore() {
  return dynamoPersonalDocumentStore(dynamoDocumentClient(), requireEnv(tables.dossiers.envVar));
}

export function documentObjectStore() {
  return s3ObjectStore(s3(), requireEnv(buckets.documents.envVar));
}
