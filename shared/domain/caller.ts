// Who acts on the platform, as the domain sees it: built at the edge from a JWT, a SigV4 principal, a provider's
// signature or a workflow task, and never an HTTP detail.

export type StaffRole = 'officer' | 'supervisor' | 'admin';

export type Caller =
  /** A public route's caller: proves nothing. */
  | { kind: 'anonymous' }
  | { kind: 'citizen'; sub: string; name: string; citizenId?: string }
  /** Officers, supervisors and admins; one account may hold several roles, each scoped to a branch or agency. */
  | { kind: 'staff'; sub: string; name: string; roles: StaffRole[]; branch?: string; agency?: string }
  /** A partner agency, through its registered SigV4 principal. */
  | { kind: 'agency'; agency: string; principalArn: string }
  /** A payment provider, proven by the signature inside its payload. */
  | { kind: 'provider'; provider: string }
  /** The platform itself: a stream consumer, a workflow task, a schedule. */
  | { kind: 'system'; process: string };

export type CallerKind = Caller['kind'];

/** The key space a caller's Idempotency-Keys live in: two callers never share one, whatever their kinds. */
export function callerScope(caller: Caller): string {
  switch (caller.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'citizen':
    case 'staff':
      return `${caller.kind}:${caller.sub}`;
    case 'agency':
      return `agency:${caller.agency}:${caller.principalArn}`;
    case 'provider':
      return `provider:${caller.provider}`;
    case 'system':
      return `system:${caller.process}`;
  }
}

/** Who an upload belongs to: a person by account, an agency by its id; undefined for callers that never upload. */
export function uploadOwner(caller: Caller): string | undefined {
  if (caller.kind === 'citizen' || caller.kind === 'staff') return caller.sub;
  if (caller.kind === 'agency') return `agency:${caller.agency}`;
  return undefined;
}

/** How an event or audit entry names who acted: a staff member by the role they act in. */
export function actingKind(
  caller: Caller,
): 'anonymous' | 'citizen' | 'officer' | 'supervisor' | 'admin' | 'agency' | 'provider' | 'system' {
  if (caller.kind !== 'staff') return caller.kind;
  return (
    (['officer', 'supervisor', 'admin'] as const).find((role) => caller.roles.includes(role)) ?? 'officer'
  );
}

/** A stable id of who acted, for events and the audit log (never a citizen ID). */
export function callerId(caller: Caller): string | undefined {
  switch (caller.kind) {
    case 'citizen':
    case 'staff':
      return caller.sub;
    case 'agency':
      return caller.agency;
    case 'provider':
      return caller.provider;
    case 'system':
      return caller.process;
    case 'anonymous':
      return undefined;
  }
}
