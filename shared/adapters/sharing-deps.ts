// Builds the data-sharing export's ports from the environment, once per cold start; and reads the pseudonym key.
import { requireEnv } from '../config';
import { buckets, tables } from '../data/resources';
import { pseudonymSecret } from '../data/sharing';
import { ConfigError } from '../errors';
import type { ExportDayDeps } from '../usecases/stats/export-day';
import { dynamoDocumentClient } from './aws';
import { catalogueRepository } from './deps';
import { dynamoDossierRepository } from './dynamo/dossier-repository';
import { s3ExportStore } from './s3/export-store';
import { s3 } from './s3-client';
import { readSecretJson, requireSecretRefIn } from './secret-values';

export function exportDayDeps(): ExportDayDeps {
  return {
    // The export only reads (the register index); it writes no idempotency record.
    dossiers: dynamoDossierRepository(dynamoDocumentClient(), requireEnv(tables.dossiers.envVar), () => {
      throw new ConfigError('the data-sharing export writes no idempotency record');
    }),
    catalogue: catalogueRepository(),
    exports: s3ExportStore(s3(), requireEnv(buckets.exports.envVar)),
    pseudonymKey: pseudonymKey(),
    clock: () => new Date(),
  };
}

/**
 * The pseudonym key: from Secrets Manager by the ARN in its variable, or on the embedded stack from the git-ignored
 * JSON file whose path the variable holds (as shared/adapters/secret-values.ts reads the declared secrets). The
 * variable is checked at cold start; the value is read on first use and kept for the warm instance's life (it is
 * never rotated on a schedule). A bad value names the secret, never the value.
 */
export function pseudonymKey(): () => Promise<string> {
  const ref = requireSecretRefIn(pseudonymSecret.envVar);
  let cached: Promise<string> | undefined;
  const load = async () => {
    const value = (await readSecretJson(ref, pseudonymSecret.id))[pseudonymSecret.key];
    if (typeof value !== 'string' || value.length < pseudonymSecret.minLength) {
      throw new ConfigError(
        `secret ${pseudonymSecret.id} lacks a "${pseudonymSecret.key}" of ${pseudonymSecret.minLength}+ characters`,
      );
    }
    return value;
  };
  return () => {
    if (!cached) {
      const value = load();
      cached = value;
      // A failed read is not kept: the next invocation tries again.
      value.catch(() => {
        if (cached === value) cached = undefined;
      });
    }
    return cached;
  };
}
