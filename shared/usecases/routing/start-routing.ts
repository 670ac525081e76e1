// On a received dossier: record that routing starts (IN_PROGRESS) and start its run, once, whatever redelivers.
import type { DomainEvent } from '../../domain/events';
import { awaitingPayment } from '../../domain/payments';
import { executionName, planRoute } from '../../domain/routing';
import { startRouting as start } from '../../domain/transitions';
import { bySystem, type RoutingDeps } from './deps';

/** The consumer that starts routes (shared/events/consumers.ts); idempotent by the dossier's state and run name. */
export const ROUTING_STARTER_CONSUMER = 'routing-starter';

export type StartOutcome = 'started' | 'already-started' | 'not-routable' | 'awaiting-payment';

/**
 * On `DossierReceived`, and on `DossierPaid` (a received dossier whose fees were due before processing starts once
 * they are paid; any other payment finds it routed, or not received, and starts nothing new).
 */
export async function startRouting(
  event: DomainEvent<'DossierReceived' | 'DossierPaid'>,
  deps: RoutingDeps,
): Promise<StartOutcome> {
  let dossier = await deps.dossiers.get(event.dossierCode);
  // The event was written with the dossier: a missing one is a broken invariant (retried, then dead-lettered).
  if (!dossier) throw new Error(`dossier ${event.dossierCode} of event ${event.id} is missing`);
  // Fees due before processing (thu trước): the route waits for them; their DossierPaid brings the dossier back here.
  if (awaitingPayment(dossier)) return 'awaiting-payment';
  if (event.name === 'DossierPaid' && !dossier.routing && dossier.status !== 'RECEIVED')
    return 'not-routable';
  if (dossier.status === 'RECEIVED' && !dossier.routing) {
    const procedure = await deps.catalogue.procedure(dossier.procedure.code, dossier.procedure.version);
    if (!procedure)
      throw new Error(`pinned version ${dossier.procedure.version} of ${dossier.procedure.code} is missing`);
    const plan = planRoute(procedure.route);
    const attempt = 1;
    const moved = start(dossier, bySystem, deps.clock(), {
      attempt,
      executionName: executionName(dossier.code, attempt),
      stageCount: plan.stages.length,
    });
    await deps.dossiers.update({
      dossier: moved.dossier,
      expectedVersion: dossier.version,
      entry: moved.entry,
      events: moved.events,
    });
    dossier = moved.dossier;
  }
  // Withdrawn, refused or moved on before the run started: nothing to route.
  if (!dossier.routing || dossier.routing.endedAt) return 'not-routable';
  // Started here or by an earlier delivery that failed before the run began: the same name and input start it once.
  const { attempt, executionName: name, completedStages } = dossier.routing;
  return deps.workflow.start(name, { dossierCode: dossier.code, attempt, next: completedStages });
}
