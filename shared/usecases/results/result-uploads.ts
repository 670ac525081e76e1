// Result documents: an agency uploads what it decided (a signed PDF) for its open task, verified like any upload
// (declared type, length and SHA-256 fixed in the URL; checked again on completion), then attaches it to its approval.

import { documentKeys } from '../../data/resources';
import { type Caller, uploadOwner } from '../../domain/caller';
import type { ResultDocument } from '../../domain/dossier';
import type { AgencyTask } from '../../domain/tasks';
import { AppError, ConflictError, PayloadTooLargeError, ValidationError } from '../../errors';
import type { Upload, UploadRepository } from '../../ports/documents';
import type { UploadTicket } from '../../schemas/documents';
import { issueUpload, type RequestUploadDeps } from '../documents/request-upload';
import { agencyTask } from '../routing/decide-task';
import type { CallbackDeps } from '../routing/deps';

/** What an agency may hand back as a result: a PDF (signed by the agency), up to 20 MB. */
export const RESULT_TYPES = ['application/pdf'] as const;
export const RESULT_MAX_BYTES = 20 * 1024 * 1024;
/** The requirement id result uploads carry: no procedure requirement has it, so no filing can reference one. */
export const RESULT_REQUIREMENT = 'result';

export interface ResultUploadInput {
  caller: Caller;
  taskId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  idempotencyKey?: string;
}

export async function requestResultUpload(
  input: ResultUploadInput,
  deps: Omit<RequestUploadDeps, 'catalogue'> & { tasks: Pick<CallbackDeps['tasks'], 'get'> },
): Promise<UploadTicket> {
  const { caller, idempotencyKey, taskId, ...declared } = input;
  let task: AgencyTask | undefined;
  return issueUpload(
    {
      caller,
      operation: 'requestResultUpload',
      ...(idempotencyKey ? { idempotencyKey } : {}),
      request: { taskId, ...declared },
      check: async () => {
        task = await agencyTask(caller, taskId, deps);
        if (task.status !== 'open') {
          throw new ConflictError('Results are attached while the task is open', 'TASK_CLOSED', {
            status: task.status,
          });
        }
        if (!(RESULT_TYPES as readonly string[]).includes(declared.contentType)) {
          throw new ValidationError('A result document is a PDF', 'TYPE_NOT_ACCEPTED', {
            acceptedTypes: RESULT_TYPES,
          });
        }
        if (declared.sizeBytes > RESULT_MAX_BYTES) {
          throw new PayloadTooLargeError(
            `A result document may be at most ${RESULT_MAX_BYTES} bytes`,
            'FILE_TOO_LARGE',
            { maxSizeBytes: RESULT_MAX_BYTES },
          );
        }
      },
      record: (id) => ({
        ownerSub: uploadOwner(caller)!,
        procedureCode: task!.procedure.code,
        requirementId: RESULT_REQUIREMENT,
        taskId,
        ...declared,
        s3Key: documentKeys.staging(id),
      }),
    },
    deps,
  );
}

const invalid = (uploadId: string, reason: string) =>
  new AppError('RESULT_UPLOAD_INVALID', `Result document ${uploadId}: ${reason}`, 422, { uploadId, reason });

/**
 * The documents an approval attaches, each a verified upload the deciding agency made for this task. They stay
 * where verification put them (`documents/<id>`): the dossier's result points at them.
 */
export async function attachedResults(
  task: AgencyTask,
  attached: readonly { uploadId: string; title: string; documentType?: string }[] | undefined,
  uploads: Pick<UploadRepository, 'getMany'>,
): Promise<ResultDocument[]> {
  if (!attached?.length) return [];
  const ids = attached.map((a) => a.uploadId);
  if (new Set(ids).size !== ids.length) {
    throw new ValidationError('A result document is attached once', 'VALIDATION_FAILED', { uploadIds: ids });
  }
  const found = new Map((await uploads.getMany(ids)).map((u) => [u.id, u]));
  return attached.map(({ uploadId, title, documentType }) => {
    const upload: Upload | undefined = found.get(uploadId);
    // Another agency's upload, or one for another task, is reported like a missing one.
    if (!upload || upload.ownerSub !== `agency:${task.agency}` || upload.taskId !== task.id) {
      throw invalid(uploadId, 'no such result upload for this task');
    }
    if (upload.status !== 'VERIFIED') throw invalid(uploadId, 'not verified: complete the upload first');
    return {
      id: upload.id,
      title,
      agency: task.agency,
      stepId: task.stepId,
      ...(documentType ? { documentType } : {}),
      contentType: upload.contentType,
      sizeBytes: upload.sizeBytes,
      sha256: upload.sha256,
      s3Key: upload.s3Key,
    };
  });
}
