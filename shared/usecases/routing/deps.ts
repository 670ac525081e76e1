// The ports the routing use cases work through.
import type { Caller } from '../../domain/caller';
import type { Actor } from '../../domain/dossier';
import type { CatalogueRepository } from '../../ports/catalogue-repository';
import type { DossierRepository } from '../../ports/dossier-repository';
import type { TaskRepository } from '../../ports/task-repository';
import type { WorkflowCallbacks, WorkflowRuns, WorkflowStarter } from '../../ports/workflow';

export interface RoutingDeps {
  dossiers: Pick<DossierRepository, 'get' | 'update'>;
  catalogue: Pick<CatalogueRepository, 'procedure'>;
  workflow: WorkflowStarter;
  clock: () => Date;
  /** 1 in the cloud; the local workflow service's time scale on the embedded stack (shortens step timeouts). */
  timeScale: number;
}

/** What the callback tasks and the decisions need besides the dossier. */
export interface TaskDeps {
  dossiers: Pick<DossierRepository, 'get' | 'update'>;
  tasks: TaskRepository;
  clock: () => Date;
  timeScale: number;
}

export interface CallbackDeps extends TaskDeps {
  callbacks: WorkflowCallbacks;
}

export interface SweepDeps extends CallbackDeps {
  workflow: WorkflowStarter & WorkflowRuns;
  catalogue: Pick<CatalogueRepository, 'procedure' | 'branches'>;
  dossierLists: Pick<DossierRepository, 'listByBranchStatus'>;
}

/** The routing workflow acts as the system, in its own key space. */
export const routingCaller: Caller = { kind: 'system', process: 'routing' };
export const routingActor: Actor & { kind: 'system' } = { kind: 'system' };
export const bySystem = { actor: routingActor, caller: routingCaller };

/**
 * Runs a read-modify-write of a dossier again when another change won the version race: the steps of a stage run at
 * once, and their agencies decide independently.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, attempts = 6): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if ((error as { code?: string }).code !== 'VERSION_CONFLICT' || i >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * i));
    }
  }
}
