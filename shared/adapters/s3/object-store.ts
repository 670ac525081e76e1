// The documents bucket behind the ObjectStore port: presigned uploads with fixed headers, and server-side checks.
import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ObjectStore } from '../../ports/documents';

const HEAD_BYTES = 16;

// These headers are signed so S3 refuses any other type, length or bytes (BadDigest), and they stay headers:
// hoisted into the query, the checksum would no longer make S3 check the body.
const signedHeaders = ['content-type', 'content-length', 'x-amz-checksum-sha256'];

const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

const isMissing = (error: unknown) => {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'NoSuchKey' || name === 'NotFound';
};

export interface ObjectStoreOptions {
  /** Signing time; tests move it back to get an already expired URL without waiting. */
  now?: () => Date;
}

export function s3ObjectStore(
  client: S3Client,
  bucket: string,
  options: ObjectStoreOptions = {},
): ObjectStore {
  const now = options.now ?? (() => new Date());

  /** The first bytes of the object the HEAD described; undefined if it is gone. */
  const firstBytes = async (key: string, etag: string | undefined) => {
    try {
      const out = await client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          Range: `bytes=0-${HEAD_BYTES - 1}`,
          // Another version in between would pair its bytes with the checksum read above.
          ...(etag ? { IfMatch: etag } : {}),
        }),
      );
      return Buffer.from(out.Body ? await out.Body.transformToByteArray() : new Uint8Array());
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  };

  return {
    async presignGet(key, { expiresInSeconds, fileName }) {
      const signingDate = now();
      const url = await getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(fileName
            ? { ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}` }
            : {}),
        }),
        { expiresIn: expiresInSeconds, signingDate },
      );
      return { url, expiresAt: new Date(signingDate.getTime() + expiresInSeconds * 1000).toISOString() };
    },
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

    // S3 verified the signed checksum when the bytes were written, and a copy keeps it: the object is not read
    // again to hash it. Only its first bytes are fetched, for the magic-byte check S3 cannot make.
    async inspect(key) {
      let found: HeadObjectCommandOutput;
      try {
        found = await client.send(
          new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }),
        );
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      const sizeBytes = found.ContentLength ?? 0;
      const head = sizeBytes > 0 ? await firstBytes(key, found.ETag) : Buffer.alloc(0);
      if (!head) return undefined;
      // A composite checksum (multipart) hashes the parts' hashes, not the bytes: it proves nothing here.
      const sha256 = found.ChecksumType === 'COMPOSITE' ? undefined : found.ChecksumSHA256;
      return {
        sizeBytes,
        ...(found.ContentType ? { contentType: found.ContentType } : {}),
        ...(sha256 ? { sha256 } : {}),
        head,
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

    // S3 takes concurrent writes to one key (the last one wins), so concurrent completions of one upload each copy.
    async copy(from, to) {
      try {
        await client.send(
          new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${encodeKey(from)}` }),
        );
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
  };
}
