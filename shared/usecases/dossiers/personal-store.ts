// What a received dossier adds to its applicant's personal data store (once-only reuse of verified documents).
import type { Dossier } from '../../domain/dossier';
import type { PersonalDocument } from '../../ports/documents';
import type { ProcedureVersion } from '../../schemas/catalogue';

/** The applicant's reusable, verified documents go to their personal data store once an officer has received them. */
export function toPersonalStore(
  dossier: Dossier,
  documents: Dossier['documents'],
  procedure: ProcedureVersion,
  now: Date,
): PersonalDocument[] {
  // Keyed by the verified citizen ID, so counter-filed dossiers (no account) reach the same store as online ones.
  const reusable = new Set(procedure.requiredDocuments.filter((r) => r.reusable).map((r) => r.id));
  return documents
    .filter((d) => d.source === 'upload' && reusable.has(d.requirementId))
    .map((d) => ({
      id: d.documentId,
      ownerKey: dossier.applicantKey,
      requirementId: d.requirementId,
      name: d.name,
      fileName: d.fileName,
      contentType: d.contentType,
      sizeBytes: d.sizeBytes,
      sha256: d.sha256,
      s3Key: d.s3Key,
      verifiedAt: now.toISOString(),
      sourceDossier: dossier.code,
    }));
}
