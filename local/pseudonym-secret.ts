// The data-sharing pseudonym key on the embedded stack: the JSON the cloud keeps in Secrets Manager
// (`motcua/<env>/sharing/pseudonym-key`, generated there), here a fixed development value in a git-ignored file, so a
// dossier's pseudonym is the same on every run and every machine (it protects nothing: local data is demo data).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pseudonymSecret } from '../shared/data/sharing';

export const LOCAL_PSEUDONYM_KEY = 'local-pseudonym-key-for-development-only-never-in-the-cloud';

/** Writes the file the export's variable points at on the embedded stack; returns its path. */
export function localPseudonymSecret(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${pseudonymSecret.id}.json`);
  writeFileSync(file, `${JSON.stringify({ [pseudonymSecret.key]: LOCAL_PSEUDONYM_KEY })}\n`, { mode: 0o600 });
  return file;
}
