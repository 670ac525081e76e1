// Configuration from the environment, read once per cold start; a missing value stops start-up with its name.
import * as z from 'zod';
import { ConfigError } from './errors';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new ConfigError(`Missing environment variable ${name}`);
  return value;
}

const partnerPrincipalsSchema = z.record(z.string(), z.string());

export interface HttpConfig {
  corsOrigins: string[];
  partnerPrincipals: Record<string, string>;
  publicBaseUrl: string;
  stage: string;
}

let httpConfig: HttpConfig | undefined;

/** Settings every HTTP function shares; validated on first use and then kept. */
export function readHttpConfig(): HttpConfig {
  if (httpConfig) return httpConfig;
  const partners = partnerPrincipalsSchema.safeParse(JSON.parse(process.env.PARTNER_PRINCIPALS ?? '{}'));
  if (!partners.success)
    throw new ConfigError('PARTNER_PRINCIPALS must be a JSON object of ARN to agency code');
  httpConfig = {
    corsOrigins: (process.env.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    partnerPrincipals: partners.data,
    publicBaseUrl: process.env.PUBLIC_BASE_URL ?? 'http://localhost:3000',
    stage: process.env.STAGE ?? 'local',
  };
  return httpConfig;
}

/** Tests change the environment between cases; production never calls this. */
export function resetConfigForTests() {
  httpConfig = undefined;
}
