// The exports bucket behind the ExportStore port: the documents' object store writes each part (a PutObject with its
// SHA-256, so S3 refuses torn bytes); the export uses nothing else of it.
import type { S3Client } from '@aws-sdk/client-s3';
import type { ExportStore } from '../../ports/export-store';
import { s3ObjectStore } from './object-store';

export function s3ExportStore(client: S3Client, bucket: string): ExportStore {
  const objects = s3ObjectStore(client, bucket);
  return { put: (key, body, contentType) => objects.put(key, body, contentType) };
}
