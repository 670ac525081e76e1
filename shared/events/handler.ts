// The wrappers stream consumers use, the analogue of httpRoute: filter, parse, hand the events to the use case in
// stream order (`onEvents` one at a time, `onEventBatches` all of a batch at once), and answer Lambda's partial batch
// response.
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

/** What a batch handler is given beside its events: the invocation's log, metrics and request id. */
export type BatchContext = Omit<EventContext, 'record'>;

/** One invocation's log, metrics and request id, as the wrappers pass them around. */
interface Invocation {
  log: Logger;
  metrics: FunctionMetrics;
  requestId: string | undefined;
}

type Consume = (
  records: DynamoDBRecord[],
  parsed: Parsed,
  invocation: Invocation,
) => Promise<DynamoDBBatchResponse>;

/**
 * The records' events in stream order, up to the first that does not parse (a producer's bug: it and the records
 * after it are reported, `invalidAt`, once the events before it are handled).
 */
interface Parsed {
  events: { event: DomainEvent; record: DynamoDBRecord; index: number }[];
  invalidAt?: number;
}

function streamConsumer(
  names: readonly EventName[],
  options: OnEventsOptions,
  consume: Consume,
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
      const records = streamEvent.Records ?? [];
      const current = { log: invocation.log, metrics: invocation.metrics, requestId: context?.awsRequestId };
      return await consume(records, parse(records, pattern, current), current);
    } finally {
      runtime.end(invocation);
    }
  };
}

function parse(
  records: DynamoDBRecord[],
  pattern: ReturnType<typeof eventFilterPattern>,
  { log, metrics, requestId }: Invocation,
): Parsed {
  const events: Parsed['events'] = [];
  for (const [index, record] of records.entries()) {
    if (!matchesPattern(pattern, record)) continue;
    try {
      const item = unmarshall(record.dynamodb!.NewImage as Image);
      events.push({ event: parseEvent(item.event), record, index });
    } catch (error) {
      log.error('invalid event', {
        requestId,
        sequenceNumber: record.dynamodb?.SequenceNumber,
        issues:
          error instanceof z.core.$ZodError
            ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
            : [],
        error,
      });
      metrics.countOperational('EventsFailed');
      return { events, invalidAt: index };
    }
  }
  return { events };
}

const rest = (records: DynamoDBRecord[], parsed: Parsed): DynamoDBBatchResponse =>
  parsed.invalidAt === undefined ? { batchItemFailures: [] } : failuresFrom(records.slice(parsed.invalidAt));

/** Each event by itself, in stream order: the first that throws stops the batch and is retried with the rest. */
export function onEvents<const N extends EventName>(
  names: readonly N[],
  handle: (event: EventOf<N>, context: EventContext) => Promise<unknown>,
  options: OnEventsOptions,
): StreamHandler {
  return streamConsumer(names, options, async (records, parsed, { log, metrics, requestId }) => {
    for (const { event, record, index } of parsed.events) {
      const keys = { requestId, eventId: event.id, event: event.name, dossierCode: event.dossierCode };
      const started = performance.now();
      try {
        await handle(event as EventOf<N>, {
          log: log.child(keys),
          metrics,
          record,
          ...(requestId ? { requestId } : {}),
        });
      } catch (error) {
        log.error('event failed', { ...keys, sequenceNumber: record.dynamodb?.SequenceNumber, error });
        metrics.countOperational('EventsFailed');
        return failuresFrom(records.slice(index));
      }
      log.info('consumed', { ...keys, ms: Math.round(performance.now() - started) });
    }
    return rest(records, parsed);
  });
}

/**
 * The batch's events at once, in stream order, for a consumer whose writes combine (the audit log: one transaction
 * for many entries). If the handler throws, every record from the first event on is reported, and the handler must be
 * idempotent by event id for the ones it had already done; Lambda's bisection then narrows a failing batch down to
 * the record at fault.
 */
export function onEventBatches<const N extends EventName>(
  names: readonly N[],
  handle: (events: EventOf<N>[], context: BatchContext) => Promise<unknown>,
  options: OnEventsOptions,
): StreamHandler {
  return streamConsumer(names, options, async (records, parsed, { log, metrics, requestId }) => {
    const first = parsed.events[0];
    if (first) {
      const started = performance.now();
      const eventIds = parsed.events.map(({ event }) => event.id);
      try {
        await handle(
          parsed.events.map(({ event }) => event as EventOf<N>),
          { log: log.child({ requestId }), metrics, ...(requestId ? { requestId } : {}) },
        );
      } catch (error) {
        log.error('events failed', {
          requestId,
          eventIds,
          sequenceNumber: first.record.dynamodb?.SequenceNumber,
          error,
        });
        metrics.countOperational('EventsFailed');
        return failuresFrom(records.slice(first.index));
      }
      log.info('consumed', { requestId, eventIds, ms: Math.round(performance.now() - started) });
    }
    return rest(records, parsed);
  });
}
