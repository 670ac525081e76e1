// The one wrapper every stream consumer uses, the analogue of httpRoute: filter, parse, hand each event to the use
// case in stream order, and answer Lambda's partial batch response.
//
// Failure semantics: the first event that throws, or does not parse, stops the batch; it and every later record are
// reported, so Lambda checkpoints just before it and retries from there (records of one batch come from one shard,
// in order). An event that fails its schema is a producer's bug: it is reported like a failure, so it is retried and
// then dead-lettered with the stream's retry settings, instead of being dropped from the audit log unseen.
//
// Configuration, logging, metrics and error handling are the HTTP wrapper's (shared/observability/runtime.ts): the
// resources the consumer declares (shared/events/consumers.ts) are named at module load, a failed event is logged with
// its stack and counted (EventsFailed), and the invocation's metrics are flushed before it answers.
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { requireResourceNames } from '../config';
import type { ResourceId } from '../data/resources';
import { type DomainEvent, type EventName, parseEvent } from '../domain/events';
import type { Logger } from '../logging';
import type { BusinessMetrics, FunctionMetrics } from '../observability/metrics';
import { functionRuntime } from '../observability/runtime';
import * as z from '../schemas/zod';
import { consumerList } from './consumers';
import { eventFilterPattern, matchesPattern } from './filter';

export interface EventContext {
  log: Logger;
  /** Business counts, and the operational ones a consumer owns (e.g. NotificationsFailed); flushing is the wrapper's. */
  metrics: BusinessMetrics & Pick<FunctionMetrics, 'countOperational'>;
  record: DynamoDBRecord;
  requestId?: string;
}

export interface OnEventsOptions {
  /** The consumer's id (shared/events/consumers.ts): its logs, marks and dead letters carry it. */
  consumer: string;
}

/** One of the named events, narrowed by `name` (DomainEvent<'A' | 'B'> would not discriminate its payload). */
export type EventOf<N extends EventName> = N extends EventName ? DomainEvent<N> : never;

export type StreamHandler = (event: DynamoDBStreamEvent, context?: Context) => Promise<DynamoDBBatchResponse>;

type Image = Parameters<typeof unmarshall>[0];

function failuresFrom(records: DynamoDBRecord[]): DynamoDBBatchResponse {
  // An empty identifier makes Lambda retry the whole batch: the right answer for a record it cannot name.
  return {
    batchItemFailures: records.map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' })),
  };
}

export function onEvents<const N extends EventName>(
  names: readonly N[],
  handle: (event: EventOf<N>, context: EventContext) => Promise<unknown>,
  options: OnEventsOptions,
): StreamHandler {
  // The same pattern the event source mapping filters with: a record it lets through by mistake is still skipped.
  const pattern = eventFilterPattern(names);
  // A declared consumer names its tables at cold start; an ad-hoc one (tests, benches) declares nothing.
  const declared = consumerList.find((c) => c.id === options.consumer);
  requireResourceNames(Object.keys(declared?.uses ?? {}) as ResourceId[]);
  const runtime = functionRuntime(options.consumer, { consumer: options.consumer });

  return async (streamEvent, context) => {
    const invocation = runtime.begin(context);
    try {
      return await consume(streamEvent, context, invocation.log, invocation.metrics);
    } finally {
      runtime.end(invocation);
    }
  };

  async function consume(
    streamEvent: DynamoDBStreamEvent,
    context: Context | undefined,
    log: Logger,
    metrics: FunctionMetrics,
  ): Promise<DynamoDBBatchResponse> {
    const records = streamEvent.Records ?? [];
    const requestId = context?.awsRequestId;
    for (const [index, record] of records.entries()) {
      if (!matchesPattern(pattern, record)) continue;
      const sequenceNumber = record.dynamodb?.SequenceNumber;
      let event: EventOf<N>;
      try {
        const item = unmarshall(record.dynamodb!.NewImage as Image);
        event = parseEvent(item.event) as EventOf<N>;
      } catch (error) {
        log.error('invalid event', {
          requestId,
          sequenceNumber,
          issues:
            error instanceof z.core.$ZodError
              ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
              : [],
          error,
        });
        metrics.countOperational('EventsFailed');
        return failuresFrom(records.slice(index));
      }
      const keys = { requestId, eventId: event.id, event: event.name, dossierCode: event.dossierCode };
      const started = performance.now();
      try {
        await handle(event, {
          log: log.child(keys),
          metrics,
          record,
          ...(requestId ? { requestId } : {}),
        });
      } catch (error) {
        log.error('event failed', { ...keys, sequenceNumber, error });
        metrics.countOperational('EventsFailed');
        return failuresFrom(records.slice(index));
      }
      log.info('consumed', { ...keys, ms: Math.round(performance.now() - started) });
    }
    return { batchItemFailures: [] };
  }
}
