// The workflow engine behind the local Step Functions API: state machines, executions run by aws-local-stepfunctions,
// callback tasks with opaque tokens, AWS-shaped history, and a journal replayed at start (README.md, "Durability").
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import {
  AWS_DEFAULT_TASK_TIMEOUT_SECONDS,
  HIDDEN,
  type PreparedDefinition,
  parseDefinition,
  prepareDefinition,
  type TaskSpec,
} from './definition';
import { SfnError } from './errors';
import { Journal, type JournalRecord } from './journal';

export interface InvokeInfo {
  /** The FunctionName (or Resource) as the definition gave it: a name, an ARN, or a name with a qualifier. */
  qualifiedName: string;
  /** `Event` for a callback task (Step Functions invokes asynchronously), `RequestResponse` otherwise. */
  invocationType: 'RequestResponse' | 'Event';
  executionArn: string;
  stateName: string;
}

/** Runs a Lambda function by name for a task state; the embedded stack supplies it. */
export type Invoker = (functionName: string, payload: unknown, info: InvokeInfo) => Promise<unknown>;

export type WorkflowLog = (event: string, fields: Record<string, unknown>) => void;

export interface WorkflowOptions {
  /** Folder for the journal; omitted keeps everything in memory (nothing survives a restart). */
  dataDir?: string;
  /** `1` is real time; `86400` makes a day of Wait states and task timeouts last a second. */
  timeScale?: number;
  region?: string;
  accountId?: string;
  invoker?: Invoker;
  /** See PrepareOptions.allowMapMaxConcurrency. */
  allowMapMaxConcurrency?: boolean;
  log?: WorkflowLog;
}

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
type WireEvent = { timestamp: number; type: string; id: number; previousEventId: number } & Record<
  string,
  unknown
>;

interface Machine {
  arn: string;
  name: string;
  roleArn: string;
  definition: string;
  hash: string;
  created: number;
  updated: number;
}

interface Compiled {
  prepared: PreparedDefinition;
  machine: StateMachine;
}

interface TaskResult {
  ok: boolean;
  output?: string;
  error?: string;
  cause?: string;
  timeout?: boolean;
}

interface TaskRec {
  key: string;
  stateName: string;
  resource?: string;
  token?: string;
  scheduledAt: number;
  timeoutAt: number;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  lastHeartbeatAt: number;
  invoked: boolean;
  until?: number;
  params?: string;
  result?: TaskResult;
  /** The result was read from the journal (a replay), not produced by this run. */
  replayed: boolean;
  waiter?: { resolve: (value: unknown) => void; reject: (error: unknown) => void };
  cancelTimer?: () => void;
}

interface Execution {
  arn: string;
  name: string;
  smArn: string;
  smName: string;
  roleArn: string;
  hash: string;
  input: string;
  startedAt: number;
  status: Status;
  stoppedAt?: number;
  output?: string;
  error?: string;
  cause?: string;
  history: WireEvent[];
  tasks: Map<string, TaskRec>;
  occurrences: Map<string, number>;
  replayedFailure: Map<string, boolean>;
  abort?: () => void;
  cancelTimeout?: () => void;
}

const TOKEN_PLACEHOLDER = '__motcua_local_task_token__';
const TOKEN_PATTERN = /^AQ[A-Za-z0-9_-]{128}$/;
const MAX_TIMER_MS = 2 ** 31 - 1;
// AWS's name rule: 1–80 characters, no whitespace, brackets, wildcards, listed punctuation or control characters.
const NAME_FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;
const isValidName = (name: string) =>
  name.length >= 1 &&
  name.length <= 80 &&
  !NAME_FORBIDDEN.test(name) &&
  ![...name].some((c) => {
    const code = c.charCodeAt(0);
    return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
  });
const NEVER = new Promise<never>(() => undefined);

/** Calls `fn` at the epoch ms `at`, however far away (Node timers overflow past 2^31 ms). Returns a cancel. */
export function sleepUntil(at: number, fn: () => void): () => void {
  let handle: NodeJS.Timeout | undefined;
  let cancelled = false;
  const step = () => {
    if (cancelled) return;
    const left = at - Date.now();
    if (left <= 0) fn();
    else handle = setTimeout(step, Math.min(left, MAX_TIMER_MS));
  };
  handle = setTimeout(step, Math.min(Math.max(at - Date.now(), 0), MAX_TIMER_MS));
  return () => {
    cancelled = true;
    clearTimeout(handle);
  };
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function replaceToken(value: unknown, token: string): unknown {
  if (typeof value === 'string') return value.replaceAll(TOKEN_PLACEHOLDER, () => token);
  if (Array.isArray(value)) return value.map((v) => replaceToken(v, token));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceToken(v, token)]));
  }
  return value;
}

/** An error the interpreter can neither retry nor catch, as AWS's States.Runtime. */
function runtimeError(message: string): Error {
  return Object.assign(new Error(message), {
    name: 'States.Runtime',
    isRetryable: false,
    isCatchable: false,
  });
}

function functionNameOf(qualified: string): string {
  const afterFunction = qualified.includes(':function:') ? qualified.split(':function:')[1]! : qualified;
  return afterFunction.split(':')[0]!;
}

function lambdaFailure(error: unknown): TaskResult {
  const err = error instanceof Error ? error : new Error(String(error));
  const errorType = err.name && err.name !== 'Error' ? err.name : 'Error';
  return {
    ok: false,
    error: errorType,
    cause: JSON.stringify({ errorType, errorMessage: err.message }),
  };
}

let timeoutErrorClass: Promise<new () => Error> | undefined;

/**
 * The interpreter's own States.Timeout class, which is not exported: its Retry/Catch treat an instance of it as a
 * timeout (not matched by States.TaskFailed, as on AWS). A 1 ms task timeout in a throwaway machine yields one.
 */
function statesTimeoutErrorClass(): Promise<new () => Error> {
  timeoutErrorClass ??= (async () => {
    const probe = new StateMachine(
      {
        StartAt: 'Probe',
        States: {
          Probe: { Type: 'Task', Resource: 'arn:aws:states:::local:probe', TimeoutSeconds: 0.001, End: true },
        },
      } as never,
      { validationOptions: { noValidate: true } },
    );
    try {
      await probe.run({}, { overrides: { taskResourceLocalHandlers: { Probe: () => NEVER } } }).result;
    } catch (error) {
      const cause = (error as Error).cause as Error | undefined;
      if (cause?.name === 'States.Timeout') return cause.constructor as new () => Error;
    }
    throw new Error('could not obtain the interpreter States.Timeout error class');
  })();
  return timeoutErrorClass;
}

export class WorkflowEngine {
  readonly timeScale: number;
  readonly region: string;
  readonly accountId: string;
  private readonly machines = new Map<string, Machine>();
  private readonly definitions = new Map<string, string>();
  private readonly compiled = new Map<string, Compiled>();
  private readonly executions = new Map<string, Execution>();
  private readonly tokens = new Map<string, { ex: Execution; task: TaskRec }>();
  private journal: Journal | undefined;
  private TimeoutError: (new () => Error) | undefined;
  private closing = false;
  private readonly log: WorkflowLog;

  constructor(private readonly options: WorkflowOptions = {}) {
    const scale = options.timeScale ?? 1;
    if (!Number.isFinite(scale) || scale <= 0)
      throw new Error(`timeScale must be a positive number, got ${scale}`);
    this.timeScale = scale;
    this.region = options.region ?? 'ap-southeast-1';
    this.accountId = options.accountId ?? '000000000000';
    this.log = options.log ?? (() => undefined);
  }

  /** Opens the journal and resumes the executions it left in progress. */
  async start(): Promise<{ resumed: number }> {
    this.TimeoutError = await statesTimeoutErrorClass();
    if (!this.options.dataDir) return { resumed: 0 };
    this.journal = new Journal(join(this.options.dataDir, 'workflow-journal.jsonl'));
    const records = this.journal.open();
    for (const record of records) this.load(record);
    let resumed = 0;
    for (const ex of this.executions.values()) {
      if (ex.status !== 'RUNNING') continue;
      this.compile(ex.hash);
      this.launch(ex);
      resumed++;
    }
    this.log('workflow.replayed', { records: records.length, resumed });
    return { resumed };
  }

  close(): void {
    this.closing = true;
    for (const ex of this.executions.values()) {
      if (ex.status !== 'RUNNING') continue;
      ex.cancelTimeout?.();
      for (const task of ex.tasks.values()) task.cancelTimer?.();
      ex.abort?.();
    }
    this.journal?.close();
  }

  // ---- state machines -------------------------------------------------------------------------------------

  stateMachineArn(name: string) {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
  }

  createStateMachine(req: { name?: string; definition?: string; roleArn?: string; type?: string }) {
    const name = this.validName(req.name, 'name');
    if (typeof req.definition !== 'string')
      throw new SfnError('ValidationException', 'definition is required');
    if (req.type && req.type !== 'STANDARD') {
      throw new SfnError('ValidationException', 'Only STANDARD state machines are supported locally');
    }
    const definition = req.definition;
    const hash = this.compile(this.hashOf(definition), definition);
    const arn = this.stateMachineArn(name);
    const existing = this.machines.get(arn);
    if (existing) {
      if (existing.hash !== hash) {
        throw new SfnError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
      }
      return { stateMachineArn: arn, creationDate: existing.created / 1000 };
    }
    const machine = this.saveMachine(arn, name, definition, hash, req.roleArn);
    return { stateMachineArn: arn, creationDate: machine.created / 1000 };
  }

  updateStateMachine(req: { stateMachineArn?: string; definition?: string; roleArn?: string }) {
    const machine = this.machine(req.stateMachineArn);
    const definition = req.definition ?? machine.definition;
    const hash = this.compile(this.hashOf(definition), definition);
    const saved = this.saveMachine(
      machine.arn,
      machine.name,
      definition,
      hash,
      req.roleArn ?? machine.roleArn,
    );
    return { updateDate: saved.updated / 1000 };
  }

  /** Creates or replaces a state machine from code (running executions keep the definition they started with). */
  putStateMachine(name: string, definition: unknown, roleArn?: string): string {
    const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
    const arn = this.stateMachineArn(this.validName(name, 'name'));
    const existing = this.machines.get(arn);
    const hash = this.compile(this.hashOf(text), text);
    if (existing?.hash !== hash) this.saveMachine(arn, name, text, hash, roleArn ?? existing?.roleArn);
    return arn;
  }

  describeStateMachine(req: { stateMachineArn?: string }) {
    const m = this.machine(req.stateMachineArn);
    return {
      stateMachineArn: m.arn,
      name: m.name,
      status: 'ACTIVE',
      definition: m.definition,
      roleArn: m.roleArn,
      type: 'STANDARD',
      creationDate: m.created / 1000,
    };
  }

  listStateMachines() {
    return {
      stateMachines: [...this.machines.values()].map((m) => ({
        stateMachineArn: m.arn,
        name: m.name,
        type: 'STANDARD',
        creationDate: m.created / 1000,
      })),
    };
  }

  // ---- executions ------------------------------------------------------------------------------------------

  startExecution(req: { stateMachineArn?: string; name?: string; input?: string }) {
    const machine = this.machine(req.stateMachineArn);
    const name = req.name === undefined ? randomUUID() : this.validName(req.name, 'name');
    const input = req.input ?? '{}';
    try {
      JSON.parse(input);
    } catch {
      throw new SfnError(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: '${input.slice(0, 80)}'`,
      );
    }
    const arn = `arn:aws:states:${this.region}:${this.accountId}:execution:${machine.name}:${name}`;
    const existing = this.executions.get(arn);
    if (existing) {
      // As on AWS: the same name and input while the execution is open is the same call; otherwise refused.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn: arn, startDate: existing.startedAt / 1000 };
      }
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const at = Date.now();
    this.append({ t: 'start', arn, sm: machine.arn, name, input, hash: machine.hash, at });
    const ex = this.newExecution({ arn, name, sm: machine.arn, input, hash: machine.hash, at });
    this.launch(ex);
    this.log('workflow.execution-started', { executionArn: arn });
    return { executionArn: arn, startDate: at / 1000 };
  }

  describeExecution(req: { executionArn?: string }) {
    const ex = this.execution(req.executionArn);
    return {
      executionArn: ex.arn,
      stateMachineArn: ex.smArn,
      name: ex.name,
      status: ex.status,
      startDate: ex.startedAt / 1000,
      ...(ex.stoppedAt !== undefined ? { stopDate: ex.stoppedAt / 1000 } : {}),
      input: ex.input,
      inputDetails: { included: true },
      ...(ex.output !== undefined ? { output: ex.output, outputDetails: { included: true } } : {}),
      ...(ex.error !== undefined ? { error: ex.error } : {}),
      ...(ex.cause !== undefined ? { cause: ex.cause } : {}),
    };
  }

  stopExecution(req: { executionArn?: string; error?: string; cause?: string }) {
    const ex = this.execution(req.executionArn);
    if (ex.status === 'RUNNING') {
      this.finish(ex, 'ABORTED', {
        ...(req.error !== undefined ? { error: req.error } : {}),
        ...(req.cause !== undefined ? { cause: req.cause } : {}),
      });
    }
    return { stopDate: (ex.stoppedAt ?? Date.now()) / 1000 };
  }

  listExecutions(req: {
    stateMachineArn?: string;
    statusFilter?: string;
    maxResults?: number;
    nextToken?: string;
  }) {
    const machine = this.machine(req.stateMachineArn);
    const all = [...this.executions.values()]
      .filter((ex) => ex.smArn === machine.arn && (!req.statusFilter || ex.status === req.statusFilter))
      .sort((a, b) => b.startedAt - a.startedAt);
    const { page, nextToken } = this.paginate(all, req.maxResults, req.nextToken);
    return {
      executions: page.map((ex) => ({
        executionArn: ex.arn,
        stateMachineArn: ex.smArn,
        name: ex.name,
        status: ex.status,
        startDate: ex.startedAt / 1000,
        ...(ex.stoppedAt !== undefined ? { stopDate: ex.stoppedAt / 1000 } : {}),
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  getExecutionHistory(req: {
    executionArn?: string;
    maxResults?: number;
    nextToken?: string;
    reverseOrder?: boolean;
    includeExecutionData?: boolean;
  }) {
    const ex = this.execution(req.executionArn);
    let events = req.reverseOrder ? [...ex.history].reverse() : ex.history;
    if (req.includeExecutionData === false) events = events.map(stripExecutionData);
    const { page, nextToken } = this.paginate(events, req.maxResults, req.nextToken);
    return { events: page, ...(nextToken ? { nextToken } : {}) };
  }

  // ---- callback tasks --------------------------------------------------------------------------------------

  sendTaskSuccess(req: { taskToken?: string; output?: string }) {
    const { ex, task } = this.openTask(req.taskToken);
    const output = req.output ?? '';
    try {
      JSON.parse(output);
    } catch {
      throw new SfnError('InvalidOutput', `Invalid Output: '${output.slice(0, 80)}'`);
    }
    if (!this.completeTask(ex, task, { ok: true, output })) throw taskTimedOut();
    return {};
  }

  sendTaskFailure(req: { taskToken?: string; error?: string; cause?: string }) {
    const { ex, task } = this.openTask(req.taskToken);
    const result: TaskResult = { ok: false };
    if (req.error !== undefined) result.error = req.error;
    if (req.cause !== undefined) result.cause = req.cause;
    if (!this.completeTask(ex, task, result)) throw taskTimedOut();
    return {};
  }

  sendTaskHeartbeat(req: { taskToken?: string }) {
    const { ex, task } = this.openTask(req.taskToken);
    const at = Date.now();
    this.append({ t: 'hb', ex: ex.arn, key: task.key, at });
    task.lastHeartbeatAt = at;
    if (task.waiter) this.armTimers(ex, task);
    return {};
  }

  /** What the service runs with, for the start banner and `GET /`. */
  info() {
    return {
      service: 'motcua local workflow service',
      timeScale: this.timeScale,
      region: this.region,
      durable: Boolean(this.journal),
      stateMachines: this.machines.size,
      executions: {
        running: [...this.executions.values()].filter((ex) => ex.status === 'RUNNING').length,
        total: this.executions.size,
      },
    };
  }

  // ---- internals: definitions ------------------------------------------------------------------------------

  private hashOf(definition: string): string {
    try {
      return sha(stableStringify(JSON.parse(definition)));
    } catch {
      return sha(definition);
    }
  }

  /** Validates and prepares a definition once (building a StateMachine is slow, trap 7). */
  private compile(hash: string, definition = this.definitions.get(hash)): string {
    if (this.compiled.has(hash)) return hash;
    if (definition === undefined) throw new SfnError('InternalFailure', `definition ${hash} is unknown`);
    const parsed = parseDefinition(definition);
    try {
      new StateMachine(parsed as never); // validation only
    } catch (error) {
      throw new SfnError(
        'InvalidDefinition',
        `Invalid State Machine Definition: '${(error as Error).message}'`,
      );
    }
    const prepared = prepareDefinition(parsed, {
      ...(this.options.allowMapMaxConcurrency ? { allowMapMaxConcurrency: true } : {}),
    });
    const machine = new StateMachine(prepared.runnable, { validationOptions: { noValidate: true } });
    this.compiled.set(hash, { prepared, machine });
    this.definitions.set(hash, definition);
    return hash;
  }

  private saveMachine(
    arn: string,
    name: string,
    definition: string,
    hash: string,
    roleArn?: string,
  ): Machine {
    const at = Date.now();
    const created = this.machines.get(arn)?.created ?? at;
    const role = roleArn ?? `arn:aws:iam::${this.accountId}:role/local-workflow`;
    this.append({ t: 'sm', arn, name, roleArn: role, definition, hash, at, created });
    const machine: Machine = { arn, name, roleArn: role, definition, hash, created, updated: at };
    this.machines.set(arn, machine);
    return machine;
  }

  private machine(arn: string | undefined): Machine {
    if (
      typeof arn !== 'string' ||
      !/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/.test(arn)
    ) {
      throw new SfnError('InvalidArn', `Invalid Arn: '${arn}'`);
    }
    const machine = this.machines.get(arn);
    if (!machine) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  private execution(arn: string | undefined): Execution {
    if (
      typeof arn !== 'string' ||
      !/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/.test(arn)
    ) {
      throw new SfnError('InvalidArn', `Invalid Arn: '${arn}'`);
    }
    const ex = this.executions.get(arn);
    if (!ex) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return ex;
  }

  private validName(name: unknown, field: string): string {
    if (typeof name !== 'string' || !isValidName(name)) {
      throw new SfnError('InvalidName', `Invalid Name: '${String(name)}' (${field})`);
    }
    return name;
  }

  private paginate<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined) {
    let offset = 0;
    if (nextToken !== undefined) {
      const parsed = Number(Buffer.from(nextToken, 'base64url').toString('utf8').replace(/^o:/, ''));
      if (!Number.isInteger(parsed) || parsed < 0)
        throw new SfnError('InvalidToken', `Invalid Token: '${nextToken}'`);
      offset = parsed;
    }
    const size = Math.min(Math.max(maxResults || 100, 1), 1000);
    const page = items.slice(offset, offset + size);
    const next =
      offset + size < items.length ? Buffer.from(`o:${offset + size}`).toString('base64url') : undefined;
    return { page, nextToken: next };
  }

  private append(record: JournalRecord) {
    if (this.closing) throw new SfnError('InternalFailure', 'The workflow service is shutting down');
    this.journal?.append(record);
  }

  // ---- internals: replay -----------------------------------------------------------------------------------

  private load(record: JournalRecord) {
    switch (record.t) {
      case 'sm':
        this.definitions.set(record.hash, record.definition);
        this.machines.set(record.arn, {
          arn: record.arn,
          name: record.name,
          roleArn: record.roleArn,
          definition: record.definition,
          hash: record.hash,
          created: record.created,
          updated: record.at,
        });
        return;
      case 'start':
        this.newExecution(record);
        return;
      case 'end': {
        const ex = this.executions.get(record.ex);
        if (!ex) return;
        ex.status = record.status as Status;
        ex.stoppedAt = record.at;
        if (record.output !== undefined) ex.output = record.output;
        if (record.error !== undefined) ex.error = record.error;
        if (record.cause !== undefined) ex.cause = record.cause;
        ex.history = record.history as WireEvent[];
        return;
      }
      default:
        break;
    }
    const ex = this.executions.get(record.ex);
    if (!ex) return;
    const task = ex.tasks.get(record.key) ?? this.newTask(ex, record.key, record.at);
    switch (record.t) {
      case 'sched':
        task.token = record.token;
        task.scheduledAt = record.at;
        task.timeoutAt = record.timeoutAt;
        task.timeoutSeconds = record.timeoutSeconds;
        if (record.heartbeatSeconds !== undefined) task.heartbeatSeconds = record.heartbeatSeconds;
        task.lastHeartbeatAt = record.at;
        task.params = record.params;
        this.tokens.set(record.token, { ex, task });
        break;
      case 'invoked':
        task.invoked = true;
        break;
      case 'wait':
        task.until = record.until;
        break;
      case 'hb':
        task.lastHeartbeatAt = record.at;
        break;
      case 'result': {
        const result: TaskResult = { ok: record.ok };
        if (record.output !== undefined) result.output = record.output;
        if (record.error !== undefined) result.error = record.error;
        if (record.cause !== undefined) result.cause = record.cause;
        if (record.timeout) result.timeout = true;
        task.result = result;
        task.replayed = true;
        break;
      }
    }
  }

  private newExecution(rec: {
    arn: string;
    name: string;
    sm: string;
    input: string;
    hash: string;
    at: number;
  }) {
    const machine = this.machines.get(rec.sm);
    const smName = rec.sm.split(':').pop()!;
    const ex: Execution = {
      arn: rec.arn,
      name: rec.name,
      smArn: rec.sm,
      smName,
      roleArn: machine?.roleArn ?? '',
      hash: rec.hash,
      input: rec.input,
      startedAt: rec.at,
      status: 'RUNNING',
      history: [],
      tasks: new Map(),
      occurrences: new Map(),
      replayedFailure: new Map(),
    };
    this.executions.set(ex.arn, ex);
    return ex;
  }

  private newTask(ex: Execution, key: string, at: number): TaskRec {
    const task: TaskRec = {
      key,
      stateName: key.split('|')[0]!,
      scheduledAt: at,
      timeoutAt: Number.POSITIVE_INFINITY,
      lastHeartbeatAt: at,
      invoked: false,
      replayed: false,
    };
    ex.tasks.set(key, task);
    return task;
  }

  // ---- internals: running ----------------------------------------------------------------------------------

  private isLive(ex: Execution) {
    return !this.closing && ex.status === 'RUNNING';
  }

  private scaledMs(seconds: number) {
    return (seconds * 1000) / this.timeScale;
  }

  /**
   * Runs (or, after a restart, re-runs from the start) an execution. Task results already in the journal are
   * handed back as recorded, so a deterministic definition walks the same path to where it stopped.
   */
  private launch(ex: Execution) {
    const compiled = this.compiled.get(ex.hash)!;
    const input = JSON.parse(ex.input);
    this.emit(ex, 'ExecutionStarted', ex.startedAt, {
      executionStartedEventDetails: {
        input: ex.input,
        inputDetails: { truncated: false },
        roleArn: ex.roleArn,
      },
    });
    const handlers: Record<string, (input: unknown) => Promise<never>> = {};
    for (const spec of compiled.prepared.tasks.values()) {
      handlers[spec.stateName] = (taskInput) => this.runTask(ex, spec, taskInput) as Promise<never>;
    }
    const retryIntervalOverrides = new Proxy(
      {},
      {
        get: (_target, stateName) =>
          typeof stateName === 'string' ? this.retryPauses(ex, compiled, stateName) : undefined,
      },
    );
    const run = compiled.machine.run(input, {
      context: {
        Execution: { Id: ex.arn, Name: ex.name, RoleArn: ex.roleArn },
        StateMachine: { Id: ex.smArn, Name: ex.smName },
        Task: { Token: TOKEN_PLACEHOLDER },
        Local: { ExecutionInput: input, ExecutionStartTime: new Date(ex.startedAt).toISOString() },
      },
      overrides: {
        taskResourceLocalHandlers: handlers as never,
        retryIntervalOverrides: retryIntervalOverrides as never,
      },
    });
    ex.abort = run.abort;
    const consumed = (async () => {
      for await (const event of run.eventLogs) this.onEvent(ex, compiled, event as unknown as LibraryEvent);
    })();
    const timeout = compiled.prepared.executionTimeoutSeconds;
    if (timeout !== undefined) {
      ex.cancelTimeout = sleepUntil(ex.startedAt + this.scaledMs(timeout), () =>
        this.finish(ex, 'TIMED_OUT', { error: 'States.Timeout', cause: 'The execution timed out.' }),
      );
    }
    const settled = () => Promise.race([consumed, new Promise((resolve) => setTimeout(resolve, 1000))]);
    run.result.then(
      async (output) => {
        await settled();
        this.finish(ex, 'SUCCEEDED', { output: JSON.stringify(output ?? null) });
      },
      async (error: unknown) => {
        await settled();
        if (error instanceof ExecutionError) {
          const cause = error.cause as Error;
          this.finish(ex, 'FAILED', { error: cause.name, cause: cause.message });
        } else if (!(error instanceof Error && error.name === 'ExecutionAbortedError')) {
          this.finish(ex, 'FAILED', { error: 'States.Runtime', cause: String(error) });
        }
      },
    );
  }

  private retryPauses(ex: Execution, compiled: Compiled, stateName: string): number | number[] | undefined {
    // A failure handed back from the journal was already paused for in the first run.
    if (ex.replayedFailure.get(stateName)) return 0;
    if (this.timeScale === 1) return undefined;
    const retriers = compiled.prepared.retriers.get(stateName) ?? [];
    return retriers.map((r) => this.scaledMs(r.IntervalSeconds ?? 1));
  }

  private finish(ex: Execution, status: Exclude<Status, 'RUNNING'>, details: Omit<TaskResult, 'ok'>) {
    if (!this.isLive(ex)) return;
    ex.status = status;
    ex.stoppedAt = Date.now();
    if (details.output !== undefined) ex.output = details.output;
    if (details.error !== undefined) ex.error = details.error;
    if (details.cause !== undefined) ex.cause = details.cause;
    ex.cancelTimeout?.();
    for (const task of ex.tasks.values()) {
      task.cancelTimer?.();
      task.waiter = undefined;
    }
    const errorDetails = {
      ...(details.error !== undefined ? { error: details.error } : {}),
      ...(details.cause !== undefined ? { cause: details.cause } : {}),
    };
    const events = {
      SUCCEEDED: [
        'ExecutionSucceeded',
        { executionSucceededEventDetails: { output: details.output, outputDetails: { truncated: false } } },
      ],
      FAILED: ['ExecutionFailed', { executionFailedEventDetails: errorDetails }],
      ABORTED: ['ExecutionAborted', { executionAbortedEventDetails: errorDetails }],
      TIMED_OUT: ['ExecutionTimedOut', { executionTimedOutEventDetails: errorDetails }],
    } as const;
    const [type, eventDetails] = events[status];
    this.emit(ex, type, ex.stoppedAt, eventDetails);
    try {
      this.journal?.append({
        t: 'end',
        ex: ex.arn,
        at: ex.stoppedAt,
        status,
        ...details,
        history: ex.history,
      });
    } catch (error) {
      this.log('workflow.journal-failed', { executionArn: ex.arn, error: String(error) });
    }
    if (status === 'ABORTED' || status === 'TIMED_OUT') ex.abort?.();
    this.log('workflow.execution-ended', { executionArn: ex.arn, status });
  }

  private taskKey(ex: Execution, stateName: string, input: unknown) {
    // Same state, same input, n-th time: stable across a replay even when parallel iterations settle in another order.
    const base = `${stateName}|${sha(stableStringify(input)).slice(0, 24)}`;
    const n = ex.occurrences.get(base) ?? 0;
    ex.occurrences.set(base, n + 1);
    return `${base}|${n}`;
  }

  private async runTask(ex: Execution, spec: TaskSpec, rawInput: unknown): Promise<unknown> {
    // Let the interpreter's StateEntered event for this state land in the history first.
    await new Promise((resolve) => setImmediate(resolve));
    if (!this.isLive(ex)) return NEVER;
    const key = this.taskKey(ex, spec.stateName, rawInput);
    const fields = (rawInput ?? {}) as Record<string, unknown>;
    const params = spec.wrapsInput
      ? fields[HIDDEN.input]
      : Object.fromEntries(
          Object.entries(fields).filter(([k]) => !Object.values(HIDDEN).includes(k as never)),
        );
    if (spec.kind === 'wait') return this.runWait(ex, spec, key, params, fields);
    const timeoutSeconds = spec.timeoutSeconds ?? seconds(fields[HIDDEN.timeout], 'TimeoutSecondsPath', spec);
    const heartbeatSeconds =
      spec.heartbeatSeconds ?? seconds(fields[HIDDEN.heartbeat], 'HeartbeatSecondsPath', spec);
    const timing = { timeoutSeconds: timeoutSeconds ?? AWS_DEFAULT_TASK_TIMEOUT_SECONDS, heartbeatSeconds };
    switch (spec.kind) {
      case 'lambda-invoke':
      case 'lambda-function':
        return this.runInvoke(ex, spec, key, params, timing);
      case 'lambda-callback':
        return this.runCallback(ex, spec, key, params as Record<string, unknown>, timing);
      default:
        throw runtimeError(`The local workflow service does not run the resource ${spec.resource}`);
    }
  }

  private async runWait(
    ex: Execution,
    spec: TaskSpec,
    key: string,
    input: unknown,
    fields: Record<string, unknown>,
  ): Promise<unknown> {
    let task = ex.tasks.get(key);
    if (task?.until === undefined) {
      const now = Date.now();
      let until = now;
      if (fields[HIDDEN.waitSeconds] !== undefined) {
        const secs = fields[HIDDEN.waitSeconds];
        if (typeof secs !== 'number' || secs < 0)
          throw runtimeError(`${spec.stateName}: invalid Wait seconds`);
        until = now + this.scaledMs(secs);
      } else {
        const at = Date.parse(String(fields[HIDDEN.waitUntil]));
        if (Number.isNaN(at)) throw runtimeError(`${spec.stateName}: invalid Wait timestamp`);
        until = now + Math.max(0, at - now) / this.timeScale;
      }
      task ??= this.newTask(ex, key, now);
      task.until = until;
      this.append({ t: 'wait', ex: ex.arn, key, at: now, until });
    }
    const until = task.until!;
    await new Promise<void>((resolve) => {
      task.cancelTimer = sleepUntil(until, resolve);
    });
    if (!this.isLive(ex)) return NEVER;
    return input;
  }

  private emitScheduled(ex: Execution, task: TaskRec, spec: TaskSpec, params: string) {
    const [resourceType, resource] = resourceParts(spec.resource);
    this.emit(ex, 'TaskScheduled', task.scheduledAt, {
      taskScheduledEventDetails: {
        resourceType,
        resource,
        region: this.region,
        parameters: params,
        ...(task.timeoutSeconds !== undefined ? { timeoutInSeconds: task.timeoutSeconds } : {}),
        ...(task.heartbeatSeconds !== undefined ? { heartbeatInSeconds: task.heartbeatSeconds } : {}),
      },
    });
    this.emit(ex, 'TaskStarted', task.scheduledAt, { taskStartedEventDetails: { resourceType, resource } });
  }

  private async runInvoke(
    ex: Execution,
    spec: TaskSpec,
    key: string,
    params: unknown,
    timing: { timeoutSeconds: number; heartbeatSeconds: number | undefined },
  ): Promise<unknown> {
    let task = ex.tasks.get(key);
    const fresh = !task;
    task ??= this.newTask(ex, key, Date.now());
    task.resource = spec.resource;
    task.timeoutSeconds = timing.timeoutSeconds;
    if (fresh) task.timeoutAt = task.scheduledAt + this.scaledMs(timing.timeoutSeconds);
    this.emitScheduled(ex, task, spec, JSON.stringify(params ?? null));
    if (!task.result) {
      const fields = (params ?? {}) as Record<string, unknown>;
      const qualified = spec.kind === 'lambda-invoke' ? String(fields.FunctionName) : spec.resource;
      const payload = spec.kind === 'lambda-invoke' ? (fields.Payload ?? {}) : params;
      const current = task;
      this.invoke(ex, spec, qualified, payload, 'RequestResponse').then(
        (out) => {
          const value =
            spec.kind === 'lambda-invoke'
              ? { ExecutedVersion: '$LATEST', Payload: out, StatusCode: 200 }
              : out;
          this.completeQuietly(ex, current, { ok: true, output: JSON.stringify(value ?? null) });
        },
        (error) => this.completeQuietly(ex, current, lambdaFailure(error)),
      );
    }
    return this.waitFor(ex, task);
  }

  private async runCallback(
    ex: Execution,
    spec: TaskSpec,
    key: string,
    params: Record<string, unknown>,
    timing: { timeoutSeconds: number; heartbeatSeconds: number | undefined },
  ): Promise<unknown> {
    let task = ex.tasks.get(key);
    if (!task?.token) {
      const token = `AQ${randomBytes(96).toString('base64url')}`;
      const at = Date.now();
      const resolved = JSON.stringify(replaceToken(params, token));
      // The token leaves the service only after the journal holds it, so a held token survives a crash.
      this.append({
        t: 'sched',
        ex: ex.arn,
        key,
        token,
        at,
        timeoutAt: at + this.scaledMs(timing.timeoutSeconds),
        timeoutSeconds: timing.timeoutSeconds,
        ...(timing.heartbeatSeconds !== undefined ? { heartbeatSeconds: timing.heartbeatSeconds } : {}),
        params: resolved,
      });
      task ??= this.newTask(ex, key, at);
      Object.assign(task, {
        token,
        scheduledAt: at,
        lastHeartbeatAt: at,
        timeoutAt: at + this.scaledMs(timing.timeoutSeconds),
        timeoutSeconds: timing.timeoutSeconds,
        params: resolved,
      });
      if (timing.heartbeatSeconds !== undefined) task.heartbeatSeconds = timing.heartbeatSeconds;
      this.tokens.set(token, { ex, task });
    }
    task.resource = spec.resource;
    this.emitScheduled(ex, task, spec, task.params!);
    const [resourceType, resource] = resourceParts(spec.resource);
    if (task.invoked) {
      this.emit(ex, 'TaskSubmitted', task.scheduledAt, {
        taskSubmittedEventDetails: { resourceType, resource },
      });
    } else if (!task.result) {
      // Not yet known to have reached the function (a fresh task, or a crash before the invoke returned).
      const resolved = JSON.parse(task.params!) as Record<string, unknown>;
      const current = task;
      this.invoke(ex, spec, String(resolved.FunctionName), resolved.Payload ?? {}, 'Event').then(
        () => {
          if (!this.isLive(ex) || current.result) return;
          current.invoked = true;
          try {
            this.append({ t: 'invoked', ex: ex.arn, key, at: Date.now() });
          } catch {
            return;
          }
          this.emit(ex, 'TaskSubmitted', Date.now(), {
            taskSubmittedEventDetails: { resourceType, resource },
          });
        },
        (error) => this.completeQuietly(ex, current, lambdaFailure(error)),
      );
    }
    return this.waitFor(ex, task);
  }

  private invoke(
    ex: Execution,
    spec: TaskSpec,
    qualified: string,
    payload: unknown,
    invocationType: InvokeInfo['invocationType'],
  ): Promise<unknown> {
    const invoker = this.options.invoker ?? (async () => null);
    const info: InvokeInfo = {
      qualifiedName: qualified,
      invocationType,
      executionArn: ex.arn,
      stateName: spec.stateName,
    };
    try {
      return Promise.resolve(invoker(functionNameOf(qualified), payload, info));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private waitFor(ex: Execution, task: TaskRec): Promise<unknown> {
    if (task.result) return this.deliver(ex, task);
    return new Promise((resolve, reject) => {
      task.waiter = { resolve, reject };
      this.armTimers(ex, task);
    });
  }

  private armTimers(ex: Execution, task: TaskRec) {
    task.cancelTimer?.();
    const heartbeatAt =
      task.heartbeatSeconds !== undefined
        ? task.lastHeartbeatAt + this.scaledMs(task.heartbeatSeconds)
        : Number.POSITIVE_INFINITY;
    const at = Math.min(task.timeoutAt, heartbeatAt);
    if (!Number.isFinite(at)) return;
    task.cancelTimer = sleepUntil(at, () => {
      const heartbeat = heartbeatAt <= task.timeoutAt;
      this.completeQuietly(ex, task, {
        ok: false,
        timeout: true,
        error: heartbeat ? 'States.HeartbeatTimeout' : 'States.Timeout',
        cause: heartbeat ? 'The task sent no heartbeat in time.' : 'The task timed out.',
      });
    });
  }

  /** Records a task's result and hands it to the waiting run; false if the task was already closed. */
  private completeTask(ex: Execution, task: TaskRec, result: TaskResult): boolean {
    if (task.result || !this.isLive(ex)) return false;
    this.append({ t: 'result', ex: ex.arn, key: task.key, at: Date.now(), ...result });
    task.result = result;
    task.cancelTimer?.();
    const waiter = task.waiter;
    task.waiter = undefined;
    if (waiter) this.deliver(ex, task).then(waiter.resolve, waiter.reject);
    return true;
  }

  private completeQuietly(ex: Execution, task: TaskRec, result: TaskResult) {
    try {
      this.completeTask(ex, task, result);
    } catch (error) {
      this.log('workflow.journal-failed', { executionArn: ex.arn, error: String(error) });
    }
  }

  private async deliver(ex: Execution, task: TaskRec): Promise<unknown> {
    const result = task.result!;
    const [resourceType, resource] = resourceParts(task.resource ?? '');
    ex.replayedFailure.set(task.stateName, task.replayed && !result.ok);
    if (result.ok) {
      this.emit(ex, 'TaskSucceeded', Date.now(), {
        taskSucceededEventDetails: {
          resourceType,
          resource,
          output: result.output,
          outputDetails: { truncated: false },
        },
      });
      return JSON.parse(result.output ?? 'null');
    }
    const details = {
      resourceType,
      resource,
      ...(result.error !== undefined ? { error: result.error } : {}),
      ...(result.cause !== undefined ? { cause: result.cause } : {}),
    };
    if (result.timeout) {
      this.emit(ex, 'TaskTimedOut', Date.now(), { taskTimedOutEventDetails: details });
      // An instance of the interpreter's own timeout class: States.TaskFailed does not match it (trap 8).
      const error = new this.TimeoutError!();
      error.name = result.error ?? 'States.Timeout';
      error.message = result.cause ?? '';
      throw error;
    }
    this.emit(ex, 'TaskFailed', Date.now(), { taskFailedEventDetails: details });
    const error = new Error(result.cause ?? '');
    error.name = result.error ?? '';
    throw error;
  }

  private openTask(token: string | undefined): { ex: Execution; task: TaskRec } {
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) {
      throw new SfnError('InvalidToken', "Invalid Token: 'Invalid token'");
    }
    const found = this.tokens.get(token);
    if (!found) throw new SfnError('TaskDoesNotExist', "Task Does Not Exist: 'Provided task does not exist'");
    if (found.task.result || found.ex.status !== 'RUNNING') throw taskTimedOut();
    return found;
  }

  // ---- internals: history ----------------------------------------------------------------------------------

  private emit(ex: Execution, type: string, at: number, details: Record<string, unknown>) {
    const id = ex.history.length + 1;
    ex.history.push({ timestamp: at / 1000, type, id, previousEventId: id - 1, ...details });
  }

  private onEvent(ex: Execution, compiled: Compiled, event: LibraryEvent) {
    if (!this.isLive(ex)) return;
    const state = event.state;
    const stateType = state
      ? compiled.prepared.waitStates.has(state.name)
        ? 'Wait'
        : state.type
      : undefined;
    switch (event.type) {
      case 'StateEntered':
        this.emit(ex, `${stateType}StateEntered`, event.timestamp, {
          stateEnteredEventDetails: {
            name: state!.name,
            input: JSON.stringify(state!.input ?? null),
            inputDetails: { truncated: false },
          },
        });
        return;
      case 'StateExited':
        this.emit(ex, `${stateType}StateExited`, event.timestamp, {
          stateExitedEventDetails: {
            name: state!.name,
            output: JSON.stringify(state!.output ?? null),
            outputDetails: { truncated: false },
          },
        });
        return;
      case 'StateFailed':
        if (stateType === 'Map' || stateType === 'Parallel')
          this.emit(ex, `${stateType}StateFailed`, event.timestamp, {});
        return;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const key = `${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails`;
        this.emit(ex, event.type, event.timestamp, {
          [key]: { name: event.parentState?.name, index: event.index },
        });
        return;
      }
      default:
        return;
    }
  }
}

interface LibraryEvent {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  parentState?: { name: string };
  index?: number;
}

function seconds(value: unknown, field: string, spec: TaskSpec): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw runtimeError(
      `${spec.stateName}: ${field} must point to a positive integer, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function resourceParts(resource: string): [string, string] {
  const service = /^arn:aws[a-z-]*:states:::([^:]+):(.+)$/.exec(resource);
  if (service) return [service[1]!, service[2]!];
  if (resource.includes(':lambda:')) return ['lambda', resource];
  return ['local', resource];
}

function taskTimedOut() {
  return new SfnError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
}

function stripExecutionData(event: WireEvent): WireEvent {
  const copy: WireEvent = { ...event };
  for (const [key, value] of Object.entries(copy)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object') {
      const { input: _input, output: _output, ...rest } = value as Record<string, unknown>;
      copy[key] = rest;
    }
  }
  return copy;
}
