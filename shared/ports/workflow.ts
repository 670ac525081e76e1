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
