// The local gateway's function pool runs functions as Lambda does: one event per instance at a time, a new instance
// (a counted cold start) when every instance is busy, a 502 for a handler that throws or an instance that dies.
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { lambdaNodeOptions } from '../../infra/bundling';
import { createFunctionPool, type FunctionPool } from '../../local/function-pool';

const busy = {
  name: 'busy',
  handlerPath: fileURLToPath(new URL('./support/pool-handlers/busy.ts', import.meta.url)),
  memoryMb: 256,
};
const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'busy',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:busy',
  memoryLimitInMB: '256',
  awsRequestId: 'r',
  logGroupName: '/aws/lambda/busy',
  logStreamName: 'local',
  timeoutMs: 30_000,
};
const event = (body: unknown) => ({ body: JSON.stringify(body) }) as unknown as APIGatewayProxyEvent;

let pool: FunctionPool | undefined;
afterEach(async () => {
  await pool?.stop();
  pool = undefined;
});

type Answer = { instance: string; most: number; served: number; execArgv: string[] };
async function call(p: FunctionPool, body: unknown) {
  const outcome = await p.invoke(busy, { event: event(body), context });
  if (outcome.kind !== 'result') return outcome;
  return { kind: 'result' as const, answer: JSON.parse((outcome.result as { body: string }).body) as Answer };
}

describe('the function pool', () => {
  it('gives each instance one event at a time and starts (and counts) an instance per concurrent event', async () => {
    pool = createFunctionPool({ maxInstances: 4 });
    const p = pool;
    const first = await Promise.all(Array.from({ length: 4 }, () => call(p, { waitMs: 300 })));
    const answers = first.map((o) => (o.kind === 'result' ? o.answer : undefined));
    expect(answers.every((a) => a?.most === 1)).toBe(true);
    expect(new Set(answers.map((a) => a?.instance)).size).toBe(4);
    // Twelve more at once: the four warm instances serve them in turn, each still one at a time.
    const more = await Promise.all(Array.from({ length: 12 }, () => call(p, { waitMs: 50 })));
    const later = more.map((o) => (o.kind === 'result' ? o.answer : undefined));
    expect(later.every((a) => a?.most === 1)).toBe(true);
    expect(new Set([...answers, ...later].map((a) => a?.instance)).size).toBe(4);
    const [stats] = p.stats();
    expect(stats).toMatchObject({
      function: 'busy',
      coldStarts: 4,
      invocations: 16,
      maxConcurrent: 4,
      crashes: 0,
    });
    expect(stats!.maxQueued).toBeGreaterThan(0);
    expect(stats!.initMs).toHaveLength(4);
  });

  it("starts an instance with Lambda's node flags only, not the stack process's", async () => {
    pool = createFunctionPool({ maxInstances: 1 });
    const answered = await call(pool, {});
    expect(answered).toMatchObject({ kind: 'result', answer: { execArgv: [...lambdaNodeOptions] } });
    // Not even --enable-source-maps: traces are mapped when read (shared/observability/source-mapped-stacks.ts).
    expect(lambdaNodeOptions).toEqual([]);
  });

  it('answers a throwing handler as a function error and keeps the instance warm', async () => {
    pool = createFunctionPool({ maxInstances: 1 });
    const failed = await pool.invoke(busy, { event: event({ fail: true }), context });
    expect(failed).toMatchObject({ kind: 'error', error: { message: 'handler failed on purpose' } });
    const after = await call(pool, {});
    expect(after).toMatchObject({ kind: 'result', answer: { served: 2 } });
    expect(pool.stats()[0]).toMatchObject({ coldStarts: 1, errors: 1, crashes: 0 });
  });

  it('replaces an instance that dies with its request, and the next request gets a fresh one', async () => {
    pool = createFunctionPool({ maxInstances: 1 });
    const before = await call(pool, {});
    const died = await pool.invoke(busy, { event: event({ crash: true }), context });
    expect(died.kind).toBe('crashed');
    const after = await call(pool, {});
    expect(after.kind).toBe('result');
    if (before.kind === 'result' && after.kind === 'result') {
      expect(after.answer.instance).not.toBe(before.answer.instance);
      expect(after.answer.served).toBe(1);
    }
    expect(pool.stats()[0]).toMatchObject({ coldStarts: 2, crashes: 1 });
  });

  it('refuses an event beyond the cap when told to throttle, as reserved concurrency does', async () => {
    pool = createFunctionPool({ maxInstances: 1, overflow: 'throttle' });
    const p = pool;
    const outcomes = await Promise.all([
      p.invoke(busy, { event: event({ waitMs: 300 }), context }),
      call(p, {}),
    ]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['result', 'throttled']);
    expect(p.stats()[0]).toMatchObject({ throttles: 1 });
  });
});
