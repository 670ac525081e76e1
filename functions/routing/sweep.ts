// Schedule: stored decisions the workflow has not heard are sent, dossiers whose run is gone are re-driven.
import { sweepDeps } from '../../shared/adapters/routing-deps';
import { sweepRouting } from '../../shared/usecases/routing/sweep';
import { workflowTask } from '../../shared/workflow/task-handler';
import { routingSweep } from '../../shared/workflow/tasks';

const deps = sweepDeps();

export const handler = workflowTask(
  routingSweep,
  async (_input: { dossierCode?: string }, { log, metrics }) => {
    const report = await sweepRouting(deps);
    log.info('sweep', { ...report });
    // Each sweep that finds a stuck dossier counts once per dossier: the RoutingStuck alarm calls an operator.
    for (const _code of report.stuck) metrics.countOperational('RoutingStuck');
    return report;
  },
);
