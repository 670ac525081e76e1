// Publishing a new version of a procedure: earlier versions stay, filed dossiers keep the version they pinned.
import { quantityProblems } from '../../domain/fees';
import { ValidationError } from '../../errors';
import type { CatalogueRepository } from '../../ports/catalogue-repository';
import type { IdempotencyStore } from '../../ports/idempotency-store';
import type { Procedure, ProcedureVersion } from '../../schemas/catalogue';
import { idempotent } from '../idempotent';

export interface PublishInput {
  procedure: Procedure;
  publishedBy: string;
  idempotencyKey?: string;
  now: Date;
}

export async function publishProcedure(
  input: PublishInput,
  deps: { catalogue: CatalogueRepository; idempotency: IdempotencyStore },
) {
  // What the schema cannot see across fields: a fee counted by an answer needs that answer to be a required count.
  const problems = quantityProblems(input.procedure);
  if (problems.length) {
    throw new ValidationError(
      'A fee counted from the answers needs a required whole-number question of at least 1',
      'VALIDATION_FAILED',
      problems.map((problem) => ({ problem })),
    );
  }
  return idempotent(
    deps.idempotency,
    {
      scope: `staff:${input.publishedBy}`,
      operation: 'publishProcedure',
      key: input.idempotencyKey,
      request: input.procedure,
    },
    async (remember) => {
      const current = await deps.catalogue.procedure(input.procedure.code);
      const version: ProcedureVersion = {
        ...input.procedure,
        version: (current?.version ?? 0) + 1,
        publishedAt: input.now.toISOString(),
      };
      await deps.catalogue.publish(version, input.publishedBy, remember(version));
      return version;
    },
  );
}
