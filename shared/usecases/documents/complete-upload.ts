// Completing an upload: what is stored is checked against what was declared, then kept (VERIFIED) or deleted
// (REJECTED). S3 has refused other bytes under the signed checksum; the SHA-256 it reports must still be the declared
// one (an object it holds no checksum for is refused), and the magic bytes, which S3 cannot check, are checked here.
import { documentKeys } from '../../data/resources';
import { type Caller, uploadOwner } from '../../domain/caller';
import { AppError, ConflictError, NotFoundError } from '../../errors';
import type { ObjectStore, Upload, UploadRepository } from '../../ports/documents';
import type { UploadView } from '../../schemas/documents';

export interface CompleteUploadDeps {
  uploads: UploadRepository;
  objects: ObjectStore;
  clock: () => Date;
}

// Magic numbers of the types the catalogue accepts: a renamed file of another kind is caught here.
const signatures: Record<string, readonly number[]> = {
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d],
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
};

/** Whether the first bytes are those of the type; a type without a known signature never matches. */
export function hasSignatureOf(contentType: string, head: Uint8Array): boolean {
  const signature = signatures[contentType];
  return !!signature && signature.every((byte, i) => head[i] === byte);
}

interface FailedCheck {
  check: 'size' | 'sha256' | 'contentType' | 'magicBytes';
  expected: string | number;
  actual?: string | number;
}

type Inspection = NonNullable<Awaited<ReturnType<ObjectStore['inspect']>>>;

function failedChecks(upload: Upload, found: Inspection): FailedCheck[] {
  const storedType = found.contentType?.split(';')[0]?.trim().toLowerCase();
  const failed: FailedCheck[] = [];
  if (found.sizeBytes !== upload.sizeBytes)
    failed.push({ check: 'size', expected: upload.sizeBytes, actual: found.sizeBytes });
  if (found.sha256 !== upload.sha256) {
    failed.push({
      check: 'sha256',
      expected: upload.sha256,
      ...(found.sha256 ? { actual: found.sha256 } : {}),
    });
  }
  if (storedType !== upload.contentType) {
    failed.push({
      check: 'contentType',
      expected: upload.contentType,
      ...(storedType ? { actual: storedType } : {}),
    });
  }
  if (!hasSignatureOf(upload.contentType, found.head))
    failed.push({ check: 'magicBytes', expected: upload.contentType });
  return failed;
}

const rejected = (reason: string, failed?: FailedCheck[]) =>
  new AppError('UPLOAD_REJECTED', `The upload was rejected: ${reason}`, 422, {
    reason,
    ...(failed ? { failedChecks: failed } : {}),
  });

export function uploadView(upload: Upload): UploadView {
  return {
    id: upload.id,
    status: upload.status,
    procedureCode: upload.procedureCode,
    requirementId: upload.requirementId,
    fileName: upload.fileName,
    contentType: upload.contentType,
    sizeBytes: upload.sizeBytes,
    ...(upload.verifiedAt ? { verifiedAt: upload.verifiedAt } : {}),
    ...(upload.digitizedBy ? { digitizedBy: upload.digitizedBy } : {}),
  };
}

/** The answer for an upload already decided: completing is idempotent. */
function settledAnswer(upload: Upload): UploadView | undefined {
  if (upload.status === 'VERIFIED') return uploadView(upload);
  if (upload.status === 'REJECTED') throw rejected(upload.rejectedReason ?? 'the file did not match');
  return undefined;
}

export async function completeUpload(
  input: { uploadId: string; caller: Caller },
  deps: CompleteUploadDeps,
): Promise<UploadView> {
  const owner = uploadOwner(input.caller);
  const load = async () => {
    const upload = await deps.uploads.get(input.uploadId);
    // Someone else's upload gets the same answer as none, so ids cannot be probed.
    if (!upload || owner === undefined || upload.ownerSub !== owner)
      throw new NotFoundError('No such upload of yours', 'UPLOAD_NOT_FOUND');
    return upload;
  };
  // A concurrent completion may have decided meanwhile: its decision is the answer.
  const decidedMeanwhile = async (error: unknown) => {
    if (!(error instanceof ConflictError && error.code === 'UPLOAD_ALREADY_SETTLED')) throw error;
    const answer = settledAnswer(await load());
    if (!answer) throw error;
    return answer;
  };

  const upload = await load();
  const decided = settledAnswer(upload);
  if (decided) return decided;

  // Verify a server-side copy, not the staging object: the presigned URL stays valid until it expires, so the
  // staging bytes could be replaced after the check. The copy's key is one no URL can write to.
  const kept = documentKeys.verified(upload.id);
  const copied = await deps.objects.copy(upload.s3Key, kept);
  const found = copied ? await deps.objects.inspect(kept) : undefined;
  if (!found) {
    const again = settledAnswer(await load());
    if (again) return again;
    throw new ConflictError(
      'Nothing has been uploaded yet: PUT the file to the URL, then complete',
      'UPLOAD_NOT_RECEIVED',
      {
        urlExpiresAt: upload.expiresAt,
      },
    );
  }

  const at = deps.clock().toISOString();
  const failed = failedChecks(upload, found);
  if (failed.length) {
    const reason = `the file does not match its declaration (${failed.map((f) => f.check).join(', ')})`;
    await Promise.all([deps.objects.delete(upload.s3Key), deps.objects.delete(kept)]);
    try {
      await deps.uploads.settle(upload.id, { status: 'REJECTED', at, reason });
    } catch (error) {
      return decidedMeanwhile(error);
    }
    throw rejected(reason, failed);
  }
  try {
    await deps.uploads.settle(upload.id, { status: 'VERIFIED', at, s3Key: kept });
  } catch (error) {
    return decidedMeanwhile(error);
  }
  // The staging object has served its purpose; the bucket's lifecycle also expires `uploads/` as a safety net.
  await deps.objects.delete(upload.s3Key);
  return uploadView({ ...upload, status: 'VERIFIED', verifiedAt: at, s3Key: kept });
}
