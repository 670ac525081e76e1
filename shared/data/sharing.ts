// Data sharing, declared once: the daily export's schedule, its pseudonym key, where the facts land and how Athena
// names them. Read by the export's handler and adapters, the CDK data-sharing stack and the embedded stack.
import type { ResourceId } from './resources';

/** The daily export of de-identified dossier facts (a schedule of its own: a cron, not a rate). */
export const dossierFactsExport = {
  id: 'dossier-facts-export',
  description:
    "Writes the previous Vietnam-local day's de-identified dossier facts, a part per branch, to the exports bucket",
  handler: 'functions/sharing/export-day.ts',
  uses: { dossiers: 'read', catalogue: 'read', exports: 'readwrite' },
  /**
   * EventBridge cron fields, in UTC: 17:30 UTC is 00:30 in Vietnam (UTC+7, no DST), half an hour after the day it
   * exports has ended, so receipts committed at the last moment are in the index.
   */
  cron: { minute: '30', hour: '17' },
  timeoutSeconds: 900,
} as const satisfies {
  id: string;
  description: string;
  handler: string;
  uses: Partial<Record<ResourceId, 'read' | 'readwrite'>>;
  cron: { minute: string; hour: string };
  timeoutSeconds: number;
};

/** Where the facts land in the exports bucket: Hive-style `day=` partitions, one part per branch. */
export const FACTS_PREFIX = 'dossier-facts/';
export const factKey = (day: string, unit: string) => `${FACTS_PREFIX}day=${day}/part-${unit}.ndjson.gz`;

/** Athena writes its query results here (expired after 30 days: resources.ts `transientPrefixes`). */
export const ATHENA_RESULTS_PREFIX = 'athena-results/';

/** The Glue database and table Athena queries (Glue names: lower case, digits and underscores). */
export const glueNames = (env: string) => ({
  database: `motcua_${env}_sharing`,
  table: 'dossier_facts',
  workGroup: `motcua-${env}-data-sharing`,
});

/** The first day partition projection offers (nothing was exported before it). */
export const FIRST_EXPORT_DAY = '2025-01-01';

/**
 * The key of the dossier pseudonyms (HMAC-SHA256 of the dossier code): generated per environment by the data-sharing
 * stack in Secrets Manager, a JSON object `{ "key": "…" }`. Its variable holds the secret's ARN in the cloud and the
 * path of a git-ignored JSON file on the embedded stack (local/pseudonym-secret.ts). Never rotated on a schedule: a
 * new key gives every dossier a new pseudonym, so rows exported before and after no longer join.
 */
export const pseudonymSecret = {
  id: 'export-pseudonym',
  envVar: 'SECRET_EXPORT_PSEUDONYM',
  name: (env: string) => `motcua/${env}/sharing/pseudonym-key`,
  key: 'key',
  /** Shorter keys are refused: a guessable key would let anyone holding a dossier code find its rows. */
  minLength: 32,
  description:
    'The HMAC-SHA256 key of the pseudonyms that replace dossier codes in the de-identified daily export',
} as const;
