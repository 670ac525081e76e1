// What supervisors and DevOps watch: one dashboard and alarms on API errors and latency, on every function and on
// every dead-letter queue. Everything is addressed by its physical name (API, stage, function, queue), never by a
// reference into another stack: adding or removing a route or a consumer never meets an export in use.
//
// A function's faults are watched through the runtime's own metric (shared/observability/metrics.ts: namespace
// `motcua`, `ServerErrors` by `service` = the function's name), not Lambda's Errors: the HTTP wrapper answers a fault
// with a plain 500, so Lambda sees a successful invocation. API Gateway's 5XXError still catches what no handler
// answered (timeouts, crashes at cold start). Alarms notify on ALARM only: an OK notification per alarm is noise.
import { ArnFormat, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE, type OperationalMetric } from '../../shared/observability/metrics';
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
} = {
  namespace: METRICS_NAMESPACE,
  serviceDimension: 'service',
  serverErrors: 'ServerErrors',
  overdueSteps: 'OverdueSteps',
  notificationsFailed: 'NotificationsFailed',
  routingStuck: 'RoutingStuck',
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

export interface MonitoringStackProps extends StackProps {
  config: EnvironmentConfig;
  /** The REST API's name and stage (CloudWatch dimensions ApiName and Stage). */
  apiName: string;
  stageName: string;
  functions: readonly WatchedFunction[];
  /** Dead-letter queues by consumer id and physical name: any visible message alarms. */
  deadLetterQueues: readonly { id: string; queueName: string }[];
  workflow?: WatchedWorkflow;
  /** The payment functions that count their own failures (shared/observability/metrics.ts), by physical name. */
  payments?: { callbackFunctionName: string; reconcileFunctionName: string };
}

const period = Duration.minutes(5);

export class MonitoringStack extends Stack {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config } = props;

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
    for (const queue of props.deadLetterQueues) {
      this.alarm(
        `${pascal(queue.id)}DeadLetters`,
        new Metric({
          namespace: 'AWS/SQS',
          metricName: 'ApproximateNumberOfMessagesVisible',
          dimensionsMap: { QueueName: queue.queueName },
          period,
          statistic: 'Maximum',
        }),
        1,
        `${queue.id}: events dead-lettered (replay from the stream within 24 h of their writing)`,
      );
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `motcua-${config.name}`,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Requests and errors',
        left: [requests],
        right: [clientErrors, serverErrors],
        width: 12,
      }),
      new GraphWidget({ title: 'Latency (ms)', left: [latencyP50, latencyP99], width: 12 }),
    );
    this.dashboard.addWidgets(
      ...graphPerFunction('Handled 5xx by function', httpFunctions, serverErrorsOf),
      ...graphPerFunction('Function throttles', functions, (fn) => lambdaMetric(fn, 'Throttles', 'Sum')),
    );
    this.dashboard.addWidgets(
      ...graphPerFunction('Function duration p99 (ms)', functions, (fn) =>
        lambdaMetric(fn, 'Duration', 'p99'),
      ),
      ...graphPerFunction('Function concurrency', functions, (fn) =>
        lambdaMetric(fn, 'ConcurrentExecutions', 'Maximum'),
      ),
    );
    if (props.workflow) this.watchWorkflow(props.workflow, config);
    if (props.payments) this.watchPayments(props.payments, config);
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
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Payment callbacks failed (99)', left: [callbackFailures], width: 12 }),
      new GraphWidget({ title: 'Payments not reconciled', left: [unreconciled], width: 12 }),
    );
  }

  /** Runs that failed, timed out or were aborted, and steps past their due time. */
  private watchWorkflow(workflow: WatchedWorkflow, config: EnvironmentConfig) {
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
      `Routing ${config.name}: agency webhooks failed after their retries (the task is in the agency's queue)`,
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
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Routing runs not succeeded', left: executions, width: 12 }),
      new GraphWidget({ title: 'Overdue steps', left: [overdue], width: 12 }),
      new GraphWidget({ title: 'Agency webhooks failed', left: [unnotified], width: 12 }),
      new GraphWidget({ title: 'Dossiers stuck after re-drives', left: [stuck], width: 12 }),
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

function serverErrorsOf(fn: WatchedFunction): Metric {
  return new Metric({
    namespace: runtimeMetrics.namespace,
    metricName: runtimeMetrics.serverErrors,
    dimensionsMap: { [runtimeMetrics.serviceDimension]: fn.functionName },
    period,
    statistic: 'Sum',
  });
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
