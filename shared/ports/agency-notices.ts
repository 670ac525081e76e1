// What an agency is told about its tasks (the body of a signed webhook; the agency can also pull its queue).
export interface AgencyNotice {
  type: 'task.assigned' | 'task.overdue';
  agency: string;
  taskId: string;
  dossierCode: string;
  procedure: { code: string; name: string };
  stepId: string;
  task: string;
  dueAt: string;
  at: string;
  /** The agency that held the task and handed it over (a forward its route allows), and why. */
  forwardedFrom?: { agency: string; reason: string };
}
