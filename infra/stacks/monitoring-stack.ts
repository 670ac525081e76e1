// What supervisors and DevOps watch: one dashboard and alarms on API errors and latency and on every function.
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  type Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/environments';
import type { ApiFunction } from '../constructs/api-function';
import type { ApiStack } from './api-stack';
import { pascal } from './stateful-stack';

export interface MonitoringStackProps extends StackProps {
  config: EnvironmentConfig;
  api: ApiStack;
}

const period = Duration.minutes(5);

export class MonitoringStack extends Stack {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config, api } = props;

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

    const stage = api.api.deploymentStage;
    const serverErrors = stage.metricServerError({ period, statistic: 'Sum' });
    const clientErrors = stage.metricClientError({ period, statistic: 'Sum' });
    const requests = stage.metricCount({ period, statistic: 'Sum' });
    const latencyP99 = stage.metricLatency({ period, statistic: 'p99' });
    const latencyP50 = stage.metricLatency({ period, statistic: 'p50' });

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

    const functions = [...api.functions.entries()];
    for (const [routeId, fn] of functions) {
      this.alarm(
        `${pascal(routeId)}Errors`,
        fn.function.metricErrors({ period, statistic: 'Sum' }),
        1,
        `${routeId}: errors`,
      );
      this.alarm(
        `${pascal(routeId)}Throttles`,
        fn.function.metricThrottles({ period, statistic: 'Sum' }),
        1,
        `${routeId}: throttles`,
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
      graphPerFunction('Function errors', functions, (fn) =>
        fn.function.metricErrors({ period, statistic: 'Sum' }),
      ),
      graphPerFunction('Function throttles', functions, (fn) =>
        fn.function.metricThrottles({ period, statistic: 'Sum' }),
      ),
    );
    this.dashboard.addWidgets(
      graphPerFunction('Function duration p99 (ms)', functions, (fn) =>
        fn.function.metricDuration({ period, statistic: 'p99' }),
      ),
      graphPerFunction('Function concurrency', functions, (fn) =>
        fn.function.metric('ConcurrentExecutions', { period, statistic: 'Maximum' }),
      ),
    );
    // The workflow stack adds failed executions, DLQ depth and overdue dossiers here when it exists.
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
    alarm.addOkAction(new SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
  }
}

function graphPerFunction(
  title: string,
  functions: [string, ApiFunction][],
  metricOf: (fn: ApiFunction) => Metric,
): GraphWidget {
  return new GraphWidget({
    title,
    width: 12,
    left: functions.map(([routeId, fn]) => metricOf(fn).with({ label: routeId })),
  });
}
