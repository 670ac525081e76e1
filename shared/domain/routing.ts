// Inter-agency routing as data: the stages and steps a received dossier travels through, taken from the route of
// the catalogue version it pinned, and the instants each step is due. The workflow definition is generic: it reads
// this plan, one stage after another, the steps of a stage in parallel (ARCHITECTURE.md §3).
import { dueTime } from './calendar';
import type { Dossier, ResultDocument } from './dossier';

/** One step of a route as the catalogue declares it. */
export interface RouteStep {
  agency: string;
  task: { vi: string; en: string };
  workingDays: number;
  /** Agencies the step may be forwarded to (absent: none). */
  forwardTo?: readonly string[];
}

export interface PlannedStep {
  /** Stable within the dossier: `s<stage>-<step>`, 0-based (the workflow and the partner API name a step by it). */
  stepId: string;
  stage: number;
  step: number;
  agency: string;
  task: { vi: string; en: string };
  /** Whole working days (a fractional budget in the catalogue rounds up). */
  workingDays: number;
  /** The agencies that may hold the step: its own first, then those it may be forwarded to; absent when none. */
  holders?: string[];
}

export interface RoutePlan {
  stages: PlannedStep[][];
}

export const stepId = (stage: number, step: number) => `s${stage}-${step}`;

/** The plan of a route: each stage's steps in order, each step's budget in whole working days. */
export function planRoute(route: readonly { steps: readonly RouteStep[] }[]): RoutePlan {
  if (route.length === 0) throw new RangeError('a route has at least one stage');
  return {
    stages: route.map((stage, s) => {
      if (stage.steps.length === 0) throw new RangeError(`stage ${s} has no step`);
      return stage.steps.map((step, i) => ({
        stepId: stepId(s, i),
        stage: s,
        step: i,
        agency: step.agency,
        task: step.task,
        workingDays: Math.ceil(step.workingDays),
        ...(step.forwardTo?.length ? { holders: [step.agency, ...step.forwardTo] } : {}),
      }));
    }),
  };
}

/**
 * When a step assigned at `assignedAt` is due: its working-day budget on the working calendar, with the time the
 * clock stood still (supplements awaited) added back.
 */
export function stepDueAt(
  assignedAt: Date,
  workingDays: number,
  pauses: readonly { from: Date; to: Date }[] = [],
): Date {
  return dueTime(assignedAt, workingDays, pauses);
}

/**
 * The seconds a callback task waits before it times out, under a time scale (1 = real time; 86,400 makes a day a
 * second on the embedded stack). At least 1 s: Step Functions refuses a zero timeout, and a step already due
 * should time out at once, not never.
 */
export function stepTimeoutSeconds(dueAt: Date, now: Date, timeScale = 1): number {
  if (!(timeScale > 0)) throw new RangeError('timeScale must be positive');
  return Math.max(1, Math.ceil((dueAt.getTime() - now.getTime()) / 1000 / timeScale));
}

/**
 * The execution's name: one per dossier and attempt, so a redelivered received event cannot start a second run
 * (StartExecution with a used name is refused). Names allow 80 characters of `[0-9A-Za-z_-]`.
 */
export function executionName(dossierCode: string, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError('attempt must be a positive integer');
  const name = `${dossierCode.replace(/[^0-9A-Za-z_-]/g, '_')}-a${attempt}`;
  if (name.length > 80) throw new RangeError(`execution name too long: ${name}`);
  return name;
}

/** Every agency on a route, once, in route order: who may see a dossier's tasks. */
export function routeAgencies(plan: RoutePlan): string[] {
  return [...new Set(plan.stages.flat().map((step) => step.agency))];
}

/** Who hands a dossier over in a form 06 row: the receiving branch (the one-stop desk) or an agency of the route. */
export interface HandoffParty {
  kind: 'branch' | 'agency';
  /** Branch unit code or agency id (names are looked up when a form is rendered). */
  id: string;
}

/**
 * One row of form 06 (the processing-control slip): the giver hands the dossier to the receiver at `at`. When the
 * giver is an agency finishing its step, `result` says how that was against the step's due time.
 */
export interface Handoff {
  at: string;
  giver: HandoffParty;
  receiver: HandoffParty;
  /** The step the giver finished (agency givers) or the receiver starts. */
  stepId?: string;
  /** The finishing step's due time (ISO), and the result against it: before its day, on its day, or after it. */
  dueAt?: string;
  result?: 'early' | 'on-time' | 'late';
  note?: string;
}

/** A step ran past its due time: the dossier is flagged overdue and form 04 proposes a new appointment day. */
export interface OverdueNotice {
  at: string;
  stepId: string;
  agency: string;
  reason: string;
  previousAppointmentDay: string;
  newAppointmentDay: string;
}

/** A step's progress as the dossier records it: re-drive skips what was answered, and never re-notifies it. */
export interface StepProgress {
  stage: number;
  agency: string;
  /** Bumped when the step returns after a supplement (a new task for the agency). */
  round: number;
  /** The step's budget: an overdue step is extended by it again. */
  workingDays: number;
  state: 'assigned' | 'approved' | 'rejected' | 'supplement-requested';
  assignedAt: string;
  dueAt: string;
  decidedAt?: string;
  note?: string;
  /** The result documents the agency attached to its approval. */
  results?: ResultDocument[];
  /**
   * The agencies that may hold the step (the route's agency first, then those it may be forwarded to), from the
   * pinned catalogue version; absent: the step is not forwarded. `agency` is whichever of them holds it now.
   */
  holders?: string[];
}

/** Whom the agency holding a step may forward it to: the step's other holders (none if it is not forwardable). */
export function forwardTargets(step: Pick<StepProgress, 'agency' | 'holders'>): string[] {
  return (step.holders ?? []).filter((agency) => agency !== step.agency);
}

const localDay = (at: Date) => new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

/** How a finished step stood against its due time: before its day, on its day (not after the time), or late. */
export function stepResult(finishedAt: Date, dueAt: Date): 'early' | 'on-time' | 'late' {
  if (finishedAt.getTime() > dueAt.getTime()) return 'late';
  return localDay(finishedAt) < localDay(dueAt) ? 'early' : 'on-time';
}

/** The dossier's route is still going: a run of it may wait on an agency or on the applicant's supplement. */
export function routeInProgress(dossier: Dossier): boolean {
  return (
    Boolean(dossier.routing) &&
    !dossier.routing!.endedAt &&
    (dossier.status === 'IN_PROGRESS' || dossier.status === 'SUPPLEMENT_REQUESTED')
  );
}

/** A run that failed past its retries (`Dossier.routing.failure`). */
export interface RouteFailure {
  at: string;
  /** The run that failed. */
  attempt: number;
  /** The error the workflow caught (`Motcua.TaskFailed`, `States.Runtime`…) and its cause, shortened. */
  error: string;
  cause: string;
  /** Runs in a row that failed with no stage completed between them. */
  count: number;
}
