// Real seed data as fixtures, so unit tests speak about the procedures citizens actually use.
import { loadSeed } from '../../local/seed';
import type { ProcedureVersion } from '../../shared/schemas/catalogue';

export const seed = loadSeed();

export function asVersions(version = 1): ProcedureVersion[] {
  return seed.procedures.map((p) => ({ ...p, version, publishedAt: '2026-11-01T00:00:00.000Z' }));
}

export function procedure(code: string) {
  const found = seed.procedures.find((p) => p.code === code);
  if (!found) throw new Error(`no seed procedure ${code}`);
  return found;
}
