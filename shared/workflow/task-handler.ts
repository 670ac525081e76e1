// The wrapper of a workflow task function: the configuration its declaration names is checked at cold start, every
// invocation is logged with the dossier it is about, and a failure is thrown back to the workflow (whose retry and
// catch decide), counted as `TaskFailed`. An unexpected failure reaches the workflow as `Motcua.TaskFailed` (retried,
// then caught); a stale run keeps its own name (not retried: nothing would change).
import type { Context } from 'aws-lambda';
import { requireResourceNames } from '../config';
import type { Logger } from '../logging';
import type { FunctionMetrics } from '../observability/metrics';
import { functionRuntime } from '../observability/runtime';
import { taskErrors, type WorkflowTaskDefinition } from './tasks';

/** The error the workflow retries and catches: its message keeps the original one, its cause the original error. */
export class TaskFailedError extends Error {
  override name = taskErrors.failed;
}

/** What the workflow sees of a task's failure. */
export function asTaskError(error: unknown): Error {
  if (error instanceof Error && Object.values(taskErrors).includes(error.name as never)) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new TaskFailedError(message, { cause: error });
}

export function workflowTask<I extends { dossierCode?: string }, O>(
  definition: Pick<WorkflowTaskDefinition, 'id' | 'uses'>,
  handle: (input: I, context: { log: Logger; metrics: FunctionMetrics }) => Promise<O>,
): (input: I, context?: Context) => Promise<O> {
  requireResourceNames(Object.keys(definition.uses) as never);
  const runtime = functionRuntime(definition.id, { task: definition.id });
  return async (input, context) => {
    const invocation = runtime.begin(context, input?.dossierCode ? { dossierCode: input.dossierCode } : {});
    const started = performance.now();
    try {
      const output = await handle(input, { log: invocation.log, metrics: invocation.metrics });
      invocation.log.info('task done', { ms: Math.round(performance.now() - started) });
      return output;
    } catch (error) {
      invocation.log.error('task failed', { error });
      invocation.metrics.countOperational('TaskFailed');
      throw asTaskError(error);
    } finally {
      runtime.end(invocation);
    }
  };
}
