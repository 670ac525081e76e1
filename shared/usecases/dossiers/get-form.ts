// Downloading a form: whoever may see the dossier gets the latest issue of that form, rendered on first download.

import type { Caller } from '../../domain/caller';
import { NotFoundError } from '../../errors';
import type { ObjectStore } from '../../ports/documents';
import type { DossierRepository } from '../../ports/dossier-repository';
import { assertCanSee } from './access';
import { type FormDeps, type FormNumber, renderIssued } from './forms';

export interface GetFormDeps extends FormDeps {
  dossiers: Pick<DossierRepository, 'get'>;
  objects: Pick<ObjectStore, 'get' | 'put'>;
}

export async function getForm(
  input: { code: string; form: FormNumber; caller: Caller },
  deps: GetFormDeps,
): Promise<Uint8Array> {
  const dossier = assertCanSee(await deps.dossiers.get(input.code), input.code, input.caller);
  const issued = dossier.forms.filter((f) => f.form === input.form).at(-1);
  if (!issued)
    throw new NotFoundError(`Form ${input.form} has not been issued for this dossier`, 'FORM_NOT_ISSUED');
  const stored = await deps.objects.get(issued.key);
  if (stored) return stored;
  // First download (or the object was lost): the record is committed, so what is written here is never an orphan.
  const pdf = await renderIssued(issued, dossier, deps);
  await deps.objects.put(issued.key, pdf, 'application/pdf');
  return pdf;
}
