// The partner registry in the catalogue table: `PARTNER#<principal ARN>` / `PARTNER` → agency. Partner functions
// may read only these items of the table (infra/least-privilege.ts `partnerRegistryPartition`).
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PartnerRegistration, PartnerRegistry } from '../../ports/partner-registry';

export const partnerRegistryKey = (principalArn: string) => ({
  pk: `PARTNER#${principalArn}`,
  sk: 'PARTNER',
});

export function partnerRegistryItem(entry: PartnerRegistration) {
  return { ...partnerRegistryKey(entry.principalArn), entity: 'partner', data: entry };
}

export interface PartnerRegistryOptions {
  /** How long an answer (found or not) is kept per warm function; registrations take effect after it. */
  cacheMs?: number;
  now?: () => number;
}

export function dynamoPartnerRegistry(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: PartnerRegistryOptions = {},
): PartnerRegistry {
  const cacheMs = options.cacheMs ?? 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { agency: string | undefined; until: number }>();
  return {
    async agencyOf(principalArn) {
      const cached = cache.get(principalArn);
      if (cached && cached.until > now()) return cached.agency;
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: partnerRegistryKey(principalArn) }),
      );
      const agency = (Item?.data as PartnerRegistration | undefined)?.agency;
      // Callers are principals the gateway verified, so few; the bound only keeps a stray flood from growing it.
      if (cache.size >= 10_000) cache.clear();
      cache.set(principalArn, { agency, until: now() + cacheMs });
      return agency;
    },
    async register(entry) {
      await client.send(new PutCommand({ TableName: tableName, Item: partnerRegistryItem(entry) }));
      cache.delete(entry.principalArn);
    },
  };
}
