// The workflow's `RecordFailure` task: a task still failed after its retries, and the run is about to fail. The
// dossier records which run failed and why, so the sweep knows to re-drive it (and when to stop) and supervisors see
// it. Safe to run again: a run's failure is recorded once; a stale run or an ended route records nothing.
import { recordRouteFailure } from '../../domain/transitions';
import { bySystem, type RoutingDeps, retryOnConflict } from './deps';

export interface FailInput {
  dossierCode: string;
  attempt: number;
  /** The error the definition caught (`$.failure.Error`) and its cause. */
  error: string;
  cause: string;
}

export type FailOutcome = 'recorded' | 'already-recorded' | 'stale' | 'ended';

export function failRoute(
  input: FailInput,
  deps: Pick<RoutingDeps, 'dossiers' | 'clock'>,
): Promise<FailOutcome> {
  return retryOnConflict(async () => {
    const dossier = await deps.dossiers.get(input.dossierCode);
    if (!dossier?.routing) throw new Error(`dossier ${input.dossierCode} is not routed`);
    if (dossier.routing.attempt !== input.attempt) return 'stale';
    if (dossier.routing.endedAt) return 'ended';
    if (dossier.routing.failure?.attempt === input.attempt) return 'already-recorded';
    const moved = recordRouteFailure(dossier, bySystem, deps.clock(), input);
    await deps.dossiers.update({
      dossier: moved.dossier,
      expectedVersion: dossier.version,
      entry: moved.entry,
      events: moved.events,
    });
    return 'recorded';
  });
}
