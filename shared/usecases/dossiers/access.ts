// Who may see or move which dossier: checked on the object, never only at the gateway.

import type { Caller } from '../../domain/caller';
import type { Actor, Dossier } from '../../domain/dossier';
import { applicantKey } from '../../domain/dossier-code';
import { ForbiddenError, NotFoundError } from '../../errors';

const notFound = (code: string) => new NotFoundError(`No dossier ${code}`, 'DOSSIER_NOT_FOUND');

/** The applicant (by account or by citizen ID) and staff of the receiving unit; anyone else learns nothing. */
export function canSee(dossier: Dossier, caller: Caller): boolean {
  if (caller.kind === 'citizen') {
    return (
      dossier.ownerSub === caller.sub ||
      (caller.citizenId !== undefined && dossier.applicantKey === applicantKey(caller.citizenId))
    );
  }
  if (caller.kind === 'staff') {
    return (
      caller.branch === dossier.unit &&
      (caller.roles.includes('officer') || caller.roles.includes('supervisor'))
    );
  }
  return false;
}

export function assertCanSee(dossier: Dossier | undefined, code: string, caller: Caller): Dossier {
  if (!dossier || !canSee(dossier, caller)) throw notFound(code);
  return dossier;
}

/** Intake decisions belong to officers of the receiving branch. */
export function officerOf(dossier: Dossier | undefined, code: string, caller: Caller) {
  if (!dossier || caller.kind !== 'staff' || caller.branch !== dossier.unit) throw notFound(code);
  if (!caller.roles.includes('officer')) throw new ForbiddenError('Only an officer may decide intake');
  return {
    dossier,
    actor: {
      kind: 'officer',
      sub: caller.sub,
      name: caller.name,
      branch: caller.branch,
    } satisfies Actor,
  };
}

/** Supplements and withdrawals belong to the applicant. */
export function applicantOf(dossier: Dossier | undefined, code: string, caller: Caller) {
  if (!dossier || caller.kind !== 'citizen' || !canSee(dossier, caller)) throw notFound(code);
  return { dossier, actor: { kind: 'citizen', sub: caller.sub, name: caller.name } satisfies Actor };
}

export function officerBranch(caller: Caller): { branch: string; actor: Actor & { kind: 'officer' } } {
  if (caller.kind !== 'staff' || !caller.branch) {
    throw new ForbiddenError('This needs an officer account scoped to a branch', 'NO_BRANCH_SCOPE');
  }
  return {
    branch: caller.branch,
    actor: { kind: 'officer', sub: caller.sub, name: caller.name, branch: caller.branch },
  };
}
