// The workflow's `Close` task: the route ended in an agency's rejection or a stop (the error its step failed with),
// and the dossier is closed with the reason. Safe to run again: a dossier already closed by this run stays as it is.
import type { Actor } from '../../domain/dossier';
import { rejectRouting, stopRouting } from '../../domain/transitions';
import { withForm } from '../dossiers/forms';
import { StaleRunError } from './advance-route';
import { bySystem, type RoutingDeps, routingCaller } from './deps';

export interface CloseInput {
  dossierCode: string;
  attempt: number;
  /** `Rejected` or `Stopped` (infra/workflow/routing-definition.ts `stepErrors`). */
  error: string;
  /** SendTaskFailure's cause: `{ "agency": "...", "reason": "..." }`, as the decision function writes it. */
  cause: string;
}

function parseCause(cause: string): { agency?: string; reason: string; requestedBy?: 'applicant' } {
  try {
    const parsed = JSON.parse(cause) as { agency?: unknown; reason?: unknown; requestedBy?: unknown };
    return {
      ...(typeof parsed.agency === 'string' ? { agency: parsed.agency } : {}),
      ...(parsed.requestedBy === 'applicant' ? { requestedBy: 'applicant' as const } : {}),
      reason: typeof parsed.reason === 'string' ? parsed.reason : cause,
    };
  } catch {
    return { reason: cause };
  }
}

export async function closeRoute(
  input: CloseInput,
  deps: Pick<RoutingDeps, 'dossiers' | 'clock'>,
): Promise<'rejected' | 'stopped' | 'already-closed'> {
  const dossier = await deps.dossiers.get(input.dossierCode);
  if (!dossier?.routing) throw new Error(`dossier ${input.dossierCode} is not routed`);
  if (dossier.routing.attempt !== input.attempt) throw new StaleRunError(`run ${input.attempt} is stale`);
  if (dossier.status !== 'IN_PROGRESS') return 'already-closed';
  const { agency, reason, requestedBy } = parseCause(input.cause);
  const now = deps.clock();
  let moved: ReturnType<typeof rejectRouting>;
  if (input.error === 'Rejected') {
    if (!agency) throw new Error(`a rejection of ${input.dossierCode} names no agency`);
    const actor: Actor & { kind: 'agency' } = { kind: 'agency', agency };
    moved = rejectRouting(dossier, { actor, caller: routingCaller }, now, reason);
  } else if (input.error === 'Stopped') {
    moved = stopRouting(dossier, bySystem, now, reason);
  } else {
    throw new Error(`the route of ${input.dossierCode} cannot close on ${input.error}`);
  }
  // The processing-control slip (form 06) closes with the route; a stop is notified with form 05.
  const slip = withForm(moved.dossier, '06', '', now);
  const closed =
    input.error === 'Stopped'
      ? withForm(slip, '05', '', now, {
          stop: agency ? { requestedBy: 'agency', agency } : requestedBy ? { requestedBy } : {},
        })
      : slip;
  await deps.dossiers.update({
    dossier: closed,
    expectedVersion: dossier.version,
    entry: moved.entry,
    events: moved.events,
  });
  return input.error === 'Rejected' ? 'rejected' : 'stopped';
}
