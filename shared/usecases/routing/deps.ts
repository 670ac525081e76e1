// The ports the routing use cases work through.
import type { Caller } from '../../domain/caller';
import type { Actor } from '../../domain/dossier';
import type { CatalogueRepository } from '../../ports/catalogue-repository';
import type { DossierRepository } from '../../ports/dossier-repository';
import type { WorkflowStarter } from '../../ports/workflow';

export interface RoutingDeps {
  dossiers: Pick<DossierRepository, 'get' | 'update'>;
  catalogue: Pick<CatalogueRepository, 'procedure'>;
  workflow: WorkflowStarter;
  clock: () => Date;
  /** 1 in the cloud; the local workflow service's time scale on the embedded stack (shortens step timeouts). */
  timeScale: number;
}

/** The routing workflow acts as the system, in its own key space. */
export const routingCaller: Caller = { kind: 'system', process: 'routing' };
export const routingActor: Actor & { kind: 'system' } = { kind: 'system' };
export const bySystem = { actor: routingActor, caller: routingCaller };
