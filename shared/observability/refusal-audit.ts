// Every refused partner or provider call becomes one audit entry (who, which route, when, the code): the edge calls
// this after it refused, before it answers. A failed append is logged and counted, and the refusal still answered.
import type { Caller } from '../domain/caller';
import type { Logger } from '../logging';
import { appendAudit } from '../usecases/audit/append-audit';
import type { AuditDeps } from '../usecases/audit/deps';
import type { FunctionMetrics } from './metrics';

export interface RefusedRequest {
  /** The route as declared: `GET /v1/partner/profile`. */
  method: string;
  path: string;
  /** What it concerned, when the path names it (a dossier code). */
  subject?: string;
  code: string;
  requestId: string;
  at: Date;
  /** The caller, when one was established before the refusal (a registered agency refused later on). */
  caller?: Caller;
  /** The identity the gateway verified but the platform did not accept (an unregistered principal's ARN). */
  principal?: string;
}

export async function auditRefusal(
  refusal: RefusedRequest,
  deps: AuditDeps,
  log: Logger,
  metrics?: Pick<FunctionMetrics, 'countOperational'>,
): Promise<boolean> {
  const caller: Caller = refusal.caller ?? { kind: 'anonymous' };
  try {
    await appendAudit(
      {
        caller,
        ...(refusal.caller
          ? {}
          : refusal.principal
            ? { who: { kind: 'principal', id: refusal.principal } }
            : {}),
        action: `${refusal.method} ${refusal.path}`,
        ...(refusal.subject ? { subject: refusal.subject } : {}),
        code: refusal.code,
        at: refusal.at,
        requestId: refusal.requestId,
      },
      deps,
    );
    return true;
  } catch (error) {
    log.error('refusal not audited', { code: refusal.code, error });
    metrics?.countOperational('RefusalsNotAudited');
    return false;
  }
}
