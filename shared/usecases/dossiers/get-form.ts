// Downloading a generated form: whoever may see the dossier gets the latest PDF of that form.

import type { Caller } from '../../domain/caller';
import { NotFoundError } from '../../errors';
import { assertCanSee } from './access';
import type { DossierDeps } from './deps';
import { type FormNumber, issueForm } from './forms';

export async function getForm(
  input: { code: string; form: FormNumber; caller: Caller },
  deps: Pick<DossierDeps, 'dossiers' | 'objects' | 'catalogue' | 'forms' | 'publicBaseUrl'>,
): Promise<Uint8Array> {
  const dossier = assertCanSee(await deps.dossiers.get(input.code), input.code, input.caller);
  const ofThisForm = dossier.forms.filter((f) => f.form === input.form);
  const issued = ofThisForm.at(-1);
  if (!issued)
    throw new NotFoundError(`Form ${input.form} has not been issued for this dossier`, 'FORM_NOT_ISSUED');
  const stored = await deps.objects.get(issued.key);
  if (stored) return stored;
  // The form is derived from the dossier: if its object was lost after the write, issue it again.
  const officer = dossier.receivedBy?.name ?? '';
  await issueForm(input.form, dossier, officer, new Date(issued.at), deps, { key: issued.key });
  const again = await deps.objects.get(issued.key);
  if (!again) throw new NotFoundError('The form could not be produced', 'FORM_NOT_ISSUED');
  return again;
}
