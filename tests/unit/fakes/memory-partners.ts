// In-memory fake of the partner registry: ARN → agency, and the ARNs it was asked for.
import type { PartnerRegistry } from '../../../shared/ports/partner-registry';

export function memoryPartnerRegistry(initial: Record<string, string>) {
  const agencies = new Map(Object.entries(initial));
  const lookups: string[] = [];
  const registry: PartnerRegistry & { lookups: string[] } = {
    lookups,
    async agencyOf(principalArn) {
      lookups.push(principalArn);
      return agencies.get(principalArn);
    },
    async register(entry) {
      agencies.set(entry.principalArn, entry.agency);
    },
  };
  return registry;
}
