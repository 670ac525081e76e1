// Configuration from the environment, read once per cold start and validated there: a missing or unusable value stops
// the function before it does any work, naming the variable (CONVENTIONS.md §8).
import { buckets, type ResourceId, tables } from './data/resources';
import { type CollectorBook, parseCollectorBook } from './domain/issued-receipts';
import { ConfigError } from './errors';

/** The embedded stack's stage: the only one where the platform may be served from localhost. */
export const LOCAL_STAGE = 'local';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '')
    throw new ConfigError(`Missing environment variable ${name}`);
  return value;
}

export interface HttpConfig {
  corsOrigins: string[];
  publicBaseUrl: string;
  stage: string;
}

const loopbackHosts = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0)$/i;

function publicBaseUrlOf(stage: string): string {
  const raw = requireEnv('PUBLIC_BASE_URL');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`PUBLIC_BASE_URL is not an absolute URL: ${raw}`);
  }
  if (stage !== LOCAL_STAGE) {
    if (loopbackHosts.test(url.hostname) || url.hostname.endsWith('.localhost')) {
      throw new ConfigError(
        `PUBLIC_BASE_URL points at ${url.hostname}, which only the embedded stack (STAGE=${LOCAL_STAGE}) may use; STAGE is ${stage}`,
      );
    }
    if (url.protocol !== 'https:')
      throw new ConfigError(`PUBLIC_BASE_URL must be https outside STAGE=${LOCAL_STAGE}`);
  } else if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`PUBLIC_BASE_URL must be an http(s) URL: ${raw}`);
  }
  return raw.replace(/\/+$/, '');
}

function corsOriginsOf(): string[] {
  const origins = (process.env.CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin) {
      throw new ConfigError(`CORS_ORIGINS holds ${origin}, which is not an origin (scheme://host[:port])`);
    }
  }
  return origins;
}

let httpConfig: HttpConfig | undefined;

/** Settings every HTTP function shares; validated once (httpRoute calls it at module load) and then kept. */
export function readHttpConfig(): HttpConfig {
  if (httpConfig) return httpConfig;
  const stage = requireEnv('STAGE');
  httpConfig = { stage, publicBaseUrl: publicBaseUrlOf(stage), corsOrigins: corsOriginsOf() };
  return httpConfig;
}

export interface NotificationConfig {
  /** The SES identity's From address (NOTIFY_EMAIL_FROM). */
  emailFrom: string;
  /** The alphanumeric SMS sender id (NOTIFY_SMS_SENDER_ID): 1–11 letters and digits, at least one letter. */
  smsSenderId: string;
  /** Where the messages' links point (the public API). */
  publicBaseUrl: string;
}

/** The notifications consumer's settings; SES and SNS endpoints come from the SDK's own AWS_ENDPOINT_URL_* variables. */
export function readNotificationConfig(): NotificationConfig {
  const emailFrom = requireEnv('NOTIFY_EMAIL_FROM');
  if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(emailFrom))
    throw new ConfigError(`NOTIFY_EMAIL_FROM is not an email address: ${emailFrom}`);
  const smsSenderId = requireEnv('NOTIFY_SMS_SENDER_ID');
  if (!/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/.test(smsSenderId))
    throw new ConfigError(
      `NOTIFY_SMS_SENDER_ID must be 1-11 letters and digits with a letter: ${smsSenderId}`,
    );
  return { emailFrom, smsSenderId, publicBaseUrl: publicBaseUrlOf(requireEnv('STAGE')) };
}

/**
 * Where the supervisors hear of a step past its due time (NOTIFY_SUPERVISORS_EMAIL): the center's supervision mailbox
 * of the environment. The From address is the notifications' (readNotificationConfig).
 */
export function readSupervisorAlertConfig(): { supervisorsEmail: string } {
  const supervisorsEmail = requireEnv('NOTIFY_SUPERVISORS_EMAIL');
  if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(supervisorsEmail))
    throw new ConfigError(`NOTIFY_SUPERVISORS_EMAIL is not an email address: ${supervisorsEmail}`);
  return { supervisorsEmail };
}

/** The variables that carry the receipt book to the receipt issuer (the events stack sets them from `receipts`). */
export const receiptBookEnv = {
  templateSymbol: 'RECEIPT_TEMPLATE_SYMBOL',
  seriesLetters: 'RECEIPT_SERIES_LETTERS',
  collectorTaxCode: 'RECEIPT_COLLECTOR_TAX_CODE',
} as const satisfies Record<keyof CollectorBook, string>;

/** A book as the variables that carry it. */
export function receiptBookEnvironment(book: CollectorBook): Record<string, string> {
  return Object.fromEntries(
    Object.entries(receiptBookEnv).map(([field, name]) => [name, book[field as keyof CollectorBook]]),
  );
}

/** The book the center issues e-receipts from: its registered template symbol, series letters and tax code. */
export function readReceiptBookConfig(): CollectorBook {
  const raw = {
    templateSymbol: requireEnv(receiptBookEnv.templateSymbol),
    seriesLetters: requireEnv(receiptBookEnv.seriesLetters),
    collectorTaxCode: requireEnv(receiptBookEnv.collectorTaxCode),
  };
  try {
    return parseCollectorBook(raw);
  } catch (error) {
    throw new ConfigError(
      `The receipt book (${Object.values(receiptBookEnv).join(', ')}): ${(error as Error).message}`,
    );
  }
}

const resourceEnvVar = (id: ResourceId) =>
  id in tables ? tables[id as keyof typeof tables].envVar : buckets[id as keyof typeof buckets].envVar;

/**
 * The physical names of the resources a function declares (its route's or consumer's `uses`): each must be set and
 * non-empty, so a function never starts with a table it cannot name.
 */
export function requireResourceNames(ids: readonly ResourceId[]): Partial<Record<ResourceId, string>> {
  return Object.fromEntries(ids.map((id) => [id, requireEnv(resourceEnvVar(id))]));
}

/** Tests change the environment between cases; production never calls this. */
export function resetConfigForTests() {
  httpConfig = undefined;
}
