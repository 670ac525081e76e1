// Inter-agency routing (ARCHITECTURE.md §3): the five task functions of shared/workflow/tasks.ts, the one Standard
// state machine `routingDefinition` builds over them, and the sweep that re-sends unheard decisions and re-drives lost
// runs. Its alarms are in the monitoring stack, which addresses the machine by name like everything else it watches.
//
// The agency webhooks' dead-letter queue (`motcua-<env>-agency-webhooks-dead-letters`) lives here too, beside the
// assign task that fills it most; the events stack's routing-forwarded consumer sends to it by name, and monitoring
// alarms on its depth by name, as they address the machine.
//
// Other stacks reach the machine by its fixed physical name (`routingStateMachineName`), not by an export: an ARN
// built from a name needs no Fn::ImportValue, so this stack can be replaced (or the machine renamed by a deploy of
// all stacks) without CloudFormation refusing to drop an export another stack still imports. An SSM parameter would
// work too, but would cost a lookup per cold start or a dynamic reference for a value that never changes.
import { ArnFormat, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { agencyWebhookDeadLettersQueueName } from '../../shared/adapters/sqs-undelivered-notices';
import {
  ROUTING_STATE_MACHINE_ENV,
  type RoutingTaskKey,
  routingSweep,
  routingTasks,
} from '../../shared/workflow/tasks';
import type { EnvironmentConfig } from '../config/environments';
import { grantAgencyWebhooks } from '../constructs/agency-webhook-grants';
import type { StateMachineResource } from '../constructs/grants';
import { MotcuaFunction } from '../constructs/motcua-function';
import { applyGrants } from '../least-privilege';
import { acknowledgeRules, acknowledgeWildcardResource } from '../nag';
import { type RoutingFunctions, routingDefinition } from '../workflow/routing-definition';
import { pascal, type StatefulStack } from './stateful-stack';

export interface WorkflowStackProps extends StackProps {
  config: EnvironmentConfig;
  stateful: StatefulStack;
  appVersion: string;
}

/** The routing state machine's physical name: how every other stack addresses it. */
export function routingStateMachineName(envName: string): string {
  return `motcua-${envName}-routing`;
}

export function workflowFunctionName(envName: string, id: string): string {
  return `motcua-${envName}-${id}`;
}

/** Task functions run a few DynamoDB calls (and the assign task a webhook); the sweep walks open dossiers. */
const taskTimeoutSeconds = 60;
const sweepTimeoutSeconds = 300;

/**
 * The routing machine as a grantable resource in `scope`'s stack, from its name only (no cross-stack reference).
 * Call it once per stack: it adds an imported construct `RoutingStateMachine` (or `id`).
 */
export function routingStateMachine(
  scope: Construct,
  envName: string,
  id = 'RoutingStateMachine',
): StateMachineResource {
  const name = routingStateMachineName(envName);
  const stack = Stack.of(scope);
  return {
    kind: 'state-machine',
    id: 'routing',
    envVar: ROUTING_STATE_MACHINE_ENV,
    stateMachine: StateMachine.fromStateMachineName(scope, id, name),
    executionsArn: executionsArnOf(stack, name),
  };
}

function executionsArnOf(stack: Stack, name: string): string {
  return stack.formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${name}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

export class WorkflowStack extends Stack {
  readonly stateMachine: StateMachine;
  readonly stateMachineName: string;
  readonly logGroup: LogGroup;
  /** The task functions by task key (shared/workflow/tasks.ts). */
  readonly tasks: Record<RoutingTaskKey, MotcuaFunction>;
  readonly sweep: MotcuaFunction;
  /** Every function of the stack by id (`routing-<task>`, `routing-sweep`), for monitoring. */
  readonly functions = new Map<string, MotcuaFunction>();
  /** The agency webhooks given up on by the notifying functions (this stack's assign task, routing-forwarded). */
  readonly agencyWebhookDeadLetters: Queue;

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const environment = { STAGE: config.name, LOG_LEVEL: config.logLevel, APP_VERSION: props.appVersion };
    const common = {
      memoryMb: config.lambdaMemoryMb,
      logRetention: config.logRetention,
      removalPolicy,
      environment,
    };

    // Encrypted, TLS-only, 14 days to resend what the agencies were not told (docs/runbook.md). Its name is fixed:
    // the grants (agency-webhook-grants.ts) and the alarm address it by name.
    this.agencyWebhookDeadLetters = new Queue(this, 'AgencyWebhookDeadLetters', {
      queueName: agencyWebhookDeadLettersQueueName(config.name),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeRules(
      this.agencyWebhookDeadLetters,
      ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy'],
      'This queue is itself a dead-letter queue: the agency webhooks the notifying functions gave up on after their retries wait here for an operator (docs/runbook.md)',
    );

    // Task functions get their data grants, and no Step Functions action but one: the assign task may answer the task
    // it was invoked for (a decision stored while the step waited under an older token). It reaches the machine by name:
    // the machine refers to the function, so a reference back would be a cycle.
    const byName = routingStateMachine(this, config.name, 'RoutingStateMachineByName');
    this.tasks = Object.fromEntries(
      (Object.keys(routingTasks) as RoutingTaskKey[]).map((key) => {
        const task = routingTasks[key];
        const fn = new MotcuaFunction(this, `${pascal(task.id)}Function`, {
          ...common,
          kind: 'workflow-task',
          functionName: workflowFunctionName(config.name, task.id),
          entry: task.handler,
          description: task.description,
          timeoutSeconds: taskTimeoutSeconds,
        });
        applyGrants(fn, stateful, `Task ${task.id}`, task.uses, undefined);
        if ('notifies' in task && task.notifies) grantAgencyWebhooks(fn, config.name);
        if ('answers' in task && task.answers) fn.use(byName, 'callback');
        this.functions.set(task.id, fn);
        return [key, fn];
      }),
    ) as Record<RoutingTaskKey, MotcuaFunction>;

    const logKey = new Key(this, 'RoutingLogsKey', {
      description: `motcua ${config.name}: encrypts the routing state machine's logs`,
      enableKeyRotation: true,
      removalPolicy,
    });
    // CloudWatch Logs encrypts with the key itself, for this account's log groups only.
    logKey.grantEncryptDecrypt(new ServicePrincipal(`logs.${this.region}.amazonaws.com`));
    this.logGroup = new LogGroup(this, 'RoutingLogs', {
      retention: config.logRetention,
      removalPolicy,
      encryptionKey: logKey,
    });

    this.stateMachineName = routingStateMachineName(config.name);
    const fns: RoutingFunctions = Object.fromEntries(
      Object.entries(this.tasks).map(([key, fn]) => [key, fn.function]),
    ) as unknown as RoutingFunctions;
    this.stateMachine = new StateMachine(this, 'RoutingStateMachine', {
      stateMachineName: this.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: routingDefinition(this, fns),
      tracingEnabled: true,
      // Every event, without the states' input and output: those carry agencies' decisions and reasons, which
      // belong on the dossier, not in logs (as the API keeps bodies out of its logs).
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });
    this.acknowledgeMachineRole();

    // The sweep re-drives (start) and re-sends stored decisions (callback): the only function holding both.
    this.sweep = new MotcuaFunction(this, `${pascal(routingSweep.id)}Function`, {
      ...common,
      kind: 'schedule',
      functionName: workflowFunctionName(config.name, routingSweep.id),
      entry: routingSweep.handler,
      description: routingSweep.description,
      timeoutSeconds: sweepTimeoutSeconds,
      schedule: Schedule.rate(Duration.minutes(routingSweep.everyMinutes)),
    });
    applyGrants(this.sweep, stateful, `Schedule ${routingSweep.id}`, routingSweep.uses, undefined);
    this.sweep.use(
      {
        kind: 'state-machine',
        id: 'routing',
        envVar: ROUTING_STATE_MACHINE_ENV,
        stateMachine: this.stateMachine,
        executionsArn: executionsArnOf(this, this.stateMachineName),
      },
      ['start', 'callback'],
    );
    this.functions.set(routingSweep.id, this.sweep);
  }

  /** The role CDK gives the machine: invoke on the five functions (and their versions), log delivery, X-Ray. */
  private acknowledgeMachineRole() {
    const policy = this.stateMachine.role.node.tryFindChild('DefaultPolicy');
    if (!policy) return;
    for (const fn of Object.values(this.tasks)) {
      acknowledgeWildcardResource(
        policy,
        `${fn.function.functionArn}:*`,
        `LambdaInvoke grants the task function ${fn.functionName} with any version or alias; no other function`,
      );
    }
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch Logs vended delivery (logs:*LogDelivery, DescribeLogGroups…) and X-Ray PutTraceSegments support no resource-level permissions',
    });
    Validations.of(policy).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason:
        'CDK writes the machine’s grants (invoke on its task functions, log delivery, X-Ray) to its own role alone; a customer-managed policy would be a shareable copy of them',
    });
  }
}
