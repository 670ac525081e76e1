// The upload records alone (no S3): what a function needs that only reads or settles them.
import { requireEnv } from '../config';
import { tables } from '../data/resources';
import { dynamoDocumentClient } from './aws';
import { dynamoUploadRepository } from './dynamo/upload-repository';

export function uploadRepository() {
  return dynamoUploadRepository(
    dynamoDocumentClient(),
    requireEnv(tables.dossiers.envVar),
    // Only the routes that take an Idempotency-Key are given the table.
    process.env[tables.idempotency.envVar] ?? '',
  );
}
