// Turns an ASL definition into the one the interpreter runs, rewritten around aws-local-stepfunctions' traps
// (FACTS.md), plus a table of the task states the service drives itself. See local/workflow/README.md.
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { SfnError } from './errors';

/** Hidden Parameters keys the service adds and strips again before a task sees its input. */
export const HIDDEN = {
  input: '__localInput',
  timeout: '__localTimeoutSeconds',
  heartbeat: '__localHeartbeatSeconds',
  waitSeconds: '__localWaitSeconds',
  waitUntil: '__localWaitUntil',
} as const;

/** The interpreter's own task timer, kept below Node's 2^31 ms overflow; the service enforces the real timeout. */
export const INTERPRETER_TIMER_CAP_SECONDS = 2_147_483;
/** AWS's task timeout when a state declares none (the interpreter would otherwise use 60 s). */
export const AWS_DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;
export const LOCAL_WAIT_RESOURCE = 'arn:aws:states:::local:wait';

export type TaskKind = 'lambda-invoke' | 'lambda-callback' | 'lambda-function' | 'wait' | 'unsupported';

export interface TaskSpec {
  stateName: string;
  kind: TaskKind;
  /** The Resource as written (for a rewritten Wait state, the local wait resource). */
  resource: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  /** True when the service wrapped the state input as `__localInput` (the state had no Parameters). */
  wrapsInput: boolean;
  wait?: { seconds?: number; timestamp?: string };
}

export interface PreparedDefinition {
  runnable: StateMachineDefinition;
  tasks: Map<string, TaskSpec>;
  /** Task states that are rewritten Wait states: history reports them as Wait states. */
  waitStates: Set<string>;
  /** Each state's retriers (for scaling their pauses). */
  retriers: Map<string, Array<{ IntervalSeconds?: number }>>;
  /** The top-level TimeoutSeconds, enforced by the service (durably, scaled). */
  executionTimeoutSeconds?: number;
}

export interface PrepareOptions {
  /**
   * The interpreter keeps starting queued Map iterations after one failed (trap 1). By default a Map with
   * MaxConcurrency/MaxConcurrencyPath is refused; `true` runs it anyway with that behaviour.
   */
  allowMapMaxConcurrency?: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseDefinition(definition: unknown): JsonObject {
  let parsed: unknown = definition;
  if (typeof definition === 'string') {
    try {
      parsed = JSON.parse(definition);
    } catch (error) {
      throw new SfnError(
        'InvalidDefinition',
        `Invalid State Machine Definition: '${(error as Error).message}'`,
      );
    }
  }
  if (!isObject(parsed) || !isObject(parsed.States) || typeof parsed.StartAt !== 'string') {
    throw new SfnError(
      'InvalidDefinition',
      "Invalid State Machine Definition: 'StartAt and States are required'",
    );
  }
  if (parsed.QueryLanguage === 'JSONata') {
    throw new SfnError(
      'InvalidDefinition',
      "Invalid State Machine Definition: 'JSONata is not supported locally'",
    );
  }
  return parsed;
}

// `$$.Execution.Input` inside a Map iteration is the iteration's input in the interpreter (trap 5), and
// `$$.Execution.StartTime` is the wall clock of each (re)run: both are read from the service's context instead,
// which holds the execution's real input and start time (and keeps replay deterministic).
function rewriteContextPaths(value: string): string {
  return value
    .replaceAll('$$.Execution.StartTime', () => '$$.Local.ExecutionStartTime')
    .replaceAll('$$.Execution.Input', () => '$$.Local.ExecutionInput');
}

function rewritePaths(node: Json): Json {
  if (Array.isArray(node)) return node.map(rewritePaths);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    const isPath = key.endsWith('.$') || key.endsWith('Path') || key === 'Variable';
    out[key] = isPath && typeof value === 'string' ? rewriteContextPaths(value) : rewritePaths(value);
  }
  return out;
}

function taskKind(resource: string): TaskKind {
  if (resource === 'arn:aws:states:::lambda:invoke') return 'lambda-invoke';
  if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') return 'lambda-callback';
  if (/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[^:]+(:[^:]+)?$/.test(resource))
    return 'lambda-function';
  return 'unsupported';
}

function positiveInteger(value: Json | undefined, field: string, state: string): number | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > AWS_DEFAULT_TASK_TIMEOUT_SECONDS
  ) {
    throw new SfnError(
      'InvalidDefinition',
      `Invalid State Machine Definition: '${field} of ${state} is invalid'`,
    );
  }
  return value;
}

/** Parameters with hidden keys added; a state without Parameters gets its whole input wrapped. */
function withHidden(
  state: JsonObject,
  hidden: JsonObject,
  name: string,
): { params: JsonObject; wraps: boolean } {
  if (state.Parameters === undefined)
    return { params: { [`${HIDDEN.input}.$`]: '$', ...hidden }, wraps: true };
  if (!isObject(state.Parameters)) {
    throw new SfnError(
      'InvalidDefinition',
      `Invalid State Machine Definition: '${name}: a timeout or heartbeat path needs Parameters to be an object'`,
    );
  }
  return { params: { ...state.Parameters, ...hidden }, wraps: false };
}

// A Retry/Catch on States.Timeout also matches a heartbeat timeout on AWS; the interpreter matches one name only.
function widenTimeoutMatchers(list: Json | undefined): Json | undefined {
  if (!Array.isArray(list)) return list;
  return list.map((entry) => {
    if (!isObject(entry) || !Array.isArray(entry.ErrorEquals)) return entry;
    const errors = entry.ErrorEquals;
    if (errors.includes('States.Timeout') && !errors.includes('States.HeartbeatTimeout')) {
      return { ...entry, ErrorEquals: [...errors, 'States.HeartbeatTimeout'] };
    }
    return entry;
  });
}

function rewriteTask(name: string, state: JsonObject, out: PreparedDefinition): JsonObject {
  const resource = String(state.Resource);
  const {
    TimeoutSeconds,
    TimeoutSecondsPath,
    HeartbeatSeconds,
    HeartbeatSecondsPath,
    Credentials: _credentials,
    ...rest
  } = state;
  const spec: TaskSpec = { stateName: name, kind: taskKind(resource), resource, wrapsInput: false };
  const timeoutSeconds = positiveInteger(TimeoutSeconds, 'TimeoutSeconds', name);
  const heartbeatSeconds = positiveInteger(HeartbeatSeconds, 'HeartbeatSeconds', name);
  if (timeoutSeconds !== undefined) spec.timeoutSeconds = timeoutSeconds;
  if (heartbeatSeconds !== undefined) spec.heartbeatSeconds = heartbeatSeconds;
  const hidden: JsonObject = {};
  // TimeoutSecondsPath is a path into the state input; the interpreter reads it after Parameters (trap 2).
  // As a hidden Parameters key it is evaluated against the effective input, as on AWS.
  if (typeof TimeoutSecondsPath === 'string') hidden[`${HIDDEN.timeout}.$`] = TimeoutSecondsPath;
  if (typeof HeartbeatSecondsPath === 'string') hidden[`${HIDDEN.heartbeat}.$`] = HeartbeatSecondsPath;
  const task: JsonObject = { ...rest, TimeoutSeconds: INTERPRETER_TIMER_CAP_SECONDS };
  if (Object.keys(hidden).length > 0) {
    const { params, wraps } = withHidden(state, hidden, name);
    task.Parameters = params;
    spec.wrapsInput = wraps;
  }
  if (task.Retry !== undefined) task.Retry = widenTimeoutMatchers(task.Retry) as Json;
  if (task.Catch !== undefined) task.Catch = widenTimeoutMatchers(task.Catch) as Json;
  out.tasks.set(name, spec);
  return task;
}

// A Wait state becomes a task the service times itself: durable across restarts, scaled, never overflowing.
function rewriteWait(name: string, state: JsonObject, out: PreparedDefinition): JsonObject {
  const params: JsonObject = { [`${HIDDEN.input}.$`]: '$' };
  const spec: TaskSpec = {
    stateName: name,
    kind: 'wait',
    resource: LOCAL_WAIT_RESOURCE,
    wrapsInput: true,
    wait: {},
  };
  if (typeof state.Seconds === 'number') params[HIDDEN.waitSeconds] = state.Seconds;
  else if (typeof state.SecondsPath === 'string') params[`${HIDDEN.waitSeconds}.$`] = state.SecondsPath;
  else if (typeof state.Timestamp === 'string') params[HIDDEN.waitUntil] = state.Timestamp;
  else if (typeof state.TimestampPath === 'string') params[`${HIDDEN.waitUntil}.$`] = state.TimestampPath;
  else params[HIDDEN.waitSeconds] = 0;
  const task: JsonObject = {
    Type: 'Task',
    Resource: LOCAL_WAIT_RESOURCE,
    Parameters: params,
    TimeoutSeconds: INTERPRETER_TIMER_CAP_SECONDS,
  };
  for (const key of ['Comment', 'InputPath', 'OutputPath', 'Next', 'End'] as const) {
    if (state[key] !== undefined) task[key] = state[key];
  }
  out.tasks.set(name, spec);
  out.waitStates.add(name);
  return task;
}

function rewriteStates(states: JsonObject, out: PreparedDefinition, options: PrepareOptions): JsonObject {
  const result: JsonObject = {};
  for (const [name, raw] of Object.entries(states)) {
    if (!isObject(raw))
      throw new SfnError('InvalidDefinition', `Invalid State Machine Definition: '${name}'`);
    let state: JsonObject = raw;
    if (Array.isArray(state.Retry))
      out.retriers.set(name, state.Retry as Array<{ IntervalSeconds?: number }>);
    switch (state.Type) {
      case 'Task':
        state = rewriteTask(name, state, out);
        break;
      case 'Wait':
        state = rewriteWait(name, state, out);
        break;
      case 'Map': {
        const limited =
          (typeof state.MaxConcurrency === 'number' && state.MaxConcurrency > 0) ||
          state.MaxConcurrencyPath !== undefined;
        if (limited && !options.allowMapMaxConcurrency) {
          throw new SfnError(
            'InvalidDefinition',
            `Invalid State Machine Definition: 'Map ${name} sets MaxConcurrency: the local interpreter keeps starting ` +
              `queued iterations after one fails; run stages as a Choice loop (ARCHITECTURE.md §3)'`,
          );
        }
        const processorKey = isObject(state.ItemProcessor) ? 'ItemProcessor' : 'Iterator';
        const processor = state[processorKey];
        if (!isObject(processor) || !isObject(processor.States)) {
          throw new SfnError(
            'InvalidDefinition',
            `Invalid State Machine Definition: 'Map ${name} has no ItemProcessor'`,
          );
        }
        if (isObject(processor.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED') {
          throw new SfnError(
            'InvalidDefinition',
            `Invalid State Machine Definition: 'distributed Map is not supported'`,
          );
        }
        state = {
          ...state,
          [processorKey]: { ...processor, States: rewriteStates(processor.States, out, options) },
        };
        if (state.Catch !== undefined) state.Catch = widenTimeoutMatchers(state.Catch) as Json;
        break;
      }
      case 'Parallel': {
        const branches = Array.isArray(state.Branches) ? state.Branches : [];
        state = {
          ...state,
          Branches: branches.map((branch) =>
            isObject(branch) && isObject(branch.States)
              ? { ...branch, States: rewriteStates(branch.States, out, options) }
              : branch,
          ),
        };
        break;
      }
      default:
        break;
    }
    result[name] = state;
  }
  return result;
}

/** Rewrites a parsed, already validated definition for the interpreter. */
export function prepareDefinition(definition: JsonObject, options: PrepareOptions = {}): PreparedDefinition {
  const out: PreparedDefinition = {
    runnable: { StartAt: '', States: {} },
    tasks: new Map(),
    waitStates: new Set(),
    retriers: new Map(),
  };
  const rewritten = rewritePaths(definition) as JsonObject;
  const { TimeoutSeconds, States, ...top } = rewritten;
  const executionTimeout = positiveInteger(TimeoutSeconds, 'TimeoutSeconds', 'the state machine');
  if (executionTimeout !== undefined) out.executionTimeoutSeconds = executionTimeout;
  out.runnable = {
    ...(top as object),
    States: rewriteStates(States as JsonObject, out, options),
  } as unknown as StateMachineDefinition;
  return out;
}
