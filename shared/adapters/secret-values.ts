// Reads a declared secret's value (shared/data/secrets.ts): from Secrets Manager by the ARN in its variable, or on the
// embedded stack from the git-ignored JSON file whose path the variable holds. Read on first use and kept for the
// warm function's life; a rotation reaches new instances (and every instance within CACHE_MS).
import { readFile } from 'node:fs/promises';
import { LOCAL_STAGE, requireEnv } from '../config';
import { type SecretId, secrets } from '../data/secrets';
import { ConfigError } from '../errors';

const CACHE_MS = 5 * 60_000;

/** Checks at cold start that a secret's variable is set (and is an ARN outside the embedded stack). */
export function requireSecretRefIn(envVar: string): string {
  const ref = requireEnv(envVar);
  if (!ref.startsWith('arn:') && process.env.STAGE !== LOCAL_STAGE) {
    throw new ConfigError(`${envVar} must be a Secrets Manager ARN outside STAGE=${LOCAL_STAGE}`);
  }
  return ref;
}

/** Checks at cold start that the declared secret's variable is set (and is an ARN outside the embedded stack). */
export function requireSecretRef(id: SecretId): string {
  return requireSecretRefIn(secrets[id].envVar);
}

async function fetchValue(ref: string): Promise<string> {
  if (!ref.startsWith('arn:')) return readFile(ref, 'utf8');
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const answer = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: ref }));
  if (answer.SecretString === undefined) throw new ConfigError(`secret ${ref} has no string value`);
  return answer.SecretString;
}

/** A secret's value parsed as JSON (a file's on the embedded stack); a bad value names the secret `id`, never the value. */
export async function readSecretJson(ref: string, id: string): Promise<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fetchValue(ref));
  } catch (error) {
    if (error instanceof SyntaxError) throw new ConfigError(`secret ${id} is not JSON`);
    throw error;
  }
  return (parsed ?? {}) as Record<string, unknown>;
}

/** The secret's JSON value, with every declared key a non-empty string; a bad value names the key, never the value. */
export function secretValue(id: SecretId): () => Promise<Record<string, string>> {
  const ref = requireSecretRef(id);
  const { keys } = secrets[id];
  let cached: { at: number; value: Promise<Record<string, string>> } | undefined;
  const load = async () => {
    const value = await readSecretJson(ref, id);
    for (const key of keys) {
      if (typeof value[key] !== 'string' || value[key].trim() === '') {
        throw new ConfigError(`secret ${id} lacks ${key}`);
      }
    }
    return Object.fromEntries(keys.map((key) => [key, value[key] as string]));
  };
  return () => {
    if (!cached || Date.now() - cached.at > CACHE_MS) {
      const value = load();
      cached = { at: Date.now(), value };
      // A failed read is not kept: the next invocation tries again.
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };
}
