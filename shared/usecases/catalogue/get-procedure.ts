// GET /v1/procedures/{code}: the current version, or a pinned one.
import { NotFoundError } from '../../errors';
import type { CatalogueRepository } from '../../ports/catalogue-repository';
import type { ProcedureVersion } from '../../schemas/catalogue';

export async function getProcedure(
  input: { code: string; version?: number },
  deps: { catalogue: CatalogueRepository },
): Promise<ProcedureVersion> {
  const found = await deps.catalogue.procedure(input.code, input.version);
  if (!found) {
    const what = input.version === undefined ? input.code : `${input.code} version ${input.version}`;
    throw new NotFoundError(`No procedure ${what}`, 'PROCEDURE_NOT_FOUND');
  }
  return found;
}
