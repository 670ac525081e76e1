// The monitoring stack of each environment: one on-call topic behind every alarm, an alarm on every dead-letter queue
// of the app, overdue growth, failed routing runs and payment callbacks, and a dashboard that starts with what fires.
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { environmentNames } from '../../infra/config/environments';
import { alarmNameOf, overdueGrowthPeriod } from '../../infra/stacks/monitoring-stack';
import { workflowFunctionName } from '../../infra/stacks/workflow-stack';
import { paymentReconciliation } from '../../shared/schedules';
import { routingSweep, routingTasks } from '../../shared/workflow/tasks';
import { type SynthedEnv, synthForBlock } from './support';

type Props = Record<string, unknown>;
type Widget = { type: string; properties: Record<string, unknown> };

const logicalId = (construct: IConstruct) =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as never);

/** A dashboard body is an Fn::Join of JSON text and references; the references become a placeholder. */
function dashboardWidgets(body: unknown): Widget[] {
  const joined = (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
    .map((part) => (typeof part === 'string' ? part : '<ref>'))
    .join('');
  return (JSON.parse(joined) as { widgets: Widget[] }).widgets;
}

describe.each(environmentNames)('monitoring in %s', (envName) => {
  let env: SynthedEnv;
  let alarms: Props[];
  let topic: { Ref: string };
  synthForBlock(envName, (synthed) => {
    env = synthed;
    alarms = Object.values(env.templates.monitoring.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties as Props,
    );
    topic = { Ref: logicalId(env.monitoring.alarmTopic) };
  });
  const named = (id: string) => alarms.find((a) => a.AlarmName === alarmNameOf(envName, id));

  it('sends every alarm to the one on-call topic, each under its own motcua-<env>- name', () => {
    env.templates.monitoring.resourceCountIs('AWS::SNS::Topic', 1);
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions, String(alarm.AlarmName)).toEqual([topic]);
      expect(String(alarm.AlarmName)).toMatch(new RegExp(`^motcua-${envName}-[A-Za-z0-9]+$`));
    }
    expect(new Set(alarms.map((a) => a.AlarmName)).size).toBe(alarms.length);
  });

  it('alarms on every dead-letter queue of the app, the stream consumers’ and the schedules’', () => {
    const queueNames = [...env.allTemplates().values()].flatMap((template) =>
      Object.values(template.findResources('AWS::SQS::Queue')).map((q) => q.Properties.QueueName as string),
    );
    expect(queueNames).toEqual(
      expect.arrayContaining([
        `motcua-${envName}-${paymentReconciliation.id}-dlq`,
        `motcua-${envName}-${routingSweep.id}-dlq`,
      ]),
    );
    for (const queueName of queueNames) {
      const alarm = alarms.find(
        (a) =>
          a.Namespace === 'AWS/SQS' &&
          JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'QueueName', Value: queueName }]),
      );
      expect(alarm, queueName).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [topic],
      });
    }
  });

  it('dead-letters a scheduled run that fails or is not delivered, and runs one at a time', () => {
    for (const fn of [env.events.functions.get(paymentReconciliation.id), env.workflow.sweep]) {
      const queue = fn?.deadLetterQueue;
      expect(queue, fn?.functionName).toBeDefined();
      const template = env.templateOf(fn as IConstruct);
      const queueArn = { 'Fn::GetAtt': [logicalId(queue as IConstruct), 'Arn'] };
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: fn?.functionName,
        DeadLetterConfig: { TargetArn: queueArn },
        ReservedConcurrentExecutions: 1,
      });
      const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((rule) =>
        JSON.stringify(rule.Properties.Targets).includes(logicalId(fn?.function as IConstruct)),
      );
      expect(rules).toHaveLength(1);
      expect(rules[0]?.Properties.Targets[0].DeadLetterConfig).toEqual({ Arn: queueArn });
    }
  });

  it('alarms on overdue growth: steps past due within an hour at the environment’s threshold', () => {
    expect(named('RoutingOverdueGrowth')).toMatchObject({
      Namespace: 'motcua',
      MetricName: 'OverdueSteps',
      Dimensions: [{ Name: 'service', Value: workflowFunctionName(envName, routingTasks.overdue.id) }],
      Statistic: 'Sum',
      Period: overdueGrowthPeriod.toSeconds(),
      Threshold: env.config.alarms.overdueStepsPerHour,
      AlarmActions: [topic],
    });
  });

  it.each([
    ['RoutingExecutionsFailed', 'AWS/States', 'ExecutionsFailed'],
    ['RoutingExecutionsTimedOut', 'AWS/States', 'ExecutionsTimedOut'],
    ['RoutingExecutionsAborted', 'AWS/States', 'ExecutionsAborted'],
    ['PaymentCallbackFailures', 'motcua', 'PaymentCallbackFailures'],
    ['Api5xx', 'AWS/ApiGateway', '5XXError'],
  ])('alarms the topic as %s on %s %s', (id, namespace, metricName) => {
    expect(named(id)).toMatchObject({ Namespace: namespace, MetricName: metricName, AlarmActions: [topic] });
  });

  it('builds the environment’s dashboard: what fires first, then the dossiers, the API, errors and dead letters', () => {
    const dashboards = Object.values(env.templates.monitoring.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]?.Properties.DashboardName).toBe(`motcua-${envName}`);
    const widgets = dashboardWidgets(dashboards[0]?.Properties.DashboardBody);
    expect(widgets[0]).toMatchObject({ type: 'alarm', properties: { states: ['ALARM'] } });
    // Every alarm appears in a status widget.
    const listed = widgets.filter((w) => w.type === 'alarm').flatMap((w) => w.properties.alarms as string[]);
    expect(listed).toHaveLength(alarms.length);

    const text = JSON.stringify(widgets);
    for (const metric of ['Filings', 'Receipts', 'Refusals']) {
      expect(text).toContain(`SELECT SUM(${metric}) FROM SCHEMA(\\"motcua\\", service, unit)`);
    }
    expect(text).toContain('GROUP BY unit');
    const titles = widgets.map((w) => w.properties.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Requests and errors',
        'Function errors: crashes and timeouts',
        'Function throttles',
        'Dead-letter queue depth',
        'Routing runs not succeeded',
        'Overdue steps per hour (growth)',
        'Payment callbacks failed (99)',
      ]),
    );
  });
});
