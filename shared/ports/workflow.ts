// Starting a dossier's routing run (Step Functions in the cloud, the local workflow service on the embedded stack).
export interface WorkflowStarter {
  /**
   * Starts the run named `name`: `started` when it runs now (new, or the open run of that name and input, as
   * StartExecution answers a redelivered start), `already-started` when that run already ended. A run of that name
   * with another input is a broken invariant and throws. A name is never started twice.
   */
  start(name: string, input: RoutingInput): Promise<'started' | 'already-started'>;
}

/** The routing definition's state data on entry (infra/workflow/routing-definition.ts). */
export interface RoutingInput {
  dossierCode: string;
  attempt: number;
  /** The stage to run first: 0, or where a re-drive resumes. */
  next: number;
}

/** What the workflow answered a callback with: taken, or the token is no longer one it waits on. */
export type CallbackOutcome = 'sent' | 'token-invalid';

/**
 * Answering a waiting callback task (SendTaskSuccess / SendTaskFailure). `token-invalid` is AWS's TaskDoesNotExist,
 * TaskTimedOut or InvalidToken: the step moved on (timed out and waits under a new token, or the run ended); a
 * transport failure throws, and the sweep tries again.
 */
export interface WorkflowCallbacks {
  succeed(token: string, output: unknown): Promise<CallbackOutcome>;
  fail(token: string, error: string, cause: string): Promise<CallbackOutcome>;
}

/** Whether a run is still going (the sweep re-drives a dossier in progress whose run is not). */
export interface WorkflowRuns {
  status(name: string): Promise<'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'MISSING'>;
}
