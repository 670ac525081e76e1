import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import { environmentNames } from '../../infra/config/environments';
import { streamActions } from '../../infra/constructs/grants';
import { consumerFunctionName, deadLetterQueueName, maxRecordAge } from '../../infra/stacks/events-stack';
import { receiptBookEnv, receiptBookEnvironment } from '../../shared/config';
import { PLACEHOLDER_COLLECTOR_TAX_CODE } from '../../shared/domain/issued-receipts';
import {
  type ConsumerDefinition,
  consumerList,
  filterOf,
  streamSettings,
} from '../../shared/events/consumers';
import { scheduleList } from '../../shared/schedules';
import { cleanUp, type SynthedEnv, scratchDir, skipBundling, synthForBlock } from './support';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
const asArray = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);

describe.each(environmentNames)('the %s event consumers', (envName) => {
  let env: SynthedEnv;
  synthForBlock(envName, (synthed) => {
    env = synthed;
  });

  const logicalId = (construct: IConstruct) => {
    const stack = Stack.of(construct);
    return stack.getLogicalId(construct.node.defaultChild as never);
  };
  const fnOf = (id: string) => {
    const fn = env.events.functions.get(id);
    if (!fn) throw new Error(`no function for consumer ${id}`);
    return fn;
  };

  it("gives the consumers that number e-receipts, and only them, the environment's receipt book", () => {
    const book = receiptBookEnvironment(env.config.receipts);
    const functions = env.templates.events.findResources('AWS::Lambda::Function');
    const withBook = Object.values(functions)
      .filter((f) => f.Properties.Environment?.Variables?.[receiptBookEnv.collectorTaxCode] !== undefined)
      .map((f) => f.Properties.FunctionName);
    expect(withBook).toEqual(
      (consumerList as readonly ConsumerDefinition[])
        .filter((c) => c.issuesReceipts)
        .map((c) => consumerFunctionName(envName, c.id)),
    );
    expect(withBook.length).toBeGreaterThan(0);
    for (const name of withBook) {
      env.templates.events.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: name,
        Environment: { Variables: Match.objectLike(book) },
      });
    }
    // Until the center's registered tax code replaces the placeholder, prod's synth says so; the others stay quiet.
    const warnings = Annotations.fromStack(env.events).findWarning(
      '*',
      Match.stringLikeRegexp("receipt book's tax code is the placeholder"),
    );
    expect(warnings.length).toBe(
      envName === 'prod' && env.config.receipts.collectorTaxCode === PLACEHOLDER_COLLECTOR_TAX_CODE
        ? withBook.length
        : 0,
    );
  });

  it('builds each schedule of shared/schedules.ts on an EventBridge rate, reading only what it declares', () => {
    for (const schedule of scheduleList) {
      const fn = fnOf(schedule.id);
      expect(fn.kind).toBe('schedule');
      env.templates.events.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: consumerFunctionName(envName, schedule.id),
        Timeout: schedule.timeoutSeconds,
      });
      env.templates.events.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: `rate(${schedule.everyMinutes} minutes)`,
      });
    }
  });

  it('builds one stream-consumer function per consumer of shared/events/consumers.ts', () => {
    expect([...env.events.functions.keys()]).toEqual([
      ...consumerList.map((c) => c.id),
      ...scheduleList.map((s) => s.id),
    ]);
    env.templates.events.resourceCountIs('AWS::Lambda::Function', consumerList.length + scheduleList.length);
    for (const consumer of consumerList) {
      const fn = fnOf(consumer.id);
      expect(fn.kind).toBe('stream-consumer');
      env.templates.events.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: consumerFunctionName(envName, consumer.id),
        Timeout: streamSettings(consumer).timeoutSeconds,
        Runtime: 'nodejs24.x',
      });
    }
  });

  it.each(consumerList.map((c) => [c.id, c] as const))(
    'feeds %s from the dossiers stream: filter, partial batch failures, bisection, bounded retries and age',
    (_id, consumer) => {
      const fn = fnOf(consumer.id);
      const settings = streamSettings(consumer);
      const streamArn = env.events.resolve(env.stateful.tables.dossiers.table.tableStreamArn);
      const mappings = env.templates.events.findResources('AWS::Lambda::EventSourceMapping', {
        Properties: { FunctionName: { Ref: logicalId(fn.function) } },
      });
      expect(Object.values(mappings)).toHaveLength(1);
      expect(Object.values(mappings)[0]?.Properties).toEqual({
        EventSourceArn: streamArn,
        FunctionName: { Ref: logicalId(fn.function) },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: settings.batchSize,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: settings.maxRetries,
        MaximumRecordAgeInSeconds: maxRecordAge.toSeconds(),
        ParallelizationFactor: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        // The pattern the local poller applies too: new event items of this consumer's names only.
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify(filterOf(consumer)) }] },
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(fn.deadLetterQueue as IConstruct), 'Arn'] } },
        },
      });
      // Bounded: a poison batch reaches the dead-letter queue within hours, never blocks its shard for a day.
      expect(settings.maxRetries).toBeLessThanOrEqual(10);
      expect(maxRecordAge.toHours()).toBeLessThan(24);
    },
  );

  it.each(consumerList.map((c) => [c.id, c] as const))(
    'dead-letters %s into its own encrypted, TLS-only queue that alarms the topic on any message',
    (_id, consumer) => {
      const fn = fnOf(consumer.id);
      const queueName = deadLetterQueueName(envName, consumer.id);
      const queue = env.templates.events.toJSON().Resources[logicalId(fn.deadLetterQueue as IConstruct)];
      expect(queue.Properties).toMatchObject({ QueueName: queueName, SqsManagedSseEnabled: true });
      env.templates.events.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(fn.deadLetterQueue as IConstruct) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
      // The function may send to its own queue (the mapping's on-failure destination), to no other.
      const policy = fn.node.tryFindChild('DataAccess') as IConstruct;
      const statements = (
        env.templates.events.toJSON().Resources[logicalId(policy)].Properties.PolicyDocument as {
          Statement: Statement[];
        }
      ).Statement;
      const sends = statements.filter((s) => asArray(s.Action).includes('sqs:SendMessage'));
      expect(sends.map((s) => s.Resource)).toEqual([
        { 'Fn::GetAtt': [logicalId(fn.deadLetterQueue as IConstruct), 'Arn'] },
      ]);
      expect(statements).toContainEqual({
        Effect: 'Allow',
        Action: [...streamActions],
        Resource: env.events.resolve(env.stateful.tables.dossiers.table.tableStreamArn),
      });

      const alarms = Object.values(env.templates.monitoring.findResources('AWS::CloudWatch::Alarm')).filter(
        (a) => a.Properties.Namespace === 'AWS/SQS',
      );
      const alarm = alarms.find((a) => a.Properties.Dimensions?.[0]?.Value === queueName);
      expect(alarm?.Properties).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: queueName }],
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [
          { Ref: env.monitoring.getLogicalId(env.monitoring.alarmTopic.node.defaultChild as never) },
        ],
      });
      expect(alarm?.Properties.OKActions).toBeUndefined();
    },
  );

  it('keeps the audit log append-only: its consumer may not delete or batch-write entries', () => {
    const policy = fnOf('audit-log').node.tryFindChild('DataAccess') as IConstruct;
    const actions = JSON.stringify(env.templates.events.toJSON().Resources[logicalId(policy)]);
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions).not.toContain('dynamodb:DeleteItem');
    expect(actions).not.toContain('dynamodb:BatchWriteItem');
    expect(actions).not.toContain('dynamodb:UpdateItem');
  });
});

describe('consumer declarations', () => {
  const outdir = scratchDir('events');
  afterAll(() => cleanUp(outdir));
  const build = (consumers: typeof consumerList) =>
    buildApp('dev', { outdir, context: skipBundling, nag: false, consumers });

  it('refuses two consumers with one id: the id names the function and the queue', () => {
    const [first] = consumerList;
    expect(() => build([first, first] as unknown as typeof consumerList)).toThrow(
      `Consumer id "${first.id}" must be unique kebab-case (it names the function and queue)`,
    );
  });

  it('refuses a consumer of a table that declares no stream', () => {
    const [first] = consumerList;
    const wrong = [{ ...first, source: 'catalogue' }] as unknown as typeof consumerList;
    expect(() => build(wrong)).toThrow(
      `Consumer ${first.id}: table catalogue declares no stream in shared/data/resources.ts`,
    );
  });
});
