// Starting a dossier's routing run (Step Functions in the cloud, the local workflow service on the embedded stack).
export interface WorkflowStarter {
  /**
   * Starts the run named `name`; a run of that name with the same input that already exists counts as started
   * (a redelivered event starts nothing twice). A run of that name with another input is a broken invariant.
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
