import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { demoPartners } from '../../local/demo';
import { seedPartners } from '../../local/seed';
import { dynamoPartnerRegistry, partnerRegistryKey } from '../../shared/adapters/dynamo/partner-registry';
import { memoryPartnerRegistry } from './fakes/memory-partners';

/** A document client answering GetItem and PutItem from a map, counting the reads. */
function fakeClient() {
  const items = new Map<string, Record<string, unknown>>();
  let reads = 0;
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const key = JSON.stringify(
        command.input.Key ?? {
          pk: (command.input.Item as { pk: string }).pk,
          sk: (command.input.Item as { sk: string }).sk,
        },
      );
      if (command.constructor.name === 'GetCommand') {
        reads += 1;
        return { Item: items.get(key) };
      }
      items.set(key, command.input.Item as Record<string, unknown>);
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, items, reads: () => reads };
}

const arn = 'arn:aws:iam::111111111111:role/police';

describe('dynamoPartnerRegistry', () => {
  it('keeps registrations as PARTNER#<arn> / PARTNER items of the catalogue table', async () => {
    const fake = fakeClient();
    const registry = dynamoPartnerRegistry(fake.client, 'catalogue');
    await registry.register({
      principalArn: arn,
      agency: '000.33.08.H26',
      registeredAt: '2026-01-01T00:00:00Z',
    });
    expect(partnerRegistryKey(arn)).toEqual({ pk: `PARTNER#${arn}`, sk: 'PARTNER' });
    expect([...fake.items.values()][0]).toMatchObject({
      pk: `PARTNER#${arn}`,
      sk: 'PARTNER',
      entity: 'partner',
    });
    expect(await registry.agencyOf(arn)).toBe('000.33.08.H26');
  });

  it('reads each principal once per warm instance, an unknown one included, until the cache expires', async () => {
    const fake = fakeClient();
    let now = 0;
    const registry = dynamoPartnerRegistry(fake.client, 'catalogue', { cacheMs: 1_000, now: () => now });
    expect(await registry.agencyOf(arn)).toBeUndefined();
    expect(await registry.agencyOf(arn)).toBeUndefined();
    expect(fake.reads()).toBe(1);
    now = 1_001;
    await registry.agencyOf(arn);
    expect(fake.reads()).toBe(2);
  });
});

describe('seedPartners', () => {
  it('registers every demo partner once, and leaves them alone on the next start', async () => {
    const registry = memoryPartnerRegistry({});
    let registrations = 0;
    const counting = {
      ...registry,
      register: async (entry: Parameters<typeof registry.register>[0]) => {
        registrations += 1;
        await registry.register(entry);
      },
    };
    await seedPartners(counting);
    await seedPartners(counting);
    expect(registrations).toBe(demoPartners.length);
    for (const partner of demoPartners)
      expect(await registry.agencyOf(partner.principalArn)).toBe(partner.agency);
  });
});
