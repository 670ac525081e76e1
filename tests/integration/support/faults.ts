// Faults planted for a routing task, across the function instances that run it (each in its own worker): a fault is
// a file in `<dir>/<task>/`; an instance takes one by deleting it (one delete wins), and `always` is never taken.
import { mkdirSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FAULTS_DIR_ENV = 'MOTCUA_TEST_FAULTS_DIR';

/** The next `count` runs of `task` fail, or every run while `always` is planted. */
export function plantFaults(dir: string, task: string, count: number | 'always'): void {
  mkdirSync(join(dir, task), { recursive: true });
  if (count === 'always') writeFileSync(join(dir, task, 'always'), '');
  else for (let i = 0; i < count; i++) writeFileSync(join(dir, task, `fault-${i}`), '');
}

export function clearFaults(dir: string, task: string): void {
  rmSync(join(dir, task), { recursive: true, force: true });
}

/** Faults of `task` not taken yet (`always` counts as one). */
export function faultsLeft(dir: string, task: string): string[] {
  try {
    return readdirSync(join(dir, task));
  } catch {
    return [];
  }
}

/** Whether this run of `task` fails: takes one planted fault. */
export function takeFault(task: string): boolean {
  const dir = process.env[FAULTS_DIR_ENV];
  if (!dir) return false;
  for (const name of faultsLeft(dir, task)) {
    if (name === 'always') return true;
    try {
      unlinkSync(join(dir, task, name));
      return true;
    } catch {
      // Another instance took it first.
    }
  }
  return false;
}
