// Who is calling, read from what the gateway verified: Cognito-style claims or the IAM caller of a SigV4 request.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Caller, StaffRole } from '../domain/caller';
import { ForbiddenError, UnauthorizedError } from '../errors';
import type { PartnerRegistry } from '../ports/partner-registry';
import { gatewayAnswers } from './gateway-responses';
import type { AuthSpec } from './route-types';

/** The HTTP edge's name for the domain caller it builds. */
export type Principal = Caller;

const staffRoles: readonly StaffRole[] = ['officer', 'supervisor', 'admin'];

/**
 * IAM auth reports a caller that assumed a role as `arn:aws:sts::<account>:assumed-role/<role>/<session>`;
 * partners are registered by role ARN (`arn:aws:iam::<account>:role/<role>`), so the two are compared as the latter.
 */
export function roleArnOf(callerArn: string): string {
  const assumed = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(callerArn);
  return assumed ? `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}` : callerArn;
}

/** `cognito:groups` reaches a REST API authorizer as a string (`"[a b]"` or `"a,b"`); tokens carry an array. */
export function parseGroups(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return [];
  return raw
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/** Own entries only: a claim name or an ARN must never find a member of Object.prototype (`constructor`…). */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function claimsOf(event: APIGatewayProxyEvent): Record<string, unknown> | undefined {
  const authorizer = event.requestContext?.authorizer as
    | { claims?: Record<string, unknown> }
    | null
    | undefined;
  return authorizer?.claims ?? undefined;
}

/** The IAM identity the gateway verified for this request, if any (a registered partner or not). */
export function presentedPrincipal(event: APIGatewayProxyEvent): string | undefined {
  return event.requestContext?.identity?.userArn ?? undefined;
}

/**
 * Turns the verified identity into a principal allowed on this route, or refuses:
 * 401 when the route needs an identity the gateway did not establish, 403 when the identity lacks the role or, for a
 * SigV4 caller, is not in the partner registry (ACCESS_DENIED, as the gateway answers a principal its policy denies).
 */
export async function authorize(
  event: APIGatewayProxyEvent,
  auth: AuthSpec,
  partners?: PartnerRegistry,
): Promise<Caller> {
  switch (auth.kind) {
    case 'public':
    case 'provider':
      // A provider proves itself with the signature inside its payload: its use case makes it a provider caller.
      return { kind: 'anonymous' };
    case 'partner': {
      const arn = presentedPrincipal(event);
      // The same refusal the gateway gives a bearer token here: say which proof the route needs.
      const required = gatewayAnswers.signatureRequired;
      if (!arn) throw new UnauthorizedError(required.message, required.code);
      if (!partners) throw new Error('A partner route was built without the partner registry');
      // An assumed-role session is registered (and keyed for idempotency) by its role, which outlives the session.
      const registered = roleArnOf(arn);
      const agency = await partners.agencyOf(registered);
      if (!agency) {
        throw new ForbiddenError('This principal is not registered for a partner agency', 'ACCESS_DENIED');
      }
      return { kind: 'agency', agency, principalArn: registered };
    }
    case 'citizen':
    case 'staff':
    case 'user': {
      const claims = claimsOf(event) ?? {};
      const text = (claim: string) => {
        const value = own(claims, claim);
        return typeof value === 'string' ? value : undefined;
      };
      const sub = text('sub');
      if (!sub) throw new UnauthorizedError('A bearer token is required');
      const groups = parseGroups(own(claims, 'cognito:groups'));
      const name = text('name') ?? sub;
      const asCitizen =
        auth.kind === 'citizen' ||
        (auth.kind === 'user' && auth.roles.includes('citizen') && groups.includes('citizen'));
      if (asCitizen) {
        if (!groups.includes('citizen')) throw new ForbiddenError('This route is for citizens');
        const citizenId = text('custom:cccd');
        return citizenId ? { kind: 'citizen', sub, name, citizenId } : { kind: 'citizen', sub, name };
      }
      const roles = staffRoles.filter((role) => groups.includes(role));
      const allowed: readonly string[] = auth.roles;
      if (!roles.some((role) => allowed.includes(role))) {
        throw new ForbiddenError(`This route needs one of the roles: ${auth.roles.join(', ')}`);
      }
      const branch = text('custom:branch');
      const agency = text('custom:agency');
      return {
        kind: 'staff',
        sub,
        name,
        roles,
        ...(branch ? { branch } : {}),
        ...(agency ? { agency } : {}),
      };
    }
  }
}
