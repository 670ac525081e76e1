// The exports bucket behind the ExportStore port: a PutObject per part, with its SHA-256 so S3 refuses torn bytes.
import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ExportStore } from '../../ports/export-store';

export function s3ExportStore(client: S3Client, bucket: string): ExportStore {
  return {
    async put(key, body, contentType) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ContentLength: body.byteLength,
          ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
        }),
      );
    },
  };
}
