import { afterEach, describe, expect, it } from 'vitest';
import { agencyWebhooks } from '../../shared/adapters/agency-webhooks';
import {
  AGENCY_WEBHOOKS_SECRET_PREFIX,
  ENDPOINT_CACHE_MS,
  type GetSecretString,
  secretsManagerAgencyEndpoints,
} from '../../shared/adapters/secrets-manager-agency-endpoints';
import { ConfigError } from '../../shared/errors';
import { generateSecret } from '../../shared/webhooks/standard-webhooks';

const prefix = 'motcua/dev/agency-webhooks/';
const police = '000.33.08.H26';

/** An in-memory GetSecretValue: the secrets by name, every call recorded; a missing name throws as the SDK does. */
function fakeSecrets(values: Record<string, string | Error>) {
  const calls: string[] = [];
  const getSecret: GetSecretString = async (id) => {
    calls.push(id);
    const value = values[id];
    if (value instanceof Error) throw value;
    if (value === undefined) {
      throw Object.assign(new Error(`Secrets Manager can't find the specified secret.`), {
        name: 'ResourceNotFoundException',
      });
    }
    return { SecretString: value };
  };
  return { calls, getSecret, values };
}

const secretsIn = (value: string) => value.match(/whsec_[A-Za-z0-9+/=]+/g) ?? [];
const endpointJson = (url: string, secrets: string[]) => JSON.stringify({ url, secrets });

describe('Secrets Manager agency endpoints', () => {
  it('reads the agency’s secret by <prefix><agency code>', async () => {
    const secret = generateSecret();
    const fake = fakeSecrets({
      [`${prefix}${police}`]: endpointJson('https://hooks.police.example/motcua', [secret]),
    });
    const endpoints = secretsManagerAgencyEndpoints({ prefix, getSecret: fake.getSecret });
    await expect(endpoints.endpointOf(police)).resolves.toEqual({
      url: 'https://hooks.police.example/motcua',
      secrets: [secret],
    });
    expect(fake.calls).toEqual([`${prefix}${police}`]);
  });

  it('keeps an answer five minutes per agency, then reads again', async () => {
    let now = 1_000_000;
    const fake = fakeSecrets({
      [`${prefix}${police}`]: endpointJson('https://a.example/', [generateSecret()]),
    });
    const endpoints = secretsManagerAgencyEndpoints({ prefix, getSecret: fake.getSecret, now: () => now });
    await endpoints.endpointOf(police);
    await endpoints.endpointOf(police);
    now += ENDPOINT_CACHE_MS - 1;
    await endpoints.endpointOf(police);
    expect(fake.calls).toHaveLength(1);
    // A rotation reaches the function within the five minutes.
    const rotated = generateSecret();
    fake.values[`${prefix}${police}`] = endpointJson('https://a.example/', [rotated]);
    now += 2;
    await expect(endpoints.endpointOf(police)).resolves.toMatchObject({ secrets: [rotated] });
    expect(fake.calls).toHaveLength(2);
  });

  it('a missing secret is no endpoint, and that answer is kept too', async () => {
    const fake = fakeSecrets({});
    const endpoints = secretsManagerAgencyEndpoints({ prefix, getSecret: fake.getSecret });
    await expect(endpoints.endpointOf(police)).resolves.toBeUndefined();
    await expect(endpoints.endpointOf(police)).resolves.toBeUndefined();
    expect(fake.calls).toHaveLength(1);
  });

  it('any other error is thrown and not kept: the next notice reads again', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    const fake = fakeSecrets({ [`${prefix}${police}`]: denied });
    const endpoints = secretsManagerAgencyEndpoints({ prefix, getSecret: fake.getSecret });
    await expect(endpoints.endpointOf(police)).rejects.toBe(denied);
    fake.values[`${prefix}${police}`] = endpointJson('https://a.example/', [generateSecret()]);
    await expect(endpoints.endpointOf(police)).resolves.toMatchObject({ url: 'https://a.example/' });
    expect(fake.calls).toHaveLength(2);
  });

  it.each([
    ['not JSON', 'whsec_nope'],
    ['an http URL', endpointJson('http://hooks.example/', [generateSecret()])],
    ['not a URL', endpointJson('hooks.example', [generateSecret()])],
    ['no secret', endpointJson('https://hooks.example/', [])],
    [
      'four secrets',
      endpointJson(
        'https://hooks.example/',
        [1, 2, 3, 4].map(() => generateSecret()),
      ),
    ],
    ['a malformed secret', endpointJson('https://hooks.example/', ['whsec_short'])],
    [
      'an unknown field',
      JSON.stringify({ url: 'https://hooks.example/', secrets: [generateSecret()], x: 1 }),
    ],
  ])('refuses a value with %s, naming the secret and never its value', async (_, value) => {
    const fake = fakeSecrets({ [`${prefix}${police}`]: value });
    const endpoints = secretsManagerAgencyEndpoints({ prefix, getSecret: fake.getSecret });
    const error = await endpoints.endpointOf(police).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`${prefix}${police}`);
    for (const secret of secretsIn(value)) expect((error as Error).message).not.toContain(secret);
  });

  it('allows http on the embedded stack only', async () => {
    const fake = fakeSecrets({
      [`${prefix}${police}`]: endpointJson('http://127.0.0.1:4600/hooks/x', [generateSecret()]),
    });
    const endpoints = secretsManagerAgencyEndpoints({ prefix, getSecret: fake.getSecret, allowHttp: true });
    await expect(endpoints.endpointOf(police)).resolves.toMatchObject({
      url: 'http://127.0.0.1:4600/hooks/x',
    });
  });

  it('asks for no secret outside the agency-code alphabet (no path tricks)', async () => {
    const fake = fakeSecrets({});
    const endpoints = secretsManagerAgencyEndpoints({ prefix, getSecret: fake.getSecret });
    await expect(endpoints.endpointOf('../payment-vnpay')).resolves.toBeUndefined();
    await expect(endpoints.endpointOf('')).resolves.toBeUndefined();
    expect(fake.calls).toEqual([]);
  });

  it('refuses a prefix that does not end with /', () => {
    expect(() => secretsManagerAgencyEndpoints({ prefix: 'motcua/dev/agency-webhooks' })).toThrow(
      ConfigError,
    );
  });
});

describe('agencyWebhooks source selection', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('sends nothing without a source', async () => {
    delete process.env.AGENCY_ENDPOINTS_FILE;
    delete process.env[AGENCY_WEBHOOKS_SECRET_PREFIX];
    await expect(agencyWebhooks()).resolves.toBeUndefined();
  });

  it('uses Secrets Manager where only the prefix is set', async () => {
    delete process.env.AGENCY_ENDPOINTS_FILE;
    process.env[AGENCY_WEBHOOKS_SECRET_PREFIX] = prefix;
    await expect(agencyWebhooks()).resolves.toBeTypeOf('function');
  });
});
