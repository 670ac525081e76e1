// What supervisors and DevOps watch: one dashboard per environment (`motcua-<env>`: alarms firing, the dossiers' own
// counts, API, functions, dead letters, routing, payments) and alarms on API errors and latency, on every function, on
// every dead-letter queue, on routing runs and overdue growth, and on payment callbacks, all to one encrypted, TLS-only
// on-call topic. Every alarm is named `motcua-<env>-<id>` (what the runbook, docs/runbook.md, reads them by).
// Everything is addressed by its physical name (API, stage, function, queue), never by a reference into another stack:
// adding or removing a route or a consumer never meets an export in use.
//
// A function's faults are watched through the runtime's own metric (shared/observability/metrics.ts: namespace
// `motcua`, `ServerErrors` by `service` = the function's name), not Lambda's Errors: the HTTP wrapper answers a fault
// with a plain 500, so Lambda sees a successful invocation. API Gateway's 5XXError still catches what no handler
// answered (timeouts, crashes at cold start). Alarms notify on ALARM only: an OK notification per alarm is noise.
import { ArnFormat, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmState,
  AlarmStatusWidget,
  AlarmStatusWidgetSortBy,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  type IWidget,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import {
  type BusinessMetric,
  METRICS_NAMESPACE,
  type OperationalMetric,
} from '../../shared/observability/metrics';
import type { EnvironmentConfig } from '../config/environments';
import type { FunctionKind } from '../constructs/motcua-function';
import { pascal } from './stateful-stack';

/** A function to watch: its id (route or consumer), kind and physical name. */
export interface WatchedFunction {
  id: string;
  kind: FunctionKind;
  functionName: string;
}

/**
 * The runtime's metrics, named where the runtime emits them (shared/observability/metrics.ts): one namespace, and
 * Powertools' `service` dimension (its serviceName, the function's name) on every metric.
 */
export const runtimeMetrics: {
  namespace: string;
  serviceDimension: 'service';
  serverErrors: OperationalMetric;
  overdueSteps: OperationalMetric;
  notificationsFailed: OperationalMetric;
  routingStuck: OperationalMetric;
  eventsFailed: OperationalMetric;
  taskFailed: OperationalMetric;
  /** The dossiers' own counts, under dimension sets {service, unit} and {service, procedure}. */
  business: readonly BusinessMetric[];
} = {
  namespace: METRICS_NAMESPACE,
  serviceDimension: 'service',
  serverErrors: 'ServerErrors',
  overdueSteps: 'OverdueSteps',
  notificationsFailed: 'NotificationsFailed',
  routingStuck: 'RoutingStuck',
  eventsFailed: 'EventsFailed',
  taskFailed: 'TaskFailed',
  business: ['Filings', 'Receipts', 'Refusals'],
};

/** Step Functions' execution outcomes that alarm: any run that did not end in Succeed. */
export const workflowExecutionAlarms = [
  'ExecutionsFailed',
  'ExecutionsTimedOut',
  'ExecutionsAborted',
] as const;

/** The routing workflow to watch, by physical names (workflow-stack.ts). */
export interface WatchedWorkflow {
  stateMachineName: string;
  /** The function of the `Overdue` task, which counts `OverdueSteps`. */
  overdueFunctionName: string;
  /** The function of the `Decide` task, which counts `NotificationsFailed` (agency webhooks given up on). */
  assignFunctionName: string;
  /** The routing sweep, which counts `RoutingStuck` (dossiers whose runs keep failing, left to an operator). */
  sweepFunctionName: string;
}

/** A stream consumer is behind when its oldest unprocessed record is this old (the stream keeps 24 h). */
export const iteratorAgeAlarmMs = 15 * 60 * 1000;

/** Overdue growth is counted over this window against `alarms.overdueStepsPerHour`. */
export const overdueGrowthPeriod = Duration.hours(1);

/**
 * A dead-letter queue to watch: a stream consumer's (the batch's shard and sequence range, to replay from the stream),
 * a schedule's (the scheduled event of a run that failed three times, or that EventBridge could not deliver), or the
 * agency webhooks' (the notices the notifying functions gave up on, to read and resend).
 */
export interface WatchedQueue {
  id: string;
  queueName: string;
  source: 'stream' | 'schedule' | 'agency-webhooks';
}

/** What each kind of dead letter asks of on-call: the alarm's description (docs/runbook.md §1 says more). */
const deadLetterAction: Record<WatchedQueue['source'], (id: string) => string> = {
  stream: (id) =>
    `${id}: events dead-lettered (replay from the stream within 24 h of their writing: npm run dlq)`,
  schedule: (id) =>
    `${id}: a scheduled run failed three times or was not delivered (read its logs; the next run starts on schedule)`,
  'agency-webhooks': (id) =>
    `${id}: agency webhooks given up on after their retries; the tasks are in the agencies' queues (read the letters, fix the endpoint, resend: docs/runbook.md §1)`,
};

/** An alarm's physical name: what the topic's messages and the runbook show. */
export function alarmNameOf(envName: string, id: string): string {
  return `motcua-${envName}-${id}`;
}

export interface MonitoringStackProps extends StackProps {
  config: EnvironmentConfig;
  /** The REST API's name and stage (CloudWatch dimensions ApiName and Stage). */
  apiName: string;
  stageName: string;
  functions: readonly WatchedFunction[];
  /** Dead-letter queues by function id and physical name: any visible message alarms. */
  deadLetterQueues: readonly WatchedQueue[];
  workflow?: WatchedWorkflow;
  /** The payment functions that count their own failures (shared/observability/metrics.ts), by physical name. */
  payments?: { callbackFunctionName: string; reconcileFunctionName: string };
}

const period = Duration.minutes(5);

export class MonitoringStack extends Stack {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  private readonly envName: string;
  /** The dashboard's rows below the alarms' status, in order. */
  private readonly rows: IWidget[][] = [];

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.envName = config.name;

    const key = new Key(this, 'AlarmTopicKey', {
      description: `motcua ${config.name}: encrypts the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // CloudWatch publishes alarm notifications itself, so the key must let it encrypt for the topic.
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: `motcua ${config.name} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (config.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));

    const apiMetric = (metricName: string, statistic: string) =>
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiName: props.apiName, Stage: props.stageName },
        period,
        statistic,
      });
    const serverErrors = apiMetric('5XXError', 'Sum');
    const clientErrors = apiMetric('4XXError', 'Sum');
    const requests = apiMetric('Count', 'Sum');
    const latencyP99 = apiMetric('Latency', 'p99');
    const latencyP50 = apiMetric('Latency', 'p50');

    this.alarm(
      'Api5xx',
      serverErrors,
      config.alarms.serverErrorsPer5Min,
      `API ${config.name}: 5XX responses`,
    );
    this.alarm(
      'ApiLatencyP99',
      latencyP99,
      config.alarms.latencyP99Ms,
      `API ${config.name}: p99 latency (ms)`,
      3,
    );

    const functions = props.functions;
    const httpFunctions = functions.filter((fn) => fn.kind === 'http');
    for (const fn of functions) {
      if (fn.kind === 'http') {
        this.alarm(
          `${pascal(fn.id)}ServerErrors`,
          serverErrorsOf(fn),
          config.alarms.serverErrorsPer5Min,
          `${fn.id}: handled 5xx answers (${runtimeMetrics.namespace}/${runtimeMetrics.serverErrors})`,
        );
      }
      if (fn.kind === 'stream-consumer') {
        this.alarm(
          `${pascal(fn.id)}IteratorAge`,
          lambdaMetric(fn, 'IteratorAge', 'Maximum'),
          iteratorAgeAlarmMs,
          `${fn.id}: behind its stream by ${iteratorAgeAlarmMs / 60_000} minutes or more`,
          3,
        );
      }
      this.alarm(`${pascal(fn.id)}Throttles`, lambdaMetric(fn, 'Throttles', 'Sum'), 1, `${fn.id}: throttles`);
    }
    const deadLetterDepths = props.deadLetterQueues.map((queue) => {
      const depth = new Metric({
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensionsMap: { QueueName: queue.queueName },
        period,
        statistic: 'Maximum',
      });
      this.alarm(`${pascal(queue.id)}DeadLetters`, depth, 1, deadLetterAction[queue.source](queue.id));
      // A label only on the graph's copy: a labelled metric would turn the alarm into a metric-math alarm.
      return depth.with({ label: queue.id });
    });

    this.rows.push([
      new GraphWidget({
        title: 'Requests and errors',
        left: [requests],
        right: [clientErrors, serverErrors],
        width: 12,
      }),
      new GraphWidget({ title: 'Latency (ms)', left: [latencyP50, latencyP99], width: 12 }),
    ]);
    this.rows.push(businessGraphs());
    this.rows.push([
      ...graphPerFunction('Handled 5xx by function', httpFunctions, serverErrorsOf),
      ...graphPerFunction('Function throttles', functions, (fn) => lambdaMetric(fn, 'Throttles', 'Sum')),
    ]);
    // Lambda's Errors count what escaped a handler (a crash, a timeout, a cold start that failed): graphed, not alarmed,
    // since the handled faults alarm above through ServerErrors, EventsFailed → dead letters and failed runs.
    const consumers = functions.filter((fn) => fn.kind === 'stream-consumer');
    this.rows.push([
      ...graphPerFunction('Function errors: crashes and timeouts', functions, (fn) =>
        lambdaMetric(fn, 'Errors', 'Sum'),
      ),
      ...graphPerFunction('Events failed by consumer (retried, then dead-lettered)', consumers, (fn) =>
        runtimeMetric(runtimeMetrics.eventsFailed, fn.functionName),
      ),
    ]);
    this.rows.push([
      new GraphWidget({ title: 'Dead-letter queue depth', left: deadLetterDepths, width: 12 }),
      ...graphPerFunction('Consumer lag: iterator age (ms)', consumers, (fn) =>
        lambdaMetric(fn, 'IteratorAge', 'Maximum'),
      ),
    ]);
    this.rows.push([
      ...graphPerFunction('Function duration p99 (ms)', functions, (fn) =>
        lambdaMetric(fn, 'Duration', 'p99'),
      ),
      ...graphPerFunction('Function concurrency', functions, (fn) =>
        lambdaMetric(fn, 'ConcurrentExecutions', 'Maximum'),
      ),
    ]);
    if (props.workflow) this.watchWorkflow(props.workflow, config, functions);
    if (props.payments) this.watchPayments(props.payments, config);

    // What is firing comes first; the graphs below say why.
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `motcua-${config.name}`,
      defaultInterval: Duration.hours(3),
      widgets: [alarmStatus(this.alarms), ...this.rows],
    });
  }

  /** IPNs answered 99 (our fault; the provider calls again), and payments reconciliation could not settle. */
  private watchPayments(payments: NonNullable<MonitoringStackProps['payments']>, config: EnvironmentConfig) {
    const metric = (metricName: string, service: string, over = period) =>
      new Metric({
        namespace: runtimeMetrics.namespace,
        metricName,
        dimensionsMap: { [runtimeMetrics.serviceDimension]: service },
        period: over,
        statistic: 'Sum',
      });
    const callbackFailures = metric('PaymentCallbackFailures', payments.callbackFunctionName);
    this.alarm(
      'PaymentCallbackFailures',
      callbackFailures,
      1,
      `Payments ${config.name}: provider callbacks failed on our side (answered 99; the provider calls again, reconciliation settles the rest)`,
    );
    // Over half an hour (three runs of the 10-minute schedule): one provider blip does not page, a payment left
    // unanswered run after run does.
    const unreconciled = metric('PaymentsUnreconciled', payments.reconcileFunctionName, Duration.minutes(30));
    this.alarm(
      'PaymentsUnreconciled',
      unreconciled,
      3,
      `Payments ${config.name}: payments left without a verdict that the provider could not answer for, or answered with another amount`,
    );
    this.rows.push([
      new GraphWidget({ title: 'Payment callbacks failed (99)', left: [callbackFailures], width: 12 }),
      new GraphWidget({ title: 'Payments not reconciled', left: [unreconciled], width: 12 }),
    ]);
  }

  /** Runs that failed, timed out or were aborted, and steps past their due time (each, and their growth). */
  private watchWorkflow(
    workflow: WatchedWorkflow,
    config: EnvironmentConfig,
    functions: readonly WatchedFunction[],
  ) {
    // The ARN from the name, as the other stacks grant on it: no reference into the workflow stack.
    const stateMachineArn = this.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: workflow.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const executions = workflowExecutionAlarms.map((metricName) => {
      const metric = new Metric({
        namespace: 'AWS/States',
        metricName,
        dimensionsMap: { StateMachineArn: stateMachineArn },
        period,
        statistic: 'Sum',
      });
      this.alarm(
        `Routing${metricName}`,
        metric,
        1,
        `Routing ${config.name}: ${metricName} (re-drive the dossier from its recorded stage)`,
      );
      return metric;
    });
    const overdue = new Metric({
      namespace: runtimeMetrics.namespace,
      metricName: runtimeMetrics.overdueSteps,
      dimensionsMap: { [runtimeMetrics.serviceDimension]: workflow.overdueFunctionName },
      period,
      statistic: 'Sum',
    });
    this.alarm('RoutingOverdueSteps', overdue, 1, `Routing ${config.name}: agency steps past their due time`);
    // Growth: many steps late within one hour is no longer one slow officer but an agency or an integration stalled.
    const overduePerHour = overdue.with({ period: overdueGrowthPeriod });
    this.alarm(
      'RoutingOverdueGrowth',
      overduePerHour,
      config.alarms.overdueStepsPerHour,
      `Routing ${config.name}: ${config.alarms.overdueStepsPerHour} or more agency steps went past their due time within an hour (look for one agency or one procedure in the overdue radar)`,
    );
    const unnotified = new Metric({
      namespace: runtimeMetrics.namespace,
      metricName: runtimeMetrics.notificationsFailed,
      dimensionsMap: { [runtimeMetrics.serviceDimension]: workflow.assignFunctionName },
      period,
      statistic: 'Sum',
    });
    this.alarm(
      'RoutingNotificationsFailed',
      unnotified,
      1,
      `Routing ${config.name}: agency webhooks failed after their retries (the task is in the agency's queue; the notice is in the AgencyWebhooksDeadLetters queue)`,
    );
    const stuck = new Metric({
      namespace: runtimeMetrics.namespace,
      metricName: runtimeMetrics.routingStuck,
      dimensionsMap: { [runtimeMetrics.serviceDimension]: workflow.sweepFunctionName },
      period,
      statistic: 'Sum',
    });
    this.alarm(
      'RoutingStuck',
      stuck,
      1,
      `Routing ${config.name}: dossiers whose runs failed again and again; the sweep no longer re-drives them (fix, then re-drive from the admin API)`,
    );
    const tasks = functions.filter((fn) => fn.kind === 'workflow-task');
    this.rows.push(
      [
        new GraphWidget({ title: 'Routing runs not succeeded', left: executions, width: 12 }),
        new GraphWidget({ title: 'Overdue steps', left: [overdue], width: 12 }),
      ],
      [
        new GraphWidget({
          title: 'Overdue steps per hour (growth)',
          left: [overduePerHour.with({ label: 'Overdue steps per hour' })],
          leftAnnotations: [{ value: config.alarms.overdueStepsPerHour, label: 'alarm' }],
          width: 12,
        }),
        ...graphPerFunction('Workflow tasks failed (retried by the machine)', tasks, (fn) =>
          runtimeMetric(runtimeMetrics.taskFailed, fn.functionName),
        ),
      ],
      [
        new GraphWidget({ title: 'Agency webhooks failed', left: [unnotified], width: 12 }),
        new GraphWidget({ title: 'Dossiers stuck after re-drives', left: [stuck], width: 12 }),
      ],
    );
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string, evaluationPeriods = 1) {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
      alarmName: alarmNameOf(this.envName, id),
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
  }
}

function lambdaMetric(fn: WatchedFunction, metricName: string, statistic: string): Metric {
  return new Metric({
    namespace: 'AWS/Lambda',
    metricName,
    dimensionsMap: { FunctionName: fn.functionName },
    period,
    statistic,
  });
}

function runtimeMetric(metricName: OperationalMetric, service: string): Metric {
  return new Metric({
    namespace: runtimeMetrics.namespace,
    metricName,
    dimensionsMap: { [runtimeMetrics.serviceDimension]: service },
    period,
    statistic: 'Sum',
  });
}

function serverErrorsOf(fn: WatchedFunction): Metric {
  return runtimeMetric(runtimeMetrics.serverErrors, fn.functionName);
}

/**
 * The dossiers' own counts (shared/observability/metrics.ts): every move is counted once under {service, unit}, so a
 * Metrics Insights sum over that schema is the environment's total and a GROUP BY unit its split by reception point.
 * The namespace holds one environment per account (staging and prod name their own; dev must have its own too).
 */
function businessGraphs(): IWidget[] {
  const schema = `SCHEMA("${runtimeMetrics.namespace}", ${runtimeMetrics.serviceDimension}, unit)`;
  const total = (metric: BusinessMetric) =>
    new MathExpression({
      expression: `SELECT SUM(${metric}) FROM ${schema}`,
      label: metric,
      period,
    });
  return [
    new GraphWidget({
      title: 'Dossiers: filed, received, refused at the counter',
      left: runtimeMetrics.business.map(total),
      width: 12,
    }),
    new GraphWidget({
      title: 'Dossiers received by unit (top 30)',
      left: [
        new MathExpression({
          expression: `SELECT SUM(Receipts) FROM ${schema} GROUP BY unit ORDER BY SUM() DESC LIMIT 30`,
          label: 'Receipts',
          period,
        }),
      ],
      width: 12,
    }),
  ];
}

// An alarm status widget lists at most 100 alarms; past that they are split over several.
const alarmsPerWidget = 100;

/** The alarms in ALARM, most recent first: what on-call looks at before any graph. */
function alarmStatus(alarms: readonly Alarm[]): IWidget[] {
  const widgets: IWidget[] = [];
  for (let i = 0; i < alarms.length; i += alarmsPerWidget) {
    const part = alarms.slice(i, i + alarmsPerWidget);
    widgets.push(
      new AlarmStatusWidget({
        title:
          alarms.length > alarmsPerWidget ? `Alarms firing (${i / alarmsPerWidget + 1})` : 'Alarms firing',
        alarms: part,
        states: [AlarmState.ALARM],
        sortBy: AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
        width: alarms.length > alarmsPerWidget ? 12 : 24,
        height: 4,
      }),
    );
  }
  return widgets;
}

// A graph shows at most 100 metrics; past that the functions are split over several graphs.
const metricsPerGraph = 100;

function graphPerFunction(
  title: string,
  functions: readonly WatchedFunction[],
  metricOf: (fn: WatchedFunction) => Metric,
): GraphWidget[] {
  const graphs: GraphWidget[] = [];
  for (let i = 0; i < functions.length; i += metricsPerGraph) {
    const part = functions.slice(i, i + metricsPerGraph);
    graphs.push(
      new GraphWidget({
        title: functions.length > metricsPerGraph ? `${title} (${i / metricsPerGraph + 1})` : title,
        width: 12,
        left: part.map((fn) => metricOf(fn).with({ label: fn.id })),
      }),
    );
  }
  return graphs;
}
