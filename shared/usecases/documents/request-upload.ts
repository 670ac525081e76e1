// Issuing an upload: the declared file is checked against the procedure's requirement, then its type, length and
// SHA-256 are fixed in a short-lived presigned PUT.

import { randomBytes } from 'node:crypto';
import { documentKeys } from '../../data/resources';
import { type Caller, callerScope } from '../../domain/caller';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
} from '../../errors';
import type { CatalogueRepository } from '../../ports/catalogue-repository';
import type { ObjectStore, Upload, UploadRepository } from '../../ports/documents';
import type { IdempotencyStore } from '../../ports/idempotency-store';
import type { RequestUploadBody, UploadTicket } from '../../schemas/documents';
import { idempotent } from '../idempotent';

/** Long enough for a slow mobile upload of the largest file, short enough that a leaked URL soon dies. */
export const UPLOAD_URL_SECONDS = 900;

export interface RequestUploadInput extends RequestUploadBody {
  caller: Caller;
  idempotencyKey?: string;
}

export interface RequestUploadDeps {
  catalogue: CatalogueRepository;
  uploads: UploadRepository;
  objects: ObjectStore;
  idempotency: IdempotencyStore;
  clock: () => Date;
  newId?: () => string;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** 128 random bits in lowercase base32: unguessable, and safe in paths and S3 keys. */
export function newUploadId(): string {
  let bits = 0n;
  for (const byte of randomBytes(16)) bits = (bits << 8n) | BigInt(byte);
  let id = '';
  for (let i = 0; i < 26; i += 1) {
    id = BASE32[Number(bits & 31n)] + id;
    bits >>= 5n;
  }
  return id;
}

/** Who the upload belongs to; an officer's upload is a paper original digitized at their branch's counter. */
function uploaderOf(caller: Caller): Pick<Upload, 'ownerSub' | 'digitizedBy'> {
  if (caller.kind === 'citizen') return { ownerSub: caller.sub };
  if (caller.kind === 'staff' && caller.roles.includes('officer')) {
    if (!caller.branch) {
      throw new ForbiddenError('Digitizing at a counter needs an officer assigned to a branch', 'NO_BRANCH');
    }
    return {
      ownerSub: caller.sub,
      digitizedBy: { sub: caller.sub, name: caller.name, branch: caller.branch },
    };
  }
  throw new ForbiddenError('Only citizens and counter officers upload documents');
}

async function checkedUpload(declared: RequestUploadBody, deps: RequestUploadDeps) {
  const procedure = await deps.catalogue.procedure(declared.procedureCode);
  if (!procedure) throw new NotFoundError(`No procedure ${declared.procedureCode}`, 'PROCEDURE_NOT_FOUND');
  const requirement = procedure.requiredDocuments.find((r) => r.id === declared.requirementId);
  if (!requirement) {
    throw new ValidationError(
      `Procedure ${procedure.code} has no required document ${declared.requirementId}`,
      'UNKNOWN_REQUIREMENT',
      { requirementIds: procedure.requiredDocuments.map((r) => r.id) },
    );
  }
  const accepted: readonly string[] = requirement.acceptedTypes;
  if (!accepted.includes(declared.contentType)) {
    throw new ValidationError(`This document is accepted as ${accepted.join(', ')}`, 'TYPE_NOT_ACCEPTED', {
      acceptedTypes: accepted,
    });
  }
  if (declared.sizeBytes > requirement.maxSizeBytes) {
    throw new PayloadTooLargeError(
      `This document may be at most ${requirement.maxSizeBytes} bytes`,
      'FILE_TOO_LARGE',
      { maxSizeBytes: requirement.maxSizeBytes },
    );
  }
}

export async function requestUpload(
  input: RequestUploadInput,
  deps: RequestUploadDeps,
): Promise<UploadTicket> {
  const { caller, idempotencyKey, ...declared } = input;
  const uploader = uploaderOf(caller);
  return issueUpload(
    {
      caller,
      operation: 'requestUpload',
      ...(idempotencyKey ? { idempotencyKey } : {}),
      request: declared,
      check: () => checkedUpload(declared, deps),
      record: (id) => ({ ...uploader, ...declared, s3Key: documentKeys.staging(id) }),
    },
    deps,
  );
}

/**
 * Issues an upload once per Idempotency-Key: checks the declaration, records the upload PENDING, and signs its PUT
 * from the stored record. A citizen's document and an agency's result document are issued alike.
 */
export async function issueUpload(
  input: {
    caller: Caller;
    operation: string;
    idempotencyKey?: string;
    request: unknown;
    check: () => Promise<void>;
    record: (id: string) => Omit<Upload, 'id' | 'status' | 'createdAt' | 'expiresAt'>;
  },
  deps: Pick<RequestUploadDeps, 'uploads' | 'objects' | 'idempotency' | 'clock' | 'newId'>,
): Promise<UploadTicket> {
  let created: Upload | undefined;
  const answer = await idempotent<{ uploadId: string }>(
    deps.idempotency,
    {
      scope: callerScope(input.caller),
      operation: input.operation,
      key: input.idempotencyKey,
      request: input.request,
    },
    async (remember) => {
      await input.check();
      const now = deps.clock();
      const id = (deps.newId ?? newUploadId)();
      const upload: Upload = {
        id,
        ...input.record(id),
        status: 'PENDING',
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
      };
      // Only the id is remembered: a replay signs a fresh URL rather than handing back an expired one.
      const first = { uploadId: id };
      await deps.uploads.create(upload, remember(first));
      created = upload;
      return first;
    },
    // The upload's record is its only write, and holds the key's: a retry's create loses on it, then replays.
    'on-failure',
  );
  const { uploadId } = answer;
  // A replay, or a concurrent twin that won the race, answers with an upload this call did not create.
  const upload = created?.id === uploadId ? created : await deps.uploads.get(uploadId);
  if (!upload) throw new NotFoundError('The upload of this request is gone', 'UPLOAD_NOT_FOUND');
  if (upload.status !== 'PENDING') {
    throw new ConflictError('This upload was already completed; request a new one', 'UPLOAD_ALREADY_SETTLED');
  }
  // Signed from the stored record, so the URL can only ever carry the bytes that were declared.
  const put = await deps.objects.presignPut({
    key: upload.s3Key,
    contentType: upload.contentType,
    sizeBytes: upload.sizeBytes,
    sha256: upload.sha256,
    expiresInSeconds: UPLOAD_URL_SECONDS,
  });
  return { uploadId, upload: put, expiresAt: put.expiresAt };
}
