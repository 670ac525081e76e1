// The one Lambda construct every stack uses, for the four kinds of function (HTTP route, stream consumer, workflow
// task, schedule): runtime, bundling, tracing, logs, limits, environment, least-privilege grants and the trigger.
import { copyFileSync, existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import {
  AssetHashType,
  type BundlingOptions,
  DockerImage,
  Duration,
  type ILocalBundling,
  type RemovalPolicy,
  Validations,
} from 'aws-cdk-lib';
import { Rule, type Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  EventSourceMapping,
  FilterCriteria,
  Function as LambdaFn,
  Runtime,
  StartingPosition,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { bundleFile, lambdaNodeOptions, repoRoot } from '../bundling';
import { functionBundleSync } from '../function-bundles';
import { acknowledgeRules, acknowledgeWildcardResource } from '../nag';
import {
  type AnyResource,
  type BucketGrant,
  type BucketResource,
  bucketGrant,
  type GrantStatements,
  type QueueGrant,
  type QueueResource,
  queueGrant,
  type SecretGrant,
  type SecretResource,
  type StateMachineGrants,
  type StateMachineResource,
  type StreamResource,
  secretGrant,
  stateMachineGrant,
  streamGrant,
  type TableGrant,
  type TableResource,
  tableGrant,
} from './grants';

export type FunctionKind = 'http' | 'stream-consumer' | 'workflow-task' | 'schedule';

export interface MotcuaFunctionProps {
  kind: FunctionKind;
  /**
   * Physical name. Stacks set it (`motcua-<env>-<id>`) so monitoring and runbooks address a function by a name that
   * never changes, with no cross-stack reference to break when a function is added or removed.
   */
  functionName: string;
  /** Handler module, relative to the repository root (as in the route table) or absolute; exports `handler`. */
  entry: string;
  description?: string;
  memoryMb: number;
  timeoutSeconds: number;
  logRetention: RetentionDays;
  /** What happens to the log group when the stack lets go of it. */
  removalPolicy: RemovalPolicy;
  environment?: Record<string, string>;
  /** When a `schedule` function runs (EventBridge rule). */
  schedule?: Schedule;
}

/** How a stream consumer reads its stream: the event source mapping's settings. */
export interface ConsumeOptions {
  /** Lambda filter pattern (shared/events/filter.ts): only matching records reach the function. */
  filter: Record<string, unknown>;
  batchSize: number;
  maxRetries: number;
  bisectOnError: boolean;
  /** Older records go to the dead-letter queue instead of being retried. */
  maxRecordAge: Duration;
  /** Physical name of the dead-letter queue, so alarms address it without a cross-stack reference. */
  deadLetterQueueName: string;
}

/** Lambda's limits for these settings, checked here so a wrong value names the function at synth. */
const streamLimits = { batchSize: [1, 10_000], maxRetries: [0, 10_000] } as const;

const envVarName = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Lambda refuses these keys; catching them here names the construct instead of failing the deploy.
const reservedEnvVars = /^(AWS_|_HANDLER$|_X_AMZN_TRACE_ID$|LAMBDA_TASK_ROOT$|LAMBDA_RUNTIME_DIR$|TZ$)/;

/**
 * CDK's local bundling step for one function: the shared function bundle (infra/function-bundles.ts, its inputs
 * checked by content), copied into the asset. The instance's `entry` is part of the options CDK keys its asset
 * cache on, so two functions never share an asset by mistake, and the asset's hash is its output's.
 */
class SharedBundle implements ILocalBundling {
  constructor(readonly entry: string) {}

  tryBundle(outputDir: string): boolean {
    const dir = functionBundleSync(join(repoRoot, this.entry));
    for (const file of [bundleFile, `${bundleFile}.map`])
      copyFileSync(join(dir, file), join(outputDir, file));
    return true;
  }
}

function bundledCode(entry: string): Code {
  const bundling: BundlingOptions = {
    local: new SharedBundle(relative(repoRoot, entry)),
    // Required by the type and never used: the local step above always bundles, and no Docker is needed.
    image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-alpine'),
  };
  return Code.fromAsset(repoRoot, { assetHashType: AssetHashType.OUTPUT, bundling });
}

export class MotcuaFunction extends Construct {
  readonly kind: FunctionKind;
  readonly function: LambdaFn;
  readonly logGroup: LogGroup;
  readonly role: Role;
  /** The physical name (what monitoring and runbooks address). */
  readonly functionName: string;
  /** A stream consumer's event source mapping, once `consume` ran. */
  eventSource?: EventSourceMapping;
  /** A stream consumer's dead-letter queue (once `consume` ran), or a schedule's (from the start). */
  deadLetterQueue?: Queue;
  /** The dead-letter queue's physical name, a plain string (what the monitoring stack addresses). */
  deadLetterQueueName?: string;
  private readonly uses = new Map<string, unknown>();
  private dataPolicy?: Policy;

  constructor(scope: Construct, id: string, props: MotcuaFunctionProps) {
    super(scope, id);
    const entry = isAbsolute(props.entry) ? props.entry : join(repoRoot, props.entry);
    validateProps(id, entry, props);
    this.kind = props.kind;
    this.functionName = props.functionName;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    // An own role instead of the AWS-managed basic execution policy: it may write only to its own log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${relative(repoRoot, entry)}`,
    });
    this.logGroup.grantWrite(this.role);

    // A scheduled run is an asynchronous invocation: what EventBridge cannot deliver, and a run that still fails after
    // Lambda's two retries, land in one queue (the scheduled event only; the next run starts on time regardless).
    const scheduleDeadLetters =
      props.kind === 'schedule' ? this.deadLetters(`${props.functionName}-dlq`) : undefined;

    this.function = new LambdaFn(this, 'Function', {
      code: bundledCode(entry),
      handler: `${bundleFile.replace(/\.c?js$/, '')}.handler`,
      functionName: props.functionName,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      role: this.role,
      ...(props.description ? { description: props.description } : {}),
      // One run at a time: overlapping runs of a batch job would walk the same items (and ask a provider twice).
      ...(scheduleDeadLetters
        ? { deadLetterQueue: scheduleDeadLetters, reservedConcurrentExecutions: 1 }
        : {}),
      environment: {
        ...(lambdaNodeOptions.length ? { NODE_OPTIONS: lambdaNodeOptions.join(' ') } : {}),
        ...props.environment,
      },
    });

    // Tracing adds xray:PutTraceSegments/PutTelemetryRecords on "*" to the role's default policy.
    const defaultPolicy = this.role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy) {
      Validations.of(defaultPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions',
      });
    }

    if (props.kind === 'schedule' && props.schedule) {
      new Rule(this, 'Schedule', {
        description: `Runs ${relative(repoRoot, entry)}`,
        schedule: props.schedule,
        targets: [
          new LambdaFunction(this.function, {
            retryAttempts: 2,
            ...(scheduleDeadLetters ? { deadLetterQueue: scheduleDeadLetters } : {}),
          }),
        ],
      });
    }
    acknowledgeFunctionRules(this, props.kind);
  }

  /** Sets one environment variable; refuses names Lambda reserves. */
  setEnv(name: string, value: string): this {
    assertEnvName(this.node.path, name);
    this.function.addEnvironment(name, value);
    return this;
  }

  /**
   * Grants least-privilege access to one resource and sets the environment variable its declaration names, in one
   * call, so a function never has a grant without the name or the reverse. Each resource is declared once.
   */
  use(resource: TableResource, grant: TableGrant): this;
  use(resource: BucketResource, grant: BucketGrant): this;
  use(resource: StreamResource, grant: 'read'): this;
  use(resource: QueueResource, grant: QueueGrant): this;
  use(resource: StateMachineResource, grant: StateMachineGrants): this;
  use(resource: SecretResource, grant: SecretGrant): this;
  use(resource: AnyResource, grant: unknown): this {
    const id = resource.kind === 'table' || resource.kind === 'bucket' ? resource.definition.id : resource.id;
    const key = `${resource.kind}:${id}`;
    if (this.uses.has(key)) {
      throw new Error(
        `${this.node.path} already uses ${id} (${describe(this.uses.get(key))}); declare each resource once`,
      );
    }
    const path = this.node.path;
    let granted: GrantStatements;
    switch (resource.kind) {
      case 'table':
        granted = tableGrant(resource, grant as TableGrant, this, path);
        break;
      case 'bucket':
        granted = bucketGrant(resource, grant as BucketGrant, this, path);
        break;
      case 'stream':
        if (grant !== 'read') throw new Error(`${path}: a stream can only be read`);
        granted = streamGrant(resource, this, path);
        break;
      case 'queue':
        if (grant !== 'send' && grant !== 'consume') throw new Error(`${path}: ${id}: "send" or "consume"`);
        granted = queueGrant(resource, grant, this);
        break;
      case 'state-machine':
        if (
          !(typeof grant === 'string' ? [grant] : (grant as unknown[])).every(
            (g) => g === 'start' || g === 'callback',
          )
        )
          throw new Error(`${path}: ${id}: "start" or "callback"`);
        granted = stateMachineGrant(resource, grant as StateMachineGrants);
        break;
      case 'secret':
        if (grant !== 'read') throw new Error(`${path}: a secret can only be read`);
        granted = secretGrant(resource, grant, this);
        break;
    }
    this.uses.set(key, grant);
    const policy = this.ensureDataPolicy();
    policy.addStatements(...granted.statements);
    for (const wildcard of granted.wildcards)
      acknowledgeWildcardResource(policy, wildcard.resource, wildcard.reason);
    this.function.addEnvironment(...granted.env);
    return this;
  }

  /**
   * Makes this stream consumer read `stream`: an event source mapping with the filter, partial batch responses,
   * bisection, bounded retries and record age, and a dead-letter queue for what still fails. The stream grant (on
   * that stream only) comes with it.
   */
  consume(stream: StreamResource, options: ConsumeOptions): EventSourceMapping {
    const path = this.node.path;
    if (this.kind !== 'stream-consumer') throw new Error(`${path}: only a stream-consumer function consumes`);
    if (this.eventSource) throw new Error(`${path} already consumes a stream`);
    for (const [name, [min, max]] of Object.entries(streamLimits)) {
      const value = options[name as keyof typeof streamLimits];
      if (!Number.isInteger(value) || value < min || value > max) {
        throw new Error(`${path}: ${name} must be an integer from ${min} to ${max}, got ${value}`);
      }
    }
    this.use(stream, 'read');

    // Only the batch's shard and sequence range land here (not the records): replay them from the stream while it
    // still holds them (24 h after they were written).
    const queue = this.deadLetters(options.deadLetterQueueName);
    const policy = this.ensureDataPolicy();
    policy.addStatements(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
      }),
    );

    const streamArn = stream.table.table.tableStreamArn as string;
    this.eventSource = new EventSourceMapping(this, 'Events', {
      target: this.function,
      eventSourceArn: streamArn,
      // From the oldest record: events written before the mapping existed still reach it; marks make repeats harmless.
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: options.batchSize,
      bisectBatchOnError: options.bisectOnError,
      retryAttempts: options.maxRetries,
      maxRecordAge: options.maxRecordAge,
      reportBatchItemFailures: true,
      // One batch at a time per shard keeps a dossier's events in order.
      parallelizationFactor: 1,
      filters: [FilterCriteria.filter(options.filter)],
      // The grant is ours (sqs:SendMessage above), not the one SqsDlq would add to the default policy.
      onFailure: { bind: () => ({ destination: queue.queueArn }) },
    });
    // Lambda checks the role can read the stream when the mapping is created.
    this.eventSource.node.addDependency(policy);
    return this.eventSource;
  }

  /** The resources this function was granted (`<kind>:<id>` → grant), for tests and the monitoring stack. */
  get resources(): ReadonlyMap<string, unknown> {
    return this.uses;
  }

  /** The function's dead-letter queue: encrypted, TLS-only, 14 days to look at what failed. */
  private deadLetters(queueName: string): Queue {
    const queue = new Queue(this, 'DeadLetters', {
      queueName,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeRules(
      queue,
      ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy'],
      `This queue is itself the dead-letter destination of ${this.kind === 'schedule' ? 'a scheduled function' : 'a stream event source mapping'}; what lands here waits for an operator (docs/runbook.md)`,
    );
    this.deadLetterQueue = queue;
    this.deadLetterQueueName = queueName;
    return queue;
  }

  private ensureDataPolicy(): Policy {
    // A policy of its own keeps grants apart from the X-Ray statement acknowledged on the default policy.
    if (!this.dataPolicy) {
      this.dataPolicy = new Policy(this, 'DataAccess', { roles: [this.role] });
      // Without this the function could be created, and called, before its grants exist.
      this.function.node.addDependency(this.dataPolicy);
    }
    return this.dataPolicy;
  }
}

/** Why a function of each kind has no Lambda dead-letter queue: nothing invokes it asynchronously. */
const noLambdaDlqReason: Record<Exclude<FunctionKind, 'schedule'>, string> = {
  http: 'API Gateway invokes it synchronously and answers the caller with the failure; a Lambda DLQ only catches asynchronous invocations',
  'stream-consumer':
    'Its event source mapping invokes it synchronously; what still fails after the retries goes to the mapping’s on-failure destination (its DeadLetters queue)',
  'workflow-task':
    'The routing state machine invokes it synchronously; the machine’s Retry/Catch handles a failure and a failed run alarms',
};

/** Why a function of each kind has no reserved concurrency: something upstream already bounds it. */
const noReservedConcurrencyReason: Record<Exclude<FunctionKind, 'schedule'>, string> = {
  http: 'The API stage’s throttling (rate and burst per environment) bounds every route together; a reservation per route would split the regional pool into fixed slices and throttle a busy route while others idle',
  'stream-consumer':
    'The stream bounds it: one batch per shard at a time (parallelization factor 1), so it never runs wider than the table has shards',
  'workflow-task':
    'The routing state machine runs one step of a dossier at a time; a reservation would throttle a task mid-run and fail routing runs instead of slowing them',
};

/** What cdk-nag's NIST 800-53 rev 5 and Serverless packs ask of every function that is not done here, and why. */
function acknowledgeFunctionRules(fn: MotcuaFunction, kind: FunctionKind): void {
  acknowledgeRules(
    fn,
    ['NIST.800.53.R5-LambdaInsideVPC'],
    'It calls only AWS APIs (IAM-authorized, over TLS) and partner webhooks on the internet; there is no private resource to reach, and a VPC would add a NAT gateway or endpoints per zone to run and pay for',
  );
  acknowledgeRules(
    fn,
    ['NIST.800.53.R5-IAMNoInlinePolicy'],
    'Its policies (X-Ray, data grants, notifications) belong to its own role alone and live and die with it; a customer-managed policy would be a shareable copy of one function’s least privilege',
  );
  acknowledgeRules(
    fn,
    ['NIST.800.53.R5-CloudWatchLogGroupEncrypted'],
    'CloudWatch Logs encrypts the group at rest with service keys; the structured logs carry no citizen ID or document content by rule (CONVENTIONS.md, habit 9), so a customer-managed key would guard nothing they may hold',
  );
  if (kind === 'schedule') return;
  acknowledgeRules(fn, ['NIST.800.53.R5-LambdaDLQ', 'Serverless-LambdaDLQ'], noLambdaDlqReason[kind]);
  acknowledgeRules(fn, ['NIST.800.53.R5-LambdaConcurrency'], noReservedConcurrencyReason[kind]);
}

function describe(grant: unknown): string {
  return typeof grant === 'string' ? grant : JSON.stringify(grant);
}

function assertEnvName(path: string, name: string) {
  if (!envVarName.test(name) || reservedEnvVars.test(name)) {
    throw new Error(`${path}: "${name}" is not a usable Lambda environment variable name`);
  }
}

// API Gateway gives up on an integration after 29 s; the other kinds may run up to Lambda's 15 minutes.
const maxTimeout: Record<FunctionKind, number> = {
  http: 29,
  'stream-consumer': 900,
  'workflow-task': 900,
  schedule: 900,
};

function validateProps(id: string, entry: string, props: MotcuaFunctionProps) {
  const name = `MotcuaFunction ${id}`;
  if (!(props.kind in maxTimeout)) {
    throw new Error(`${name}: kind must be one of ${Object.keys(maxTimeout).join(', ')}, got ${props.kind}`);
  }
  if (!/\.(m?ts|m?js)$/.test(entry))
    throw new Error(`${name}: entry must be a .ts or .js file, got ${entry}`);
  if (!existsSync(entry)) throw new Error(`${name}: entry ${entry} does not exist`);
  if (relative(repoRoot, entry).startsWith('..')) {
    throw new Error(`${name}: entry ${entry} is outside the repository`);
  }
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(props.functionName)) {
    throw new Error(`${name}: functionName "${props.functionName}" must be 1-64 letters, digits, - or _`);
  }
  if (!Number.isInteger(props.memoryMb) || props.memoryMb < 128 || props.memoryMb > 10_240) {
    throw new Error(`${name}: memoryMb must be an integer from 128 to 10240, got ${props.memoryMb}`);
  }
  const max = maxTimeout[props.kind];
  if (!Number.isInteger(props.timeoutSeconds) || props.timeoutSeconds < 1 || props.timeoutSeconds > max) {
    throw new Error(
      `${name}: timeoutSeconds must be an integer from 1 to ${max} for a ${props.kind} function, got ${props.timeoutSeconds}`,
    );
  }
  if ((props.kind === 'schedule') !== (props.schedule !== undefined)) {
    throw new Error(`${name}: a schedule is given exactly to schedule functions`);
  }
  for (const key of Object.keys(props.environment ?? {})) assertEnvName(name, key);
}
