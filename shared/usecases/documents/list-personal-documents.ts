// GET /v1/me/documents: the citizen's personal data store, a page at a time; storage details stay inside.

import type { Caller } from '../../domain/caller';
import { applicantKey } from '../../domain/dossier-code';
import { ForbiddenError } from '../../errors';
import type { PageRequest } from '../../ports/catalogue-repository';
import type { PersonalDocumentStore } from '../../ports/documents';
import type { PersonalDocumentPage } from '../../schemas/documents';

export async function listPersonalDocuments(
  input: { caller: Caller; page: PageRequest },
  deps: { personal: PersonalDocumentStore },
): Promise<PersonalDocumentPage> {
  if (input.caller.kind !== 'citizen') throw new ForbiddenError('Only citizens have a personal data store');
  // The store belongs to a verified citizen ID; an account without one has nothing in it yet.
  if (!input.caller.citizenId) return { items: [] };
  const page = await deps.personal.list(applicantKey(input.caller.citizenId), input.page);
  return {
    items: page.items.map((d) => ({
      id: d.id,
      requirementId: d.requirementId,
      name: d.name,
      fileName: d.fileName,
      contentType: d.contentType,
      sizeBytes: d.sizeBytes,
      sha256: d.sha256,
      verifiedAt: d.verifiedAt,
      sourceDossier: d.sourceDossier,
    })),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}
