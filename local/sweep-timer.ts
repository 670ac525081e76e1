// The routing sweep's schedule on the embedded stack: EventBridge Scheduler invokes the sweep function every
// `routingSweep.everyMinutes` in the cloud; here a timer invokes the same handler (in its own pooled instance when
// the stack isolates functions). One sweep at a time, as the schedule's single target with a reserved concurrency
// of one would; a tick that finds the previous sweep still going is skipped.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { repoRoot } from '../infra/bundling';
import { routingSweep } from '../shared/workflow/tasks';
import type { FunctionPool } from './function-pool';

export interface SweepTimer {
  stop(): Promise<void>;
  /** Sweeps finished since the start (a test waits on it). */
  readonly runs: number;
}

export function startSweepTimer(options: {
  everyMs: number;
  pool: FunctionPool | undefined;
  onError: (error: unknown) => void;
}): SweepTimer {
  const handlerPath = join(repoRoot, routingSweep.handler);
  const functionName = `motcua-local-${routingSweep.id}`;
  let running: Promise<void> | undefined;
  let runs = 0;
  const sweep = async () => {
    const event = {
      source: 'local.scheduler',
      'detail-type': 'Scheduled Event',
      time: new Date().toISOString(),
    };
    if (!options.pool) {
      const module = (await import(handlerPath)) as { handler: (event: unknown) => Promise<unknown> };
      await module.handler(event);
      return;
    }
    const outcome = await options.pool.invoke(
      { name: routingSweep.id, handlerPath, memoryMb: 512 },
      {
        event,
        context: {
          callbackWaitsForEmptyEventLoop: false,
          functionName,
          functionVersion: '$LATEST',
          invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
          memoryLimitInMB: '512',
          awsRequestId: randomUUID(),
          logGroupName: `/aws/lambda/${functionName}`,
          logStreamName: 'local',
          timeoutMs: 300_000,
        },
      },
    );
    if (outcome.kind === 'error' || outcome.kind === 'crashed') throw outcome.error;
    if (outcome.kind === 'throttled') throw new Error(`${functionName} is at its concurrency limit`);
  };
  const timer = setInterval(() => {
    if (running) return;
    running = sweep()
      .catch(options.onError)
      .finally(() => {
        runs += 1;
        running = undefined;
      });
  }, options.everyMs);
  timer.unref();
  return {
    get runs() {
      return runs;
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
