// Agency webhook endpoints in the cloud: one Secrets Manager secret per agency, `<prefix><agency code>` (the prefix is
// AGENCY_WEBHOOKS_SECRET_PREFIX, `motcua/<env>/agency-webhooks/`), holding `{"url": "https://…", "secrets":
// ["whsec_…"]}`. Read with GetSecretValue by one client per warm function, each agency's answer kept for five
// minutes; a missing secret is "no endpoint" (the agency pulls its queue) and is kept too. Any other error is thrown:
// the caller counts the notice as failed.
import { LOCAL_STAGE } from '../config';
import { ConfigError } from '../errors';
import type { AgencyEndpoint, AgencyEndpoints } from '../ports/agency-endpoints';
import * as z from '../schemas/zod';
import { secretKey } from '../webhooks/standard-webhooks';

export const AGENCY_WEBHOOKS_SECRET_PREFIX = 'AGENCY_WEBHOOKS_SECRET_PREFIX';

/** The secret name prefix of an environment's agency endpoints (infra grants `<prefix>*`). */
export const agencyWebhooksSecretPrefix = (envName: string) => `motcua/${envName}/agency-webhooks/`;

export const ENDPOINT_CACHE_MS = 5 * 60_000;

/** Electronic agency codes (`000.00.13.H26`): characters a secret name allows, no path separator. */
const AGENCY_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** GetSecretValue's answer as far as this reads it; a missing secret throws an error named ResourceNotFoundException. */
export type GetSecretString = (secretId: string) => Promise<{ SecretString?: string | undefined }>;

export interface SecretsManagerEndpointsOptions {
  prefix: string;
  /** Defaults to GetSecretValue on one SecretsManagerClient, created on first use. */
  getSecret?: GetSecretString;
  /** Allows http URLs (STAGE=local only). */
  allowHttp?: boolean;
  now?: () => number;
}

const endpointSchema = (allowHttp: boolean) =>
  z.strictObject({
    url: z.url().check(
      z.refine((url) => {
        const protocol = URL.canParse(url) ? new URL(url).protocol : '';
        return protocol === 'https:' || (allowHttp && protocol === 'http:');
      }, 'must be an https URL'),
    ),
    secrets: z.array(z.string()).check(z.minLength(1), z.maxLength(3)),
  });

let sdkGetSecret: GetSecretString | undefined;
function defaultGetSecret(): GetSecretString {
  sdkGetSecret ??= (() => {
    let client: Promise<(id: string) => Promise<{ SecretString?: string | undefined }>> | undefined;
    return async (secretId) => {
      client ??= import('@aws-sdk/client-secrets-manager').then(
        ({ SecretsManagerClient, GetSecretValueCommand }) => {
          const sdk = new SecretsManagerClient({});
          return (id: string) => sdk.send(new GetSecretValueCommand({ SecretId: id }));
        },
      );
      return (await client)(secretId);
    };
  })();
  return sdkGetSecret;
}

const isNotFound = (error: unknown) =>
  (error as { name?: unknown } | undefined)?.name === 'ResourceNotFoundException';

export function secretsManagerAgencyEndpoints(options: SecretsManagerEndpointsOptions): AgencyEndpoints {
  const { prefix } = options;
  if (!prefix.endsWith('/')) throw new ConfigError(`${AGENCY_WEBHOOKS_SECRET_PREFIX} must end with "/"`);
  const getSecret = options.getSecret ?? defaultGetSecret();
  const now = options.now ?? Date.now;
  const schema = endpointSchema(options.allowHttp ?? false);
  const cache = new Map<string, { at: number; value: Promise<AgencyEndpoint | undefined> }>();

  const load = async (agency: string): Promise<AgencyEndpoint | undefined> => {
    const name = `${prefix}${agency}`;
    let text: string | undefined;
    try {
      text = (await getSecret(name)).SecretString;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    if (text === undefined) throw new ConfigError(`secret ${name} has no string value`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ConfigError(`secret ${name} is not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      // Names the fields, never their values: a secret never reaches a log.
      const where = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(value)'}: ${issue.message}`,
      );
      throw new ConfigError(`secret ${name} is not an agency endpoint: ${where.join('; ')}`);
    }
    try {
      parsed.data.secrets.forEach(secretKey);
    } catch {
      throw new ConfigError(`secret ${name} has a secret that is not whsec_<base64 of 24–64 bytes>`);
    }
    return { url: parsed.data.url, secrets: parsed.data.secrets };
  };

  return {
    endpointOf(agency) {
      if (!AGENCY_CODE.test(agency)) return Promise.resolve(undefined);
      const cached = cache.get(agency);
      if (cached && now() - cached.at < ENDPOINT_CACHE_MS) return cached.value;
      const value = load(agency);
      cache.set(agency, { at: now(), value });
      // A failed read is not kept: the next notice tries again.
      value.catch(() => {
        if (cache.get(agency)?.value === value) cache.delete(agency);
      });
      return value;
    },
  };
}

/** The source AGENCY_WEBHOOKS_SECRET_PREFIX names, or undefined where it is not set. */
export function secretsManagerEndpointsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): AgencyEndpoints | undefined {
  const prefix = env[AGENCY_WEBHOOKS_SECRET_PREFIX];
  if (!prefix) return undefined;
  return secretsManagerAgencyEndpoints({ prefix, allowHttp: env.STAGE === LOCAL_STAGE });
}
