// What a partner agency sees of itself: its record and the procedures that route work to it.
import { NotFoundError } from '../../errors';
import type { CatalogueRepository } from '../../ports/catalogue-repository';
import type { PartnerProfile } from '../../schemas/catalogue';
import type { CatalogueSnapshot } from './catalogue-snapshot';

export async function partnerProfile(
  agencyCode: string,
  deps: { catalogue: CatalogueRepository; snapshot: CatalogueSnapshot },
): Promise<PartnerProfile> {
  const [agency, index] = await Promise.all([deps.catalogue.agency(agencyCode), deps.snapshot.current()]);
  if (!agency) throw new NotFoundError(`No agency ${agencyCode}`, 'AGENCY_NOT_FOUND');
  const procedures = index.entries
    .filter((entry) => entry.agencies.has(agencyCode))
    .map((entry) => entry.summary);
  return { agency, procedures };
}
