// Seeds the catalogue from data/catalogue: publishes a new version only where the seed differs from the current one.
import { readFileSync } from 'node:fs';
import type { CatalogueRepository } from '../shared/ports/catalogue-repository';
import type { PartnerRegistry } from '../shared/ports/partner-registry';
import { agencySchema, branchSchema, type Procedure, procedureSchema } from '../shared/schemas/catalogue';
import * as z from '../shared/schemas/zod';
import { requestHash } from '../shared/usecases/idempotent';
import { type DemoPartner, demoPartners } from './demo';

const read = (file: string) =>
  JSON.parse(readFileSync(new URL(`../data/catalogue/${file}`, import.meta.url), 'utf8'));

export function loadSeed() {
  return {
    procedures: z.object({ procedures: z.array(procedureSchema) }).parse(read('procedures.json')).procedures,
    agencies: z.object({ agencies: z.array(agencySchema) }).parse(read('agencies.json')).agencies,
    branches: z.object({ branches: z.array(branchSchema) }).parse(read('branches.json')).branches,
  };
}

function contentOf(procedure: Procedure) {
  return requestHash(procedureSchema.parse(procedure));
}

export async function seedCatalogue(catalogue: CatalogueRepository, now = new Date(), seed = loadSeed()) {
  await catalogue.putAgencies(seed.agencies);
  await catalogue.putBranches(seed.branches);
  // Versions published through the API are the catalogue's truth: the seed publishes a procedure only when the
  // seed's own content for it is new (first start, or data/catalogue changed), never to undo an admin's version.
  const marks = await catalogue.seedMarks();
  let published = 0;
  for (const procedure of seed.procedures) {
    const hash = contentOf(procedure);
    if (marks.get(procedure.code) === hash) continue;
    const current = await catalogue.procedure(procedure.code);
    const { version: _v, publishedAt: _p, ...rest } = current ?? { version: 0, publishedAt: '' };
    if (!current || contentOf(rest as Procedure) !== hash) {
      await catalogue.publish(
        { ...procedure, version: (current?.version ?? 0) + 1, publishedAt: now.toISOString() },
        'seed',
      );
      published += 1;
    }
    // After the publish: a crash in between leaves the seed's content current, which the next start marks.
    await catalogue.markSeeded([{ code: procedure.code, hash }]);
  }
  return {
    procedures: seed.procedures.length,
    published,
    agencies: seed.agencies.length,
    branches: seed.branches.length,
  };
}

/**
 * Registers the demo partners' principals (local/demo.ts) in the partner registry, as an administrator registers a
 * real agency's role: the partner functions find their agency there, not in an environment variable.
 */
export async function seedPartners(
  registry: PartnerRegistry,
  partners: readonly DemoPartner[] = demoPartners,
  now = new Date(),
) {
  for (const partner of partners) {
    if ((await registry.agencyOf(partner.principalArn)) === partner.agency) continue;
    await registry.register({
      principalArn: partner.principalArn,
      agency: partner.agency,
      registeredAt: now.toISOString(),
    });
  }
  return { partners: partners.length };
}
