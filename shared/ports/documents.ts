// Uploaded files, the citizen's personal data store and the object store behind them.
import type { Page } from '../cursor';
import type { PageRequest } from './catalogue-repository';
import type { IdempotencyRecord } from './idempotency-store';

export type UploadStatus = 'PENDING' | 'VERIFIED' | 'REJECTED';

/** One file a citizen uploaded, or an officer digitized from a paper original. */
export interface Upload {
  id: string;
  /** The `sub` of whoever may reference it in a dossier. */
  ownerSub: string;
  procedureCode: string;
  requirementId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  /** Base64 SHA-256 fixed when the URL was issued. */
  sha256: string;
  s3Key: string;
  status: UploadStatus;
  createdAt: string;
  expiresAt: string;
  verifiedAt?: string;
  rejectedAt?: string;
  rejectedReason?: string;
  /** Set when a counter officer digitized a paper original. */
  digitizedBy?: { sub: string; name: string; branch: string };
  /** A result document: the agency task it was issued for (its approval may attach it). */
  taskId?: string;
}

export interface UploadRepository {
  /** New ids only; with an idempotency record, both are written in one transaction. */
  create(upload: Upload, idempotency?: IdempotencyRecord): Promise<void>;
  get(id: string): Promise<Upload | undefined>;
  /** One BatchGetItem; missing ids are simply absent. */
  getMany(ids: string[]): Promise<Upload[]>;
  /** Conditional on the upload still being PENDING. */
  settle(
    id: string,
    outcome:
      | { status: 'VERIFIED'; at: string /** Where the verified bytes now live. */; s3Key: string }
      | { status: 'REJECTED'; at: string; reason: string },
  ): Promise<void>;
}

/** A verified document kept for the citizen, reusable in later dossiers (once-only principle). */
export interface PersonalDocument {
  id: string;
  /** The applicant key of the verified citizen ID it belongs to: online and counter dossiers reach one store. */
  ownerKey: string;
  requirementId: string;
  name: { vi: string; en: string };
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  s3Key: string;
  verifiedAt: string;
  sourceDossier: string;
}

export interface PersonalDocumentStore {
  list(ownerKey: string, page: PageRequest): Promise<Page<PersonalDocument>>;
  getMany(ownerKey: string, ids: string[]): Promise<PersonalDocument[]>;
}

export interface PresignedPut {
  url: string;
  method: 'PUT';
  /** Headers the client must send exactly: they are part of the signature. */
  headers: Record<string, string>;
  expiresAt: string;
}

export interface ObjectStore {
  presignPut(input: {
    key: string;
    contentType: string;
    sizeBytes: number;
    sha256: string;
    expiresInSeconds: number;
  }): Promise<PresignedPut>;
  /**
   * What is stored, as the store itself vouches for it; undefined if absent. `sha256` is the full-object SHA-256
   * the store verified when the bytes were written (S3 checks the signed `x-amz-checksum-sha256`), absent when it
   * holds none; `head` is the first bytes.
   */
  inspect(
    key: string,
  ): Promise<{ sizeBytes: number; contentType?: string; sha256?: string; head: Buffer } | undefined>;
  /** A short-lived GET link to one object, downloaded under `fileName`. */
  presignGet(
    key: string,
    options: { expiresInSeconds: number; fileName?: string },
  ): Promise<{ url: string; expiresAt: string }>;
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
  delete(key: string): Promise<void>;
  /** Server-side copy; false when there is nothing at `from`. */
  copy(from: string, to: string): Promise<boolean>;
  exists(key: string): Promise<boolean>;
}
