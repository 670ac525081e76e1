// Resolves a filing's document references and checks it against the pinned procedure version.

import { documentKeys } from '../../data/resources';
import type { DossierDocument } from '../../domain/dossier';
import { AppError, ValidationError } from '../../errors';
import type { ObjectStore, PersonalDocument, Upload } from '../../ports/documents';
import type { ProcedureVersion, Question } from '../../schemas/catalogue';
import type { DossierDeps } from './deps';

export type DocumentReference =
  | { requirementId: string; uploadId: string }
  | { requirementId: string; personalDocumentId: string };

export interface Problem {
  index?: number;
  requirementId?: string;
  question?: string;
  problem: string;
}

function resolveOne(
  procedure: ProcedureVersion,
  reference: DocumentReference,
  owner: { sub: string },
  uploads: Upload[],
  personal: PersonalDocument[],
): DossierDocument | { problem: string } {
  const requirement = procedure.requiredDocuments.find((r) => r.id === reference.requirementId);
  if (!requirement) return { problem: 'not a requirement of this procedure' };
  if ('uploadId' in reference) {
    const upload = uploads.find((u) => u.id === reference.uploadId && u.ownerSub === owner.sub);
    if (!upload) return { problem: 'no such upload of yours' };
    if (upload.status !== 'VERIFIED') return { problem: `upload is ${upload.status}, not VERIFIED` };
    if (upload.procedureCode !== procedure.code || upload.requirementId !== requirement.id) {
      return { problem: 'upload was issued for another requirement' };
    }
    return {
      requirementId: requirement.id,
      name: requirement.name,
      source: 'upload',
      documentId: upload.id,
      fileName: upload.fileName,
      contentType: upload.contentType,
      sizeBytes: upload.sizeBytes,
      sha256: upload.sha256,
      s3Key: upload.s3Key,
      ...(upload.digitizedBy ? { digitizedBy: upload.digitizedBy } : {}),
    };
  }
  const stored = personal.find((p) => p.id === reference.personalDocumentId);
  if (!stored) return { problem: 'no such document in your data store' };
  if (!requirement.reusable) return { problem: 'this requirement needs a new document' };
  const accepted = (requirement.acceptedTypes as readonly string[]).includes(stored.contentType);
  if (!accepted || stored.sizeBytes > requirement.maxSizeBytes) {
    return { problem: 'stored document does not meet this requirement' };
  }
  return {
    requirementId: requirement.id,
    name: requirement.name,
    source: 'personal-store',
    documentId: stored.id,
    fileName: stored.fileName,
    contentType: stored.contentType,
    sizeBytes: stored.sizeBytes,
    sha256: stored.sha256,
    s3Key: stored.s3Key,
  };
}

/** Loads what the references point at (one batch read each) and turns them into dossier documents. */
export async function resolveDocuments(
  procedure: ProcedureVersion,
  references: DocumentReference[],
  owner: { sub: string; citizen: boolean; personalKey?: string | undefined },
  deps: Pick<DossierDeps, 'uploads' | 'personal'>,
): Promise<DossierDocument[]> {
  const uploadIds = references.flatMap((r) => ('uploadId' in r ? [r.uploadId] : []));
  const personalIds = references.flatMap((r) => ('personalDocumentId' in r ? [r.personalDocumentId] : []));
  const [uploads, personal] = await Promise.all([
    uploadIds.length ? deps.uploads.getMany(uploadIds) : Promise.resolve([] as Upload[]),
    personalIds.length && owner.citizen && owner.personalKey
      ? deps.personal.getMany(owner.personalKey, personalIds)
      : Promise.resolve([] as PersonalDocument[]),
  ]);
  const problems: Problem[] = [];
  const documents: DossierDocument[] = [];
  const seen = new Set<string>();
  for (const [index, reference] of references.entries()) {
    const id = 'uploadId' in reference ? reference.uploadId : reference.personalDocumentId;
    // One document, one place in the dossier: a repeat would also make its receipt write one item twice.
    const result = seen.has(id)
      ? { problem: 'this document is already listed' }
      : resolveOne(procedure, reference, owner, uploads, personal);
    seen.add(id);
    if ('problem' in result)
      problems.push({ index, requirementId: reference.requirementId, problem: result.problem });
    else documents.push(result);
  }
  if (problems.length)
    throw new ValidationError('Some documents cannot be used', 'INVALID_DOCUMENTS', problems);
  return documents;
}

function numberProblem(value: unknown, question: Question): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'expected a number';
  if (question.integer && !Number.isSafeInteger(value)) return 'expected a whole number';
  if (question.min !== undefined && value < question.min) return `expected at least ${question.min}`;
  if (question.max !== undefined && value > question.max) return `expected at most ${question.max}`;
  return undefined;
}

function answerProblem(question: Question, value: unknown): string | undefined {
  const { type, options } = question;
  switch (type) {
    case 'text':
      return typeof value === 'string' && value.trim() ? undefined : 'expected text';
    case 'date':
      return typeof value === 'string' &&
        /^\d{4}-\d{2}-\d{2}$/.test(value) &&
        !Number.isNaN(Date.parse(value))
        ? undefined
        : 'expected a date YYYY-MM-DD';
    case 'number':
      return numberProblem(value, question);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expected true or false';
    default:
      return typeof value === 'string' && options?.includes(value)
        ? undefined
        : `expected one of ${options?.join(', ')}`;
  }
}

/** Every mandatory document and required answer present, every answer well-typed; else a 422 listing what is missing. */
export function assertComplete(
  procedure: ProcedureVersion,
  documents: DossierDocument[],
  answers: Record<string, string | number | boolean>,
): void {
  const missingDocuments = procedure.requiredDocuments
    .filter((r) => r.mandatory && !documents.some((d) => d.requirementId === r.id))
    .map((r) => ({ requirementId: r.id, name: r.name }));
  const missingAnswers = (procedure.questions ?? [])
    .filter((q) => q.required && (answers[q.id] === undefined || answers[q.id] === ''))
    .map((q) => ({ question: q.id, label: q.label }));
  const invalidAnswers = Object.entries(answers).flatMap(([id, value]) => {
    const question = (procedure.questions ?? []).find((q) => q.id === id);
    if (!question) return [{ question: id, problem: 'not asked by this procedure' }];
    const problem = answerProblem(question, value);
    return problem ? [{ question: id, problem }] : [];
  });
  if (missingDocuments.length || missingAnswers.length || invalidAnswers.length) {
    throw new AppError('INCOMPLETE_DOSSIER', 'The dossier is incomplete', 422, {
      missingDocuments,
      missingAnswers,
      invalidAnswers,
    });
  }
}

/**
 * Files each uploaded document under a key no expiry rule reaches; verified-but-unfiled copies expire with their
 * upload record. Documents reused from the personal store were filed with their first dossier.
 */
export async function fileDocuments(
  documents: DossierDocument[],
  objects: ObjectStore,
): Promise<DossierDocument[]> {
  return Promise.all(
    documents.map(async (document) => {
      const filed = documentKeys.filed(document.documentId);
      if (document.source !== 'upload' || document.s3Key === filed) return document;
      // `filed/<id>` only ever holds the verified bytes of upload <id>, so copying again is harmless. A verified
      // copy that expired (30 days) is gone: the file must be uploaded again.
      if (!(await objects.copy(document.s3Key, filed)) && !(await objects.exists(filed))) {
        throw new ValidationError('A document has expired; upload it again', 'INVALID_DOCUMENTS', [
          { requirementId: document.requirementId, problem: 'the verified file has expired' },
        ]);
      }
      return { ...document, s3Key: filed };
    }),
  );
}
