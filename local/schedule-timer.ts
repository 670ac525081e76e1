// Schedules on the embedded stack: EventBridge invokes a scheduled function (the routing sweep, payment
// reconciliation) every few minutes in the cloud; here a timer invokes the same handler (in its own pooled instance
// when the stack isolates functions). One run at a time, as the schedule's single target with a reserved concurrency
// of one would; a tick that finds the previous run still going is skipped.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { repoRoot } from '../infra/bundling';
import type { FunctionPool } from './function-pool';

export interface ScheduleTimer {
  stop(): Promise<void>;
  /** Runs finished since the start (a test waits on it). */
  readonly runs: number;
  /** Runs it now (after the run in progress, if any), as a test or an operator would trigger it by hand. */
  runNow(): Promise<void>;
}

export function startScheduleTimer(options: {
  /** What runs: its id names the function, its handler is a module relative to the repository root. 0 = no timer. */
  schedule: { id: string; handler: string; timeoutSeconds?: number };
  everyMs: number;
  pool: FunctionPool | undefined;
  onError: (error: unknown) => void;
}): ScheduleTimer {
  const { schedule } = options;
  const handlerPath = join(repoRoot, schedule.handler);
  const functionName = `motcua-local-${schedule.id}`;
  const timeoutMs = (schedule.timeoutSeconds ?? 300) * 1000;
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
      { name: schedule.id, handlerPath, memoryMb: 512 },
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
          timeoutMs,
        },
      },
    );
    if (outcome.kind === 'error' || outcome.kind === 'crashed') throw outcome.error;
    if (outcome.kind === 'throttled') throw new Error(`${functionName} is at its concurrency limit`);
  };
  const tick = () => {
    running = sweep()
      .catch(options.onError)
      .finally(() => {
        runs += 1;
        running = undefined;
      });
    return running;
  };
  const timer =
    options.everyMs > 0
      ? setInterval(() => {
          if (!running) void tick();
        }, options.everyMs)
      : undefined;
  timer?.unref();
  return {
    get runs() {
      return runs;
    },
    async runNow() {
      while (running) await running;
      await tick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
