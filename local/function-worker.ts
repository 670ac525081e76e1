// One function instance of the local gateway's pool, inside its own worker thread: it imports one handler module
// (its own module state and SDK clients, as a Lambda execution environment has) and runs one event at a time.
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';

/** What the pool sends to an instance; the Context's functions do not survive structured cloning, so its fields do. */
export interface InvokeMessage {
  type: 'invoke';
  id: number;
  /** Any event a Lambda function takes: an API Gateway proxy event, a DynamoDB stream batch… */
  event: unknown;
  /** The function's timeout runs from when the instance takes the event (init and waiting for an instance excluded). */
  context: Omit<Context, 'getRemainingTimeInMillis' | 'done' | 'fail' | 'succeed'> & { timeoutMs: number };
  /** The gateway's `Date.now()` when it sent the event. */
  now: number;
}

export type InstanceMessage =
  | { type: 'ready'; initMs: number }
  | { type: 'log'; stream: 'stdout' | 'stderr'; chunk: string }
  | { type: 'result'; id: number; result: unknown; dynamodbCalls?: string[] }
  | { type: 'error'; id: number; error: { name: string; message: string }; dynamodbCalls?: string[] };

export interface InstanceData {
  /** Absolute path of the handler's CommonJS bundle (infra/function-bundles.ts). */
  handler: string;
  /** Count the DynamoDB operations each invocation sends, as they leave the instance (benches). */
  countDynamoDbCalls: boolean;
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const port = parentPort!;
const data = workerData as InstanceData;
const post = (message: InstanceMessage) => port.postMessage(message);

// Log lines travel on the same port as the result, so the gateway writes them before it answers the request: a test
// reading the stack process's stdout after a response sees that request's lines, as it did in one process.
for (const stream of ['stdout', 'stderr'] as const) {
  process[stream].write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    post({
      type: 'log',
      stream,
      chunk: typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'),
    });
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
}

/**
 * The instance keeps the gateway's clock. Tests move the stack process's Date (only Date) to walk a dossier through
 * time; the functions ran in that process before and must see the same time. With the clocks in step (always,
 * outside such tests) the real Date stays in place.
 */
const RealDate = Date;
let offsetMs = 0;
class GatewayDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + offsetMs);
    else super(...(args as [number]));
  }
  static override now() {
    return RealDate.now() + offsetMs;
  }
  static override [Symbol.hasInstance](value: unknown) {
    return value instanceof RealDate;
  }
}
function followClock(gatewayNow: number) {
  const offset = gatewayNow - RealDate.now();
  // Messages take well under a second; a larger difference is a clock moved on purpose.
  offsetMs = Math.abs(offset) > 1_000 ? offset : 0;
  globalThis.Date = (offsetMs ? GatewayDate : RealDate) as DateConstructor;
}

let calls: string[] | undefined;

async function start() {
  const started = performance.now();
  // Required, as Lambda's runtime loads a .cjs handler (an import() would also run the CommonJS export scan over it).
  const { handler } = createRequire(data.handler)(data.handler) as { handler: Handler };
  if (typeof handler !== 'function') throw new Error(`${data.handler} exports no handler`);
  if (data.countDynamoDbCalls) {
    // Each DynamoDB call is one HTTP request naming its operation in X-Amz-Target (`DynamoDB_20120810.GetItem`);
    // Node announces every outgoing request on this channel, so the handler's bundle needs no hook.
    subscribe('http.client.request.start', (message) => {
      const target = (message as { request: ClientRequest }).request.getHeader('x-amz-target');
      const operation = typeof target === 'string' && /^DynamoDB_\d+\.(\w+)$/.exec(target)?.[1];
      if (operation) calls?.push(`${operation}Command`);
    });
  }
  post({ type: 'ready', initMs: performance.now() - started });
  return handler;
}

const ready = start();
// An init failure is an uncaught error: the pool sees the instance die, as Lambda reports an init error.
ready.catch((error: unknown) => {
  throw error;
});

port.on('message', async (message: InvokeMessage) => {
  if (message.type !== 'invoke') return;
  const handler = await ready;
  followClock(message.now);
  const { timeoutMs, ...fields } = message.context;
  const deadline = Date.now() + timeoutMs;
  const context: Context = {
    ...fields,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  calls = data.countDynamoDbCalls ? [] : undefined;
  try {
    const result = await handler(message.event, context);
    // A result that cannot be cloned throws here and is answered as the function's error, as Lambda answers a
    // result it cannot serialize.
    post({ type: 'result', id: message.id, result, ...(calls ? { dynamodbCalls: calls } : {}) });
  } catch (error) {
    const { name, message: text } =
      error instanceof Error ? error : { name: 'Error', message: String(error) };
    post({
      type: 'error',
      id: message.id,
      error: { name, message: text },
      ...(calls ? { dynamodbCalls: calls } : {}),
    });
  }
});
