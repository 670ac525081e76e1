// What a staff member may supervise: the numbers, dossiers and radars of which units. An officer or a supervisor
// scoped to a branch sees that branch; a supervisor or admin without a branch (the center) sees every unit.
import type { Caller } from './caller';

export type SupervisionScope = { kind: 'center' } | { kind: 'branch'; unit: string };

/** The caller's scope, or undefined when it supervises nothing (citizens, agencies, the public). */
export function supervisionScope(caller: Caller): SupervisionScope | undefined {
  if (caller.kind !== 'staff') return undefined;
  if (caller.branch) return { kind: 'branch', unit: caller.branch };
  if (caller.roles.includes('supervisor') || caller.roles.includes('admin')) return { kind: 'center' };
  return undefined;
}

/** Whether the scope covers a unit. */
export function scopeCovers(scope: SupervisionScope, unit: string): boolean {
  return scope.kind === 'center' || scope.unit === unit;
}
