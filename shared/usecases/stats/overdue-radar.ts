// The overdue radar: for a supervision scope, the dossiers overdue, due today and due tomorrow by unit (the byDueDay
// index, `DUE#<unit>`) and the open agency steps the same by agency (the same index, `STEPS#<unit>`), and every
// dossier whose clock runs counted on time or late (Decision 766's in-progress indicator). Queries only: per unit one
// paged Query for its dossiers, one for its steps and two Select COUNT of its dossiers, never a Scan; the center reads
// every branch.
//
// Days are Vietnam-local. A dossier is judged by its appointment day, as Decision 766 judges a finished one (its
// appointment day itself is on time); a step by its due instant, as the workflow times it out. "Tomorrow" is the next
// working day: on a Friday it is Monday, before Tết the first day after it.

import { isWorkingDay } from '../../domain/calendar';
import { dayString, localInstant, localParts } from '../../domain/calendar-core';
import type { Caller } from '../../domain/caller';
import { isPaused } from '../../domain/deadline';
import type { Dossier } from '../../domain/dossier';
import { type SupervisionScope, scopeCovers, supervisionScope } from '../../domain/supervision-scope';
import type { AgencyTask } from '../../domain/tasks';
import { ForbiddenError, ValidationError } from '../../errors';
import type { CatalogueRepository, PageRequest } from '../../ports/catalogue-repository';
import type { DossierRepository } from '../../ports/dossier-repository';
import type { TaskRepository } from '../../ports/task-repository';
import type { OverdueRadar, RadarBucket, RadarCounts, RadarDossier, RadarStep } from '../../schemas/radar';

export interface OverdueRadarDeps {
  dossiers: Pick<DossierRepository, 'listDue' | 'countInProgress'>;
  tasks: Pick<TaskRepository, 'listDueSteps'>;
  catalogue: Pick<CatalogueRepository, 'branches' | 'branch' | 'agencies'>;
  clock: () => Date;
}

export interface OverdueRadarInput {
  caller: Caller;
  unit?: string;
  agency?: string;
  /** Dossiers listed per unit and steps per agency; the counts cover all of them. */
  limit: number;
}

/** Items per Query page. */
export const RADAR_PAGE_SIZE = 500;
/**
 * What one radar reads of a unit's list at most (its dossiers, and its steps, each): a branch's due and overdue
 * backlog is a few hundred at Hanoi's volume; past this the unit is marked incomplete and its counts are a floor.
 */
export const MAX_RADAR_READS_PER_UNIT = 2_000;
/** Units read at once: the center has about 30 branches. */
const UNIT_CONCURRENCY = 6;

const bucketOrder: Record<RadarBucket, number> = { overdue: 0, dueToday: 1, dueTomorrow: 2 };

export interface RadarDays {
  today: string;
  /** The next working day after today. */
  tomorrow: string;
  /** The instant tomorrow ends (Vietnam-local midnight after it), ISO. */
  tomorrowEndsAt: string;
}

export function radarDays(now: Date): RadarDays {
  const today = localParts(now).day;
  let tomorrow = today + 1;
  while (!isWorkingDay(dayString(tomorrow))) tomorrow += 1;
  return {
    today: dayString(today),
    tomorrow: dayString(tomorrow),
    tomorrowEndsAt: new Date(localInstant(tomorrow + 1, 0)).toISOString(),
  };
}

/** Whether a dossier's clock runs toward its appointment day: received or in progress, not paused, no result yet. */
export function onRadar(dossier: Dossier): boolean {
  return (
    (dossier.status === 'RECEIVED' || dossier.status === 'IN_PROGRESS') &&
    !!dossier.deadline &&
    !isPaused(dossier.deadline)
  );
}

export function dossierBucket(appointmentDay: string, days: RadarDays): RadarBucket | undefined {
  if (appointmentDay < days.today) return 'overdue';
  if (appointmentDay === days.today) return 'dueToday';
  return appointmentDay <= days.tomorrow ? 'dueTomorrow' : undefined;
}

export function stepBucket(
  task: Pick<AgencyTask, 'overdue' | 'dueAt'>,
  now: Date,
  days: RadarDays,
): RadarBucket | undefined {
  const due = new Date(task.dueAt);
  if (task.overdue || due.getTime() < now.getTime()) return 'overdue';
  if (dayString(localParts(due).day) === days.today) return 'dueToday';
  return task.dueAt < days.tomorrowEndsAt ? 'dueTomorrow' : undefined;
}

const noCounts = (): RadarCounts => ({ overdue: 0, dueToday: 0, dueTomorrow: 0 });

function resolveScope(input: OverdueRadarInput): SupervisionScope {
  const scope = supervisionScope(input.caller);
  if (!scope) {
    throw new ForbiddenError(
      'The overdue radar is for staff who supervise a branch or the center',
      'FORBIDDEN',
    );
  }
  if (input.unit && !scopeCovers(scope, input.unit)) {
    throw new ForbiddenError(`${input.unit} is outside your supervision scope`, 'OUT_OF_SCOPE', {
      unit: input.unit,
    });
  }
  return scope;
}

async function everyPage<T>(read: (page: PageRequest) => Promise<{ items: T[]; nextCursor?: string }>) {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read({ limit: 100, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** Reads a unit's list page by page, up to the cap; `complete` says whether it reached the end. */
async function readCapped<T>(
  read: (page: PageRequest) => Promise<{ items: T[]; nextCursor?: string }>,
): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const limit = Math.min(RADAR_PAGE_SIZE, MAX_RADAR_READS_PER_UNIT - items.length);
    const page = await read({ limit, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < MAX_RADAR_READS_PER_UNIT);
  return { items, complete: !cursor };
}

async function inBatches<T, R>(list: T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < list.length; i += size)
    results.push(...(await Promise.all(list.slice(i, i + size).map(run))));
  return results;
}

export async function overdueRadar(input: OverdueRadarInput, deps: OverdueRadarDeps): Promise<OverdueRadar> {
  const scope = resolveScope(input);
  const now = deps.clock();
  const days = radarDays(now);

  // Which units, and their names: the asked one, the branch of the scope, or every branch of the catalogue.
  let units: { unit: string; name?: { vi: string; en: string } }[];
  const single = input.unit ?? (scope.kind === 'branch' ? scope.unit : undefined);
  if (single) {
    const branch = await deps.catalogue.branch(single);
    if (!branch && scope.kind === 'center') {
      throw new ValidationError(`No branch with code ${single}`, 'UNKNOWN_BRANCH', { unit: single });
    }
    units = [{ unit: single, ...(branch ? { name: branch.name } : {}) }];
  } else {
    const branches = await everyPage((page) => deps.catalogue.branches(page));
    units = branches.map((b) => ({ unit: b.code, name: b.name })).sort((a, b) => (a.unit < b.unit ? -1 : 1));
  }

  const read = await inBatches(units, UNIT_CONCURRENCY, async ({ unit }) => {
    const [dossiers, steps, inProgress] = await Promise.all([
      readCapped((page) => deps.dossiers.listDue(unit, days.tomorrow, page)),
      readCapped((page) => deps.tasks.listDueSteps(unit, days.tomorrowEndsAt, page)),
      deps.dossiers.countInProgress(unit, days.today),
    ]);
    return { unit, dossiers, steps, inProgress };
  });

  const totals = { dossiers: noCounts(), steps: noCounts(), inProgress: { onTime: 0, late: 0 } };
  const byAgency = new Map<string, { counts: RadarCounts; steps: RadarStep[] }>();
  if (input.agency) byAgency.set(input.agency, { counts: noCounts(), steps: [] });

  const unitViews = units.map(({ unit, name }, i) => {
    const { dossiers, steps, inProgress } = read[i]!;
    totals.inProgress.onTime += inProgress.onTime;
    totals.inProgress.late += inProgress.late;
    const counts = noCounts();
    const listed: RadarDossier[] = [];
    for (const dossier of dossiers.items) {
      if (!onRadar(dossier)) continue;
      const appointmentDay = dossier.deadline!.appointmentDay;
      const bucket = dossierBucket(appointmentDay, days);
      if (!bucket) continue;
      counts[bucket] += 1;
      totals.dossiers[bucket] += 1;
      listed.push({
        code: dossier.code,
        procedure: { code: dossier.procedure.code, name: dossier.procedure.name },
        status: dossier.status,
        appointmentDay,
        bucket,
        extended: (dossier.routing?.overdue?.length ?? 0) > 0,
      });
    }
    for (const task of steps.items) {
      if (input.agency && task.agency !== input.agency) continue;
      const bucket = stepBucket(task, now, days);
      if (!bucket) continue;
      const group = byAgency.get(task.agency) ?? { counts: noCounts(), steps: [] };
      byAgency.set(task.agency, group);
      group.counts[bucket] += 1;
      totals.steps[bucket] += 1;
      group.steps.push({
        taskId: task.id,
        dossierCode: task.dossierCode,
        unit,
        stepId: task.stepId,
        round: task.round,
        task: task.task,
        dueAt: task.dueAt,
        bucket,
        flagged: task.overdue,
      });
    }
    listed.sort(
      (a, b) =>
        bucketOrder[a.bucket] - bucketOrder[b.bucket] ||
        a.appointmentDay.localeCompare(b.appointmentDay) ||
        a.code.localeCompare(b.code),
    );
    return {
      unit,
      ...(name ? { name } : {}),
      counts,
      inProgress,
      dossiers: listed.slice(0, input.limit),
      complete: dossiers.complete && steps.complete,
    };
  });

  const agencyNames = new Map<string, { vi: string; en: string }>();
  if (byAgency.size > 0) {
    for (const agency of await everyPage((page) => deps.catalogue.agencies(page)))
      agencyNames.set(agency.code, agency.name);
  }
  const agencies = [...byAgency.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([agency, { counts, steps }]) => {
      const name = agencyNames.get(agency);
      steps.sort(
        (a, b) =>
          bucketOrder[a.bucket] - bucketOrder[b.bucket] ||
          a.dueAt.localeCompare(b.dueAt) ||
          a.taskId.localeCompare(b.taskId),
      );
      return { agency, ...(name ? { name } : {}), counts, steps: steps.slice(0, input.limit) };
    });

  return {
    scope,
    asOf: now.toISOString(),
    today: days.today,
    tomorrow: days.tomorrow,
    totals,
    units: unitViews,
    agencies,
  };
}
