// Who may see or move which dossier: checked on the object, never only at the gateway.

import type { Actor, Dossier } from '../../domain/dossier';
import { applicantKey } from '../../domain/dossier-code';
import { ForbiddenError, NotFoundError } from '../../errors';
import type { Principal } from '../../http/principal';

const notFound = (code: string) => new NotFoundError(`No dossier ${code}`, 'DOSSIER_NOT_FOUND');

/** The applicant (by account or by citizen ID) and staff of the receiving unit; anyone else learns nothing. */
export function canSee(dossier: Dossier, principal: Principal): boolean {
  if (principal.kind === 'citizen') {
    return (
      dossier.ownerSub === principal.sub ||
      (principal.citizenId !== undefined && dossier.applicantKey === applicantKey(principal.citizenId))
    );
  }
  if (principal.kind === 'staff') {
    return (
      principal.branch === dossier.unit &&
      (principal.roles.includes('officer') || principal.roles.includes('supervisor'))
    );
  }
  return false;
}

export function assertCanSee(dossier: Dossier | undefined, code: string, principal: Principal): Dossier {
  if (!dossier || !canSee(dossier, principal)) throw notFound(code);
  return dossier;
}

/** Intake decisions belong to officers of the receiving branch. */
export function officerOf(dossier: Dossier | undefined, code: string, principal: Principal) {
  if (!dossier || principal.kind !== 'staff' || principal.branch !== dossier.unit) throw notFound(code);
  if (!principal.roles.includes('officer')) throw new ForbiddenError('Only an officer may decide intake');
  return {
    dossier,
    actor: {
      kind: 'officer',
      sub: principal.sub,
      name: principal.name,
      branch: principal.branch,
    } satisfies Actor,
  };
}

/** Supplements and withdrawals belong to the applicant. */
export function applicantOf(dossier: Dossier | undefined, code: string, principal: Principal) {
  if (!dossier || principal.kind !== 'citizen' || !canSee(dossier, principal)) throw notFound(code);
  return { dossier, actor: { kind: 'citizen', sub: principal.sub, name: principal.name } satisfies Actor };
}

export function officerBranch(principal: Principal): { branch: string; actor: Actor & { kind: 'officer' } } {
  if (principal.kind !== 'staff' || !principal.branch) {
    throw new ForbiddenError('This needs an officer account scoped to a branch', 'NO_BRANCH_SCOPE');
  }
  return {
    branch: principal.branch,
    actor: { kind: 'officer', sub: principal.sub, name: principal.name, branch: principal.branch },
  };
}
