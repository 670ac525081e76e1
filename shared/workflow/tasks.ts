// The routing workflow's task functions, declared once: the CDK workflow stack builds their functions and grants from
// this list, and the local workflow service invokes the same handlers (in the function pool) by these ids.
import type { ResourceId } from '../data/resources';

export interface WorkflowTaskDefinition {
  /** Function id: `routing-<key>`; locally the function name the definition's task state invokes. */
  id: string;
  description: string;
  handler: string;
  uses: Partial<Record<ResourceId, 'read' | 'readwrite'>>;
  /** Needs the agencies' webhook endpoints and secrets (the assign task notifies). */
  notifies?: boolean;
  /**
   * Answers its own waiting task (SendTaskSuccess/Failure with the token it was given): the assign task, when the
   * agency decided while the step was between tokens (timed out, waiting again).
   */
  answers?: boolean;
}

export const routingTasks = {
  advance: {
    id: 'routing-advance',
    description: "Records a finished stage and hands the next stage's steps to their agencies",
    handler: 'functions/routing/advance.ts',
    uses: { dossiers: 'readwrite', catalogue: 'read' },
  },
  assign: {
    id: 'routing-assign',
    description: "Records a step's task with its token for the agency, and notifies the agency",
    handler: 'functions/routing/assign.ts',
    uses: { dossiers: 'readwrite' },
    notifies: true,
    answers: true,
  },
  overdue: {
    id: 'routing-overdue',
    description: 'Flags a step past its due time: overdue, form 04, the step waits again',
    handler: 'functions/routing/overdue.ts',
    uses: { dossiers: 'readwrite' },
  },
  awaitSupplement: {
    id: 'routing-await-supplement',
    description: "Keeps the token the applicant's supplement answers",
    handler: 'functions/routing/await-supplement.ts',
    uses: { dossiers: 'readwrite' },
  },
  close: {
    id: 'routing-close',
    description: 'Closes a rejected or stopped route on the dossier',
    handler: 'functions/routing/close.ts',
    uses: { dossiers: 'readwrite' },
  },
  fail: {
    id: 'routing-fail',
    description:
      'Records on the dossier that its run failed past its retries, for the sweep and the supervisors',
    handler: 'functions/routing/fail.ts',
    uses: { dossiers: 'readwrite' },
  },
} as const satisfies Record<string, WorkflowTaskDefinition>;

export type RoutingTaskKey = keyof typeof routingTasks;

/** The sweep (a schedule): unsent decisions and supplements, dossiers whose run is gone. */
export const routingSweep = {
  id: 'routing-sweep',
  description: 'Sends stored decisions the workflow has not heard, and re-drives dossiers whose run is gone',
  handler: 'functions/routing/sweep.ts',
  uses: { dossiers: 'readwrite', catalogue: 'read' },
  everyMinutes: 5,
} as const;

/**
 * The errors a task function ends with, as the workflow sees them (the Lambda error's type). An unexpected failure is
 * `TaskFailed`, which the definition retries with backoff and then catches; a run that is no longer the dossier's
 * (`StaleRun`) is not retried. Named apart from `States.TaskFailed`, which would also match an agency's decision.
 */
export const taskErrors = {
  failed: 'Motcua.TaskFailed',
  staleRun: 'StaleRun',
} as const;

/** Automatic re-drives of a dossier whose runs keep failing before the sweep leaves it to an operator. */
export const MAX_AUTOMATIC_REDRIVES = 3;

/** The environment variable that names the routing state machine. */
export const ROUTING_STATE_MACHINE_ENV = 'ROUTING_STATE_MACHINE_ARN';
