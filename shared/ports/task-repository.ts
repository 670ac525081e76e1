// Agencies' tasks (one per route step and round), items of their dossier's collection.
import type { Page } from '../cursor';
import type { AgencyTask, TaskStatus } from '../domain/tasks';
import type { PageRequest } from './catalogue-repository';

/** A task written with a dossier change or alone: `expectedVersion` null means it must not exist yet. */
export interface TaskWrite {
  task: AgencyTask;
  expectedVersion: number | null;
}

export interface TaskRepository {
  get(id: string): Promise<AgencyTask | undefined>;
  /** Conditional on `expectedVersion`; a lost race is a 409 VERSION_CONFLICT. */
  put(write: TaskWrite): Promise<void>;
  listByDossier(dossierCode: string): Promise<AgencyTask[]>;
  /** An agency's tasks of one status by due time, soonest first, optionally of one procedure. */
  listByAgency(
    agency: string,
    status: TaskStatus,
    page: PageRequest & { procedure?: string },
  ): Promise<Page<AgencyTask>>;
  /**
   * The open steps of a unit's dossiers that are flagged overdue (whatever their extended due time), then its other open
   * steps due before `before` (ISO instant), soonest first: the overdue radar.
   */
  listDueSteps(unit: string, before: string, page: PageRequest): Promise<Page<AgencyTask>>;
  /** Tasks whose decision or supplement the workflow has not heard of yet (the sweep finishes them). */
  listUnsent(page: PageRequest): Promise<Page<AgencyTask>>;
}
