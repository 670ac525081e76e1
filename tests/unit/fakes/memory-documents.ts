// In-memory fakes of the document ports (uploads, personal data store, object store), for use-case tests.
import { createHash } from 'node:crypto';
import { encodeCursor } from '../../../shared/cursor';
import { ConflictError } from '../../../shared/errors';
import type {
  ObjectStore,
  PersonalDocument,
  PersonalDocumentStore,
  Upload,
  UploadRepository,
} from '../../../shared/ports/documents';
import { IdempotencyRaceError } from '../../../shared/ports/idempotency-store';
import { memoryIdempotency } from './memory-catalogue';

export function memoryUploads(idempotency = memoryIdempotency()) {
  const all = new Map<string, Upload>();
  const repository: UploadRepository = {
    async create(upload, record) {
      if (record && idempotency.records.has(record.id)) throw new IdempotencyRaceError();
      if (all.has(upload.id)) throw new ConflictError('exists', 'UPLOAD_EXISTS');
      all.set(upload.id, structuredClone(upload));
      if (record) idempotency.records.set(record.id, record);
    },
    async get(id) {
      const upload = all.get(id);
      return upload && structuredClone(upload);
    },
    async getMany(ids) {
      return [...new Set(ids)].flatMap((id) => (all.has(id) ? [structuredClone(all.get(id)!)] : []));
    },
    async settle(id, outcome) {
      const upload = all.get(id);
      if (upload?.status !== 'PENDING') throw new ConflictError('settled', 'UPLOAD_ALREADY_SETTLED');
      if (outcome.status === 'VERIFIED')
        Object.assign(upload, { status: 'VERIFIED', verifiedAt: outcome.at, s3Key: outcome.s3Key });
      else
        Object.assign(upload, { status: 'REJECTED', rejectedAt: outcome.at, rejectedReason: outcome.reason });
    },
  };
  return { repository, idempotency, all };
}

export function memoryPersonalDocuments() {
  const all: PersonalDocument[] = [];
  const store: PersonalDocumentStore = {
    async list(ownerKey, { limit, cursor }) {
      const after = cursor
        ? (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { id: string }).id
        : '';
      const rest = all
        .filter((d) => d.ownerKey === ownerKey && d.id > after)
        .sort((a, b) => a.id.localeCompare(b.id));
      const items = rest.slice(0, limit);
      return rest.length > limit ? { items, nextCursor: encodeCursor({ id: items.at(-1)!.id }) } : { items };
    },
    async getMany(ownerKey, ids) {
      return all.filter((d) => d.ownerKey === ownerKey && ids.includes(d.id));
    },
  };
  return { store, add: (document: PersonalDocument) => all.push(document) };
}

/**
 * Objects by key; `receive` stands in for the client's PUT to the presigned URL. Like S3, the store keeps a
 * SHA-256 with each object (the bytes' own unless `receive` is told which, or `null` for none) and copies keep it.
 */
export function memoryObjectStore() {
  const objects = new Map<string, { body: Buffer; contentType: string; sha256?: string }>();
  const hash = (body: Uint8Array) => createHash('sha256').update(body).digest('base64');
  let inspections = 0;
  const store: ObjectStore = {
    async presignGet(key: string, { expiresInSeconds }: { expiresInSeconds: number }) {
      const expiresAt = new Date(Date.now() + expiresInSeconds * 1000).toISOString();
      return { url: `https://objects.test/${key}?get&expires=${encodeURIComponent(expiresAt)}`, expiresAt };
    },
    async presignPut({ key, contentType, sizeBytes, sha256, expiresInSeconds }) {
      const expiresAt = new Date(Date.now() + expiresInSeconds * 1000).toISOString();
      return {
        url: `https://objects.test/${key}?expires=${encodeURIComponent(expiresAt)}`,
        method: 'PUT',
        headers: {
          'content-type': contentType,
          'content-length': String(sizeBytes),
          'x-amz-checksum-sha256': sha256,
        },
        expiresAt,
      };
    },
    async inspect(key) {
      inspections += 1;
      const object = objects.get(key);
      if (!object) return undefined;
      return {
        sizeBytes: object.body.length,
        contentType: object.contentType,
        ...(object.sha256 ? { sha256: object.sha256 } : {}),
        head: object.body.subarray(0, 16),
      };
    },
    async put(key, body, contentType) {
      objects.set(key, { body: Buffer.from(body), contentType, sha256: hash(body) });
    },
    async get(key) {
      const object = objects.get(key);
      return object && new Uint8Array(object.body);
    },
    async delete(key) {
      objects.delete(key);
    },
    async exists(key) {
      return objects.has(key);
    },
    async copy(from, to) {
      const object = objects.get(from);
      if (!object) return false;
      objects.set(to, { ...object, body: Buffer.from(object.body) });
      return true;
    },
  };
  return {
    store,
    objects,
    inspections: () => inspections,
    receive: (key: string, body: Uint8Array, contentType: string, sha256: string | null = hash(body)) =>
      objects.set(key, { body: Buffer.from(body), contentType, ...(sha256 ? { sha256 } : {}) }),
  };
}
