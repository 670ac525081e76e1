// The documents bucket behind the ObjectStore port: presigned uploads with fixed headers, and server-side checks.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ObjectStore } from '../../ports/documents';

const HEAD_BYTES = 16;

// These headers are signed so S3 refuses any other type, length or bytes (BadDigest), and they stay headers:
// hoisted into the query, the checksum would no longer make S3 check the body.
const signedHeaders = ['content-type', 'content-length', 'x-amz-checksum-sha256'];

const isMissing = (error: unknown) => {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'NoSuchKey' || name === 'NotFound';
};

export interface ObjectStoreOptions {
  /** Signing time; tests move it back to get an already expired URL without waiting. */
  now?: () => Date;
}

const copies = new Map<string, Promise<boolean>>();

export function s3ObjectStore(
  client: S3Client,
  bucket: string,
  options: ObjectStoreOptions = {},
): ObjectStore {
  const now = options.now ?? (() => new Date());
  return {
    async presignPut({ key, contentType, sizeBytes, sha256, expiresInSeconds }) {
      const signingDate = now();
      const url = await getSignedUrl(
        client,
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          ContentType: contentType,
          ContentLength: sizeBytes,
          ChecksumSHA256: sha256,
        }),
        {
          expiresIn: expiresInSeconds,
          signingDate,
          signableHeaders: new Set(signedHeaders),
          unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
        },
      );
      return {
        url,
        method: 'PUT',
        headers: {
          'content-type': contentType,
          'content-length': String(sizeBytes),
          'x-amz-checksum-sha256': sha256,
        },
        expiresAt: new Date(signingDate.getTime() + expiresInSeconds * 1000).toISOString(),
      };
    },

    // S3 checks the signed checksum on PUT, but emulators do not and a verify step must not trust the
    // client anyway: the hash is computed here from the stored bytes.
    async inspect(key) {
      let out: GetObjectCommandOutput;
      try {
        out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      const hash = createHash('sha256');
      const head: Buffer[] = [];
      let headLength = 0;
      let size = 0;
      for await (const chunk of (out.Body as Readable | undefined) ?? []) {
        const bytes = chunk as Buffer;
        hash.update(bytes);
        size += bytes.length;
        if (headLength < HEAD_BYTES) {
          head.push(bytes.subarray(0, HEAD_BYTES - headLength));
          headLength += Math.min(bytes.length, HEAD_BYTES - headLength);
        }
      }
      return {
        sizeBytes: size,
        ...(out.ContentType ? { contentType: out.ContentType } : {}),
        sha256: hash.digest('base64'),
        head: Buffer.concat(head),
      };
    },

    async put(key, body, contentType) {
      const ChecksumSHA256 = createHash('sha256').update(body).digest('base64');
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ChecksumSHA256,
        }),
      );
    },

    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },

    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },

    copy(from, to) {
      // Single-flight per copy: concurrent filings of one upload in one process share one request (S3 itself
      // takes concurrent writes to a key; s3rver does not). In Lambda, with one request at a time, it never joins.
      const key = `${bucket}\n${from}\n${to}`;
      const running = copies.get(key);
      if (running) return running;
      const copying = client
        .send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${from}` }))
        .then(
          () => true,
          (error: unknown) => {
            if (isMissing(error)) return false;
            throw error;
          },
        )
        .finally(() => copies.delete(key));
      copies.set(key, copying);
      return copying;
    },
  };
}
