// The local gateway's functions, run the way Lambda runs them: per function a pool of isolated instances (worker
// threads, each with its own module state and SDK clients), each serving one event at a time.
//
// - A request takes an idle (warm) instance; if every instance is busy, a new one starts: a cold start, counted.
// - At `maxInstances` a request waits for the next instance to free up (`overflow: 'queue'`, the default). The cloud
//   functions reserve no concurrency, so there a burst beyond the local cap would start more instances (the account
//   allows 1,000): waiting costs latency, never a different answer. `overflow: 'throttle'` models a function whose
//   reserved concurrency is the cap: Lambda rejects the invoke (429 TooManyRequestsException) and API Gateway, which
//   never retries, answers 500 with the DEFAULT_5XX body.
// - An instance that throws from its handler answers 502 and stays warm; one that dies (uncaught exception,
//   process.exit, out of memory, init failure) answers its request 502, as API Gateway does on a Lambda failure, and
//   the next request starts a new one.
// - Idle instances are kept warm and reaped after `idleMs`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import { bundleFile, lambdaNodeOptions, repoRoot } from '../infra/bundling';
import { functionBundle, functionBundles } from '../infra/function-bundles';
import type { InstanceData, InstanceMessage, InvokeMessage } from './function-worker';

export interface FunctionPoolOptions {
  /** Instances one function may run at once (default 10). */
  maxInstances?: number;
  /** Per-function caps by function name, over `maxInstances`. */
  maxInstancesOf?: Record<string, number>;
  overflow?: 'queue' | 'throttle';
  /** How long an idle instance stays warm (default 10 minutes). */
  idleMs?: number;
  /** Count the DynamoDB commands each invocation sends (benches); off by default. */
  countDynamoDbCalls?: boolean;
  /** A fixed environment for every instance; by default instances share the stack process's (`SHARE_ENV`). */
  env?: Record<string, string>;
  /** Called as each invocation ends, however it ended (the stack wakes the stream consumers: it may have written). */
  onInvoked?: (name: string) => void;
}

/** One function as the route table declares it: a name and a handler module. */
export interface FunctionSpec {
  name: string;
  /** Absolute path of the module exporting `handler`. */
  handlerPath: string;
  memoryMb: number;
}

export type Invocation =
  /** What the handler returned (an API Gateway proxy result, a partial batch response…). */
  | { kind: 'result'; result: unknown }
  /** The handler threw or rejected: Lambda reports a function error, API Gateway answers 502. */
  | { kind: 'error'; error: Error }
  /** The instance died with the request (or before it could take it): 502 as well. */
  | { kind: 'crashed'; error: Error }
  /** At the cap with `overflow: 'throttle'`: Lambda refuses the invoke, API Gateway answers 500. */
  | { kind: 'throttled' };

export interface FunctionStats {
  function: string;
  coldStarts: number;
  /** Events handed to an instance (queued ones included once they run). */
  invocations: number;
  errors: number;
  crashes: number;
  throttles: number;
  /** Most instances busy at once (a starting instance with its first event counts, as Lambda counts init). */
  maxConcurrent: number;
  /** Longest the queue grew. */
  maxQueued: number;
  /** Instances alive now. */
  instances: number;
  /** Module load time of each cold start, measured inside the instance (ms). */
  initMs: number[];
  /** By command, summed over invocations; empty unless `countDynamoDbCalls`. */
  dynamodbCalls: Record<string, number>;
}

type InvokeInput = Pick<InvokeMessage, 'event' | 'context'>;

interface Pending {
  input: InvokeInput;
  resolve: (outcome: Invocation) => void;
}

interface Instance {
  /** Set once the bundle is ready and the thread started. */
  worker?: Worker;
  ready: boolean;
  /** The event it runs, or will run once ready. */
  current?: Pending;
  idleTimer?: NodeJS.Timeout;
  /** Reaped or stopped on purpose: its exit is not a crash. */
  retired?: boolean;
  gone?: boolean;
}

interface FunctionState {
  spec: FunctionSpec;
  cap: number;
  instances: Set<Instance>;
  idle: Instance[];
  queue: Pending[];
  busy: number;
  stats: FunctionStats;
}

const workerEntry = fileURLToPath(new URL('./function-worker.ts', import.meta.url));

/**
 * Builds, in one esbuild run, every bundle the embedded stack may start that is not cached yet: each handler under
 * functions/ and the instance worker. Without it a fresh clone builds them one at a time as their first instances
 * start (the integration suite and `npm start` call it first).
 */
export async function prebuildFunctions(): Promise<void> {
  const handlers = readdirSync(join(repoRoot, 'functions'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(repoRoot, 'functions', file));
  await functionBundles([workerEntry, ...handlers]);
}

export function createFunctionPool(options: FunctionPoolOptions = {}) {
  const functions = new Map<string, FunctionState>();
  const defaultCap = options.maxInstances ?? 10;
  const idleMs = options.idleMs ?? 10 * 60_000;
  let stopping = false;
  let nextId = 0;

  function stateOf(spec: FunctionSpec): FunctionState {
    let fn = functions.get(spec.name);
    if (!fn) {
      fn = {
        spec,
        cap: Math.max(1, options.maxInstancesOf?.[spec.name] ?? defaultCap),
        instances: new Set(),
        idle: [],
        queue: [],
        busy: 0,
        stats: {
          function: spec.name,
          coldStarts: 0,
          invocations: 0,
          errors: 0,
          crashes: 0,
          throttles: 0,
          maxConcurrent: 0,
          maxQueued: 0,
          instances: 0,
          initMs: [],
          dynamodbCalls: {},
        },
      };
      functions.set(spec.name, fn);
    }
    return fn;
  }

  function take(fn: FunctionState, instance: Instance, pending: Pending) {
    clearTimeout(instance.idleTimer);
    instance.current = pending;
    fn.busy += 1;
    fn.stats.maxConcurrent = Math.max(fn.stats.maxConcurrent, fn.busy);
    if (instance.ready) send(fn, instance);
  }

  function send(fn: FunctionState, instance: Instance) {
    fn.stats.invocations += 1;
    const message: InvokeMessage = {
      type: 'invoke',
      id: nextId++,
      ...instance.current!.input,
      now: Date.now(),
    };
    instance.worker!.postMessage(message);
  }

  function coldStart(fn: FunctionState, pending: Pending) {
    fn.stats.coldStarts += 1;
    // The instance counts as started (and busy) while its bundle is found or built, so no second one starts for it.
    const instance: Instance = { ready: false };
    fn.instances.add(instance);
    fn.stats.instances = fn.instances.size;
    take(fn, instance, pending);
    Promise.all([functionBundle(workerEntry), functionBundle(fn.spec.handlerPath)]).then(
      ([workerDir, handlerDir]) => {
        if (instance.gone) return;
        const workerFile = join(workerDir, bundleFile);
        const handlerFile = join(handlerDir, bundleFile);
        const data: InstanceData = {
          handler: handlerFile,
          countDynamoDbCalls: options.countDynamoDbCalls ?? false,
        };
        const worker = new Worker(workerFile, {
          workerData: data,
          env: options.env ?? SHARE_ENV,
          name: `motcua-local-${fn.spec.name}`,
          // Not the stack process's flags (under tsx, its TypeScript loader, which every instance would otherwise
          // register again and run over its bundle): the bundles are plain JavaScript, and Lambda's NODE_OPTIONS,
          // which the function construct sets, is all an instance gets.
          execArgv: [...lambdaNodeOptions],
          // Lambda's memory setting bounds the heap; past it the instance dies and its request gets a 502.
          resourceLimits: { maxOldGenerationSizeMb: fn.spec.memoryMb },
        });
        instance.worker = worker;
        if (stopping || instance.retired) void worker.terminate();
        worker.on('message', (message: InstanceMessage) => received(fn, instance, message));
        worker.on('error', (error) => lost(fn, instance, error));
        worker.on('exit', (code) => lost(fn, instance, new Error(`the instance exited with code ${code}`)));
      },
      (error: unknown) => lost(fn, instance, error instanceof Error ? error : new Error(String(error))),
    );
  }

  function received(fn: FunctionState, instance: Instance, message: InstanceMessage) {
    switch (message.type) {
      case 'log':
        process[message.stream].write(message.chunk);
        return;
      case 'ready':
        instance.ready = true;
        fn.stats.initMs.push(message.initMs);
        if (instance.current) send(fn, instance);
        return;
      case 'result':
      case 'error': {
        for (const command of message.dynamodbCalls ?? []) {
          fn.stats.dynamodbCalls[command] = (fn.stats.dynamodbCalls[command] ?? 0) + 1;
        }
        const pending = instance.current;
        instance.current = undefined;
        fn.busy -= 1;
        if (message.type === 'result') pending?.resolve({ kind: 'result', result: message.result });
        else {
          fn.stats.errors += 1;
          pending?.resolve({
            kind: 'error',
            error: Object.assign(new Error(message.error.message), message.error),
          });
        }
        release(fn, instance);
        options.onInvoked?.(fn.spec.name);
        return;
      }
    }
  }

  /** A free instance takes the oldest waiting event, or waits warm until reaped. */
  function release(fn: FunctionState, instance: Instance) {
    const waiting = fn.queue.shift();
    if (waiting) return take(fn, instance, waiting);
    fn.idle.push(instance);
    instance.idleTimer = setTimeout(() => retire(fn, instance), idleMs);
    instance.idleTimer.unref();
  }

  function retire(fn: FunctionState, instance: Instance) {
    instance.retired = true;
    fn.idle = fn.idle.filter((i) => i !== instance);
    return instance.worker?.terminate();
  }

  function lost(fn: FunctionState, instance: Instance, error: Error) {
    if (instance.gone) return;
    instance.gone = true;
    clearTimeout(instance.idleTimer);
    fn.instances.delete(instance);
    fn.idle = fn.idle.filter((i) => i !== instance);
    fn.stats.instances = fn.instances.size;
    if (!instance.retired) fn.stats.crashes += 1;
    const pending = instance.current;
    if (pending) {
      instance.current = undefined;
      fn.busy -= 1;
      pending.resolve({ kind: 'crashed', error });
      options.onInvoked?.(fn.spec.name);
    }
    // The dead instance's place is free: a waiting event gets a new one.
    const waiting = !stopping && fn.instances.size < fn.cap ? fn.queue.shift() : undefined;
    if (waiting) coldStart(fn, waiting);
  }

  return {
    invoke(spec: FunctionSpec, input: { event: unknown; context: InvokeInput['context'] }) {
      return new Promise<Invocation>((resolve) => {
        if (stopping) return resolve({ kind: 'crashed', error: new Error('the stack is stopping') });
        const fn = stateOf(spec);
        const pending: Pending = { input, resolve };
        // The most recently used warm instance first, as Lambda tends to reuse the warmest environment.
        const warm = fn.idle.pop();
        if (warm) return take(fn, warm, pending);
        if (fn.instances.size < fn.cap) return coldStart(fn, pending);
        if (options.overflow === 'throttle') {
          fn.stats.throttles += 1;
          return resolve({ kind: 'throttled' });
        }
        fn.queue.push(pending);
        fn.stats.maxQueued = Math.max(fn.stats.maxQueued, fn.queue.length);
      });
    },

    /** Counters per function that has been invoked, by name. */
    stats(): FunctionStats[] {
      return [...functions.values()].map((fn) => structuredClone(fn.stats));
    },

    /** Ends every instance; waiting and running events answer 502. */
    async stop() {
      stopping = true;
      const all = [...functions.values()];
      for (const fn of all) {
        for (const pending of fn.queue.splice(0)) {
          pending.resolve({ kind: 'crashed', error: new Error('the stack is stopping') });
        }
      }
      await Promise.all(
        all.flatMap((fn) =>
          [...fn.instances].map((instance) => {
            instance.retired = true;
            return instance.worker?.terminate();
          }),
        ),
      );
    },
  };
}

export type FunctionPool = ReturnType<typeof createFunctionPool>;
