// The stream consumers of shared/events/consumers.ts: a function each, fed by an event source mapping on its table's
// stream with the consumer's filter, partial batch responses, bisection, bounded retries and a dead-letter queue.

import { Annotations, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { receiptBookEnvironment } from '../../shared/config';
import { PLACEHOLDER_COLLECTOR_TAX_CODE } from '../../shared/domain/issued-receipts';
import { type ConsumerDefinition, filterOf, streamSettings } from '../../shared/events/consumers';
import type { ScheduleDefinition } from '../../shared/schedules';
import type { EnvironmentConfig } from '../config/environments';
import { grantAgencyWebhooks } from '../constructs/agency-webhook-grants';
import { MotcuaFunction } from '../constructs/motcua-function';
import { grantNotifications } from '../constructs/notification-grants';
import { applyGrants, consumerGrants, type NarrowedUses } from '../least-privilege';
import { secretResource } from '../secrets';
import { pascal, type StatefulStack } from './stateful-stack';
import { routingStateMachine } from './workflow-stack';

export interface EventsStackProps extends StackProps {
  config: EnvironmentConfig;
  stateful: StatefulStack;
  consumers: readonly ConsumerDefinition[];
  appVersion: string;
  /** Narrowed grants by consumer id; infra/least-privilege.ts's unless a test passes its own. */
  grants?: Partial<Record<string, NarrowedUses>>;
  /** Scheduled background functions (shared/schedules.ts), each on an EventBridge rate schedule. */
  schedules?: readonly ScheduleDefinition[];
}

/**
 * Records older than this are dead-lettered instead of retried. The stream keeps records 24 h and the dead letter
 * holds only their shard and sequence range, so this leaves 18 h to replay a dead-lettered batch from the stream.
 */
export const maxRecordAge = Duration.hours(6);

export function consumerFunctionName(envName: string, consumerId: string): string {
  return `motcua-${envName}-${consumerId}`;
}

export function deadLetterQueueName(envName: string, consumerId: string): string {
  return `motcua-${envName}-${consumerId}-dlq`;
}

export class EventsStack extends Stack {
  /** The function of each consumer, by consumer id. */
  readonly functions = new Map<string, MotcuaFunction>();

  constructor(scope: Construct, id: string, props: EventsStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const ids = new Set<string>();
    // By name, no reference into the workflow stack (workflow-stack.ts says why); built once, for who declares it.
    let workflow: ReturnType<typeof routingStateMachine> | undefined;

    for (const consumer of props.consumers) {
      if (!/^[a-z][a-z0-9-]*$/.test(consumer.id) || ids.has(consumer.id)) {
        throw new Error(
          `Consumer id "${consumer.id}" must be unique kebab-case (it names the function and queue)`,
        );
      }
      ids.add(consumer.id);
      const stream = stateful.streams[consumer.source];
      if (!stream) {
        throw new Error(
          `Consumer ${consumer.id}: table ${consumer.source} declares no stream in shared/data/resources.ts`,
        );
      }
      const settings = streamSettings(consumer);
      const fn = new MotcuaFunction(this, `${pascal(consumer.id)}Consumer`, {
        kind: 'stream-consumer',
        functionName: consumerFunctionName(config.name, consumer.id),
        entry: consumer.handler,
        description: `On ${consumer.events.join(', ')}: ${consumer.description}`.slice(0, 256),
        memoryMb: config.lambdaMemoryMb,
        timeoutSeconds: settings.timeoutSeconds,
        logRetention: config.logRetention,
        removalPolicy,
        environment: { STAGE: config.name, LOG_LEVEL: config.logLevel, APP_VERSION: props.appVersion },
      });
      const grants: Partial<Record<string, NarrowedUses>> = props.grants ?? consumerGrants;
      const narrowed = grants[consumer.id];
      applyGrants(fn, stateful, `Consumer ${consumer.id}`, consumer.uses, narrowed);
      if (consumer.workflow) {
        workflow ??= routingStateMachine(this, config.name);
        fn.use(workflow, consumer.workflow);
      }
      if (consumer.sends?.length) grantNotifications(fn, config, consumer.sends);
      if (consumer.notifies) grantAgencyWebhooks(fn, config.name);
      if (consumer.issuesReceipts) {
        for (const [name, value] of Object.entries(receiptBookEnvironment(config.receipts)))
          fn.setEnv(name, value);
        if (config.name === 'prod' && config.receipts.collectorTaxCode === PLACEHOLDER_COLLECTOR_TAX_CODE) {
          Annotations.of(fn).addWarningV2(
            'motcua:receipt-placeholder-tax-code',
            "The receipt book's tax code is the placeholder: set prod's receipts.collectorTaxCode to the center's registered one before the first real receipt",
          );
        }
      }
      fn.consume(stream, {
        filter: filterOf(consumer),
        batchSize: settings.batchSize,
        maxRetries: settings.maxRetries,
        bisectOnError: settings.bisectOnError,
        maxRecordAge,
        deadLetterQueueName: deadLetterQueueName(config.name, consumer.id),
      });
      this.functions.set(consumer.id, fn);
    }

    for (const schedule of props.schedules ?? []) {
      if (!/^[a-z][a-z0-9-]*$/.test(schedule.id) || ids.has(schedule.id)) {
        throw new Error(`Schedule id "${schedule.id}" must be unique kebab-case (it names the function)`);
      }
      ids.add(schedule.id);
      const fn = new MotcuaFunction(this, `${pascal(schedule.id)}Schedule`, {
        kind: 'schedule',
        functionName: consumerFunctionName(config.name, schedule.id),
        entry: schedule.handler,
        description: `Every ${schedule.everyMinutes} min: ${schedule.description}`.slice(0, 256),
        memoryMb: config.lambdaMemoryMb,
        timeoutSeconds: schedule.timeoutSeconds,
        logRetention: config.logRetention,
        removalPolicy,
        environment: { STAGE: config.name, LOG_LEVEL: config.logLevel, APP_VERSION: props.appVersion },
        schedule: Schedule.rate(Duration.minutes(schedule.everyMinutes)),
      });
      applyGrants(fn, stateful, `Schedule ${schedule.id}`, schedule.uses, undefined);
      for (const id of schedule.secrets ?? []) fn.use(secretResource(this, id, config.name), 'read');
      this.functions.set(schedule.id, fn);
    }
  }
}
