// The local event source mapping: drives the consumers declared in shared/events/consumers.ts from DynamoDB Local's
// stream with the cloud mapping's rules, so the same handlers see the same batches and answer the same way.
//
// Per consumer and shard, like Lambda: records in stream order, one batch at a time; the consumer's filter applied
// before batching; a parent shard read to its end before its children; ReportBatchItemFailures honoured (checkpoint
// just before the lowest failed record, retry from it); a failed invocation bisected (BisectBatchOnFunctionError);
// bounded retries with exponential backoff, then the records go to a dead-letter file and the shard moves on.
// Approximations, on purpose: bisections do not count against the retry budget (the budget applies to the smallest
// batch, so a poison record is dead-lettered alone); the dead letter holds the records themselves (the cloud's SQS
// destination gets only the batch's shard and sequence range); no batching window, record-age limit, parallelization
// factor or tumbling window; shards are taken one after another in one loop per consumer.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import {
  type ConsumerDefinition,
  consumerList,
  filterOf,
  type StreamSettings,
  streamSettings,
} from '../shared/events/consumers';
import { type FilterPattern, matchesPattern } from '../shared/events/filter';
import type { StreamHandler } from '../shared/events/handler';
import { createLogger, type Logger } from '../shared/logging';
import { type DeadLetter, type DeadLetterSink, deadLetterDir, fileDeadLetters } from './dead-letters';
import {
  type CheckpointStore,
  type ConsumerCheckpoint,
  checkpointDir,
  fileCheckpoints,
} from './stream-checkpoints';
import { sharedReads } from './stream-shared-reads';
import {
  dynamoStreamSource,
  ExpiredIteratorError,
  ShardGoneError,
  type StreamSource,
  TrimmedError,
} from './stream-source';

export interface PolledConsumer {
  id: string;
  handler: StreamHandler;
  filter: FilterPattern;
  settings: StreamSettings;
}

export interface BatchReport {
  consumer: string;
  shardId: string;
  records: DynamoDBRecord[];
  outcome: 'ok' | 'partial' | 'threw';
  /** Sequence numbers set aside in the dead-letter queue after this batch. */
  deadLettered: string[];
}

export interface PollerOptions {
  source: StreamSource;
  consumers: PolledConsumer[];
  checkpoints: CheckpointStore;
  deadLetters: DeadLetterSink;
  /** Between reads of a shard that just had records, or after `wake()`. */
  pollMs?: number;
  /**
   * The longest wait between reads of a quiet stream: each empty pass doubles the wait from `pollMs` up to this
   * (default 1 s; `pollMs` itself when only that is given, so a caller that sets it polls at that pace).
   */
  idlePollMs?: number;
  /** How often the shard list is read again (at once when a shard ends). */
  describeEveryMs?: number;
  /** First retry delay; doubles per failed attempt up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Records per GetRecords call (the API allows 1,000). */
  readLimit?: number;
  log?: Logger;
  onBatch?: (report: BatchReport) => void;
}

export interface StreamPoller {
  /** Resolves once every consumer has caught up with the stream and has no retry pending. */
  settled(): Promise<void>;
  /**
   * Something may have written to the table (a function invocation ended): every consumer reads again no later than
   * `pollMs` after its last read, however long the stream had been quiet.
   */
  wake(): void;
  stop(): Promise<void>;
}

interface ShardRun {
  shardId: string;
  parentShardId?: string;
  after?: string;
  finished: boolean;
  iterator?: string;
  /** GetRecords said there is no next iterator: the shard is closed and everything is in the buffer. */
  ended: boolean;
  /** The checkpoint is no longer in the stream: read from the oldest record kept (consumers dedupe by event id). */
  fromHorizon: boolean;
  buffer: DynamoDBRecord[];
  attempts: number;
  /** Set while bisecting a failed batch. */
  batchLimit?: number;
  retryAt: number;
  /** The last read filled its page: more may be waiting in the stream, so read again at once. */
  fullPage?: boolean;
}

const seq = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber ?? '';
// Sequence numbers are decimal strings of up to 40 digits: compared as numbers, not as text.
const isAfter = (a: string, b: string) => BigInt(a) > BigInt(b);

function lambdaContext(consumer: PolledConsumer): Context {
  const deadline = Date.now() + consumer.settings.timeoutSeconds * 1000;
  const name = `motcua-local-${consumer.id}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function eventSummary(record: DynamoDBRecord): DeadLetter['event'] {
  try {
    const image = unmarshall((record.dynamodb?.NewImage ?? {}) as Parameters<typeof unmarshall>[0]);
    const event = image.event as { id?: string; name?: string; dossierCode?: string } | undefined;
    return event ? { id: event.id, name: event.name, dossierCode: event.dossierCode } : undefined;
  } catch {
    return undefined;
  }
}

type Invocation =
  | { outcome: 'ok' }
  | { outcome: 'partial'; index: number }
  | { outcome: 'threw'; error: string };

async function invoke(
  consumer: PolledConsumer,
  batch: DynamoDBRecord[],
  streamArn: string,
): Promise<Invocation> {
  const event: DynamoDBStreamEvent = { Records: batch.map((r) => ({ ...r, eventSourceARN: streamArn })) };
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`timed out after ${consumer.settings.timeoutSeconds} s`)),
        consumer.settings.timeoutSeconds * 1000,
      );
    });
    const response = (await Promise.race([consumer.handler(event, lambdaContext(consumer)), timeout])) as
      | DynamoDBBatchResponse
      | undefined
      | null;
    const failures = response?.batchItemFailures ?? [];
    if (!failures.length) return { outcome: 'ok' };
    // As Lambda: the lowest reported record is the checkpoint; an identifier it cannot find fails the whole batch.
    const indexes = failures.map((f) =>
      batch.findIndex((r) => f.itemIdentifier && seq(r) === f.itemIdentifier),
    );
    if (indexes.some((i) => i < 0))
      return { outcome: 'threw', error: 'invalid batchItemFailures identifier' };
    return { outcome: 'partial', index: Math.min(...indexes) };
  } catch (error) {
    return { outcome: 'threw', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

type LoopSettings = Required<Omit<PollerOptions, 'consumers' | 'onBatch'>> & Pick<PollerOptions, 'onBatch'>;

function consumerLoop(consumer: PolledConsumer, options: LoopSettings) {
  const { source, checkpoints, deadLetters, log } = options;
  const runs = new Map<string, ShardRun>();
  let checkpoint: ConsumerCheckpoint | undefined;
  let loaded = false;
  let describedAt = -Infinity;
  let refresh = false;
  const matches = (record: DynamoDBRecord) => matchesPattern(consumer.filter, record);

  async function persist(run: ShardRun) {
    if (!checkpoint) return;
    checkpoint.shards[run.shardId] = {
      ...(run.after ? { after: run.after } : {}),
      ...(run.finished ? { finished: true } : {}),
    };
    await checkpoints.save(consumer.id, checkpoint);
  }

  async function describe() {
    describedAt = Date.now();
    refresh = false;
    if (!loaded) {
      checkpoint = await checkpoints.load(consumer.id);
      loaded = true;
    }
    const streamArn = await source.streamArn();
    if (!streamArn) {
      runs.clear();
      return;
    }
    if (checkpoint?.streamArn !== streamArn) {
      if (checkpoint)
        log.info('new stream: starting from its oldest record', { consumer: consumer.id, streamArn });
      checkpoint = { streamArn, shards: {} };
      runs.clear();
      await checkpoints.save(consumer.id, checkpoint);
    }
    const listed = await source.shards(streamArn);
    const ids = new Set(listed.map((s) => s.shardId));
    for (const shard of listed) {
      if (runs.has(shard.shardId)) continue;
      const saved = checkpoint.shards[shard.shardId];
      runs.set(shard.shardId, {
        shardId: shard.shardId,
        ...(shard.parentShardId ? { parentShardId: shard.parentShardId } : {}),
        ...(saved?.after ? { after: saved.after } : {}),
        finished: saved?.finished ?? false,
        ended: false,
        fromHorizon: false,
        buffer: [],
        attempts: 0,
        retryAt: 0,
      });
    }
    // Shards trimmed from the stream are forgotten; their children no longer wait for them.
    let pruned = false;
    for (const id of [...runs.keys()]) if (!ids.has(id)) runs.delete(id);
    for (const id of Object.keys(checkpoint.shards)) {
      if (!ids.has(id)) {
        delete checkpoint.shards[id];
        pruned = true;
      }
    }
    if (pruned) await checkpoints.save(consumer.id, checkpoint);
  }

  async function deadLetter(
    run: ShardRun,
    records: DynamoDBRecord[],
    reason: DeadLetter['reason'],
    error?: string,
  ) {
    for (const record of records) {
      const event = eventSummary(record);
      await deadLetters.put({
        consumer: consumer.id,
        at: new Date().toISOString(),
        streamArn: checkpoint!.streamArn,
        shardId: run.shardId,
        sequenceNumber: seq(record),
        attempts: run.attempts,
        reason,
        ...(error ? { error } : {}),
        ...(event ? { event } : {}),
        record,
      });
    }
    log.error('dead-lettered after retries', {
      consumer: consumer.id,
      shardId: run.shardId,
      sequenceNumbers: records.map(seq),
      attempts: run.attempts,
      error,
    });
  }

  /** Takes records up to and including buffer index `last` off the shard: the checkpoint moves past them. */
  function advance(run: ShardRun, last: number) {
    const taken = run.buffer.splice(0, last + 1);
    run.after = seq(taken.at(-1)!);
    run.attempts = 0;
    delete run.batchLimit;
  }

  function backoff(run: ShardRun) {
    run.retryAt = Date.now() + Math.min(options.retryBaseMs * 2 ** (run.attempts - 1), options.retryMaxMs);
  }

  async function fill(run: ShardRun): Promise<boolean> {
    if (run.ended) {
      run.finished = true;
      refresh = true;
      await persist(run);
      return true;
    }
    const streamArn = checkpoint!.streamArn;
    if (!run.iterator) {
      try {
        run.iterator = await source.iterator(
          streamArn,
          run.shardId,
          run.after && !run.fromHorizon ? { after: run.after } : 'TRIM_HORIZON',
        );
        run.fromHorizon = false;
      } catch (error) {
        if (error instanceof TrimmedError) {
          log.warn('checkpoint no longer in the stream: replaying the shard from its oldest record', {
            consumer: consumer.id,
            shardId: run.shardId,
            after: run.after,
          });
          run.fromHorizon = true;
          return true;
        }
        if (error instanceof ShardGoneError) {
          run.finished = true;
          refresh = true;
          await persist(run);
          return true;
        }
        throw error;
      }
    }
    let page: Awaited<ReturnType<StreamSource['read']>>;
    try {
      page = await source.read(streamArn, run.iterator, options.readLimit);
    } catch (error) {
      if (error instanceof ExpiredIteratorError) {
        delete run.iterator;
        return true;
      }
      if (error instanceof TrimmedError) {
        delete run.iterator;
        run.fromHorizon = true;
        return true;
      }
      throw error;
    }
    if (page.next) run.iterator = page.next;
    else {
      delete run.iterator;
      run.ended = true;
    }
    // Read again from the oldest record kept, what the checkpoint already covers is not handed out twice.
    const fresh = run.after ? page.records.filter((r) => isAfter(seq(r), run.after!)) : page.records;
    run.buffer.push(...fresh);
    run.fullPage = page.records.length >= options.readLimit;
    return page.records.length > 0 || run.ended;
  }

  async function take(run: ShardRun): Promise<void> {
    // Records the filter drops are passed over, as Lambda does: they move the checkpoint and reach no one.
    let skip = 0;
    while (skip < run.buffer.length && !matches(run.buffer[skip]!)) skip += 1;
    if (skip > 0) {
      advance(run, skip - 1);
      if (!run.buffer.length) return persist(run);
    }
    const limit = run.batchLimit ?? consumer.settings.batchSize;
    const batch: DynamoDBRecord[] = [];
    let last = -1;
    for (let i = 0; i < run.buffer.length && batch.length < limit; i += 1) {
      if (!matches(run.buffer[i]!)) continue;
      batch.push(run.buffer[i]!);
      last = i;
    }
    const result = await invoke(consumer, batch, checkpoint!.streamArn);
    const deadLettered: string[] = [];
    if (result.outcome === 'ok') {
      advance(run, last);
    } else if (result.outcome === 'partial') {
      const failed = batch[result.index]!;
      if (result.index > 0) {
        // What came before the failed record is done; the retry starts at it.
        advance(run, run.buffer.indexOf(batch[result.index - 1]!));
        run.attempts = 1;
      } else run.attempts += 1;
      if (run.attempts > consumer.settings.maxRetries) {
        await deadLetter(run, [failed], 'reported');
        deadLettered.push(seq(failed));
        advance(run, run.buffer.indexOf(failed));
      } else backoff(run);
    } else if (consumer.settings.bisectOnError && batch.length > 1) {
      run.batchLimit = Math.ceil(batch.length / 2);
    } else {
      run.attempts += 1;
      if (run.attempts > consumer.settings.maxRetries) {
        await deadLetter(run, batch, 'threw', result.error);
        deadLettered.push(...batch.map(seq));
        advance(run, last);
      } else {
        log.warn('batch failed; retrying', {
          consumer: consumer.id,
          shardId: run.shardId,
          attempts: run.attempts,
          error: result.error,
        });
        backoff(run);
      }
    }
    options.onBatch?.({
      consumer: consumer.id,
      shardId: run.shardId,
      records: batch,
      outcome: result.outcome,
      deadLettered,
    });
    await persist(run);
  }

  /**
   * One pass over the eligible shards. `busy`: something was read or handled; `more`: records are waiting already (a
   * batch's worth left in a buffer, a full page read, a shard to describe again), so pass again at once. Otherwise a
   * busy consumer reads again `pollMs` later, as an event source mapping polls a shard a few times a second: what
   * arrives meanwhile makes one batch, not one invocation per record.
   */
  async function tick(): Promise<{ busy: boolean; more: boolean; wakeAt?: number }> {
    if (refresh || Date.now() - describedAt >= options.describeEveryMs) await describe();
    let busy = false;
    let wakeAt: number | undefined;
    for (const run of runs.values()) {
      if (run.finished) continue;
      const parent = run.parentShardId ? runs.get(run.parentShardId) : undefined;
      if (parent && !parent.finished) continue;
      if (run.retryAt > Date.now()) {
        wakeAt = Math.min(wakeAt ?? Infinity, run.retryAt);
        continue;
      }
      if (!run.buffer.length && !(await fill(run))) continue;
      busy = true;
      if (run.buffer.length) await take(run);
      if (run.retryAt > Date.now()) wakeAt = Math.min(wakeAt ?? Infinity, run.retryAt);
    }
    const more =
      refresh ||
      [...runs.values()].some((run) => !run.finished && (run.buffer.length > 0 || run.fullPage === true));
    return { busy, more, ...(wakeAt !== undefined ? { wakeAt } : {}) };
  }

  return { id: consumer.id, tick };
}

/** A wait that can be cut short: `wakeBy(at)` ends it at `at` if that is sooner than planned. */
function napper() {
  let timer: NodeJS.Timeout | undefined;
  let done: (() => void) | undefined;
  let dueAt = 0;
  const finish = () => {
    const resolve = done;
    done = undefined;
    resolve?.();
  };
  return {
    nap(ms: number) {
      return new Promise<void>((resolve) => {
        done = resolve;
        dueAt = Date.now() + ms;
        timer = setTimeout(finish, ms);
      });
    },
    wakeBy(at: number) {
      if (!done || at >= dueAt) return;
      clearTimeout(timer);
      dueAt = at;
      timer = setTimeout(finish, Math.max(0, at - Date.now()));
    },
  };
}

export function startStreamPoller(options: PollerOptions): StreamPoller {
  const settings = {
    pollMs: 150,
    describeEveryMs: 5_000,
    retryBaseMs: 200,
    retryMaxMs: 5_000,
    readLimit: 1_000,
    log: createLogger({ service: 'motcua', component: 'stream-poller' }),
    ...options,
    idlePollMs: options.idlePollMs ?? (options.pollMs !== undefined ? options.pollMs : 1_000),
  };
  let stopped = false;
  let idleWaiters: { pending: Set<string>; resolve: () => void }[] = [];
  const markIdle = (id: string) => {
    for (const waiter of idleWaiters) waiter.pending.delete(id);
    idleWaiters = idleWaiters.filter((waiter) => {
      if (waiter.pending.size) return true;
      waiter.resolve();
      return false;
    });
  };

  // Per consumer: how many passes in a row found nothing (the wait doubles with each), when it last read, its wait.
  const states = options.consumers.map(() => ({ quiet: 0, readAt: 0, sleep: napper() }));
  const loops = options.consumers.map(async (consumer, index) => {
    const loop = consumerLoop(consumer, settings);
    const state = states[index]!;
    while (!stopped) {
      let result: { busy: boolean; more: boolean; wakeAt?: number };
      try {
        result = await loop.tick();
      } catch (error) {
        if (stopped) break;
        settings.log.warn('stream read failed; trying again', { consumer: consumer.id, error });
        await state.sleep.nap(1_000);
        continue;
      }
      state.readAt = Date.now();
      if (result.busy) {
        state.quiet = 0;
        if (result.more) await new Promise((resolve) => setImmediate(resolve));
        else {
          if (stopped) break;
          const wait =
            result.wakeAt === undefined
              ? settings.pollMs
              : Math.min(result.wakeAt - Date.now(), settings.pollMs);
          await state.sleep.nap(Math.max(0, wait));
        }
        continue;
      }
      // Caught up with no retry pending: whoever waits for the consumers to settle may go on.
      if (result.wakeAt === undefined) markIdle(consumer.id);
      const cadence = Math.min(settings.pollMs * 2 ** state.quiet, settings.idlePollMs);
      state.quiet = Math.min(state.quiet + 1, 16);
      const wait = result.wakeAt === undefined ? cadence : Math.min(result.wakeAt - Date.now(), cadence);
      if (stopped) break;
      await state.sleep.nap(Math.max(0, wait));
    }
  });
  const wakeAll = (at: (state: (typeof states)[number]) => number) => {
    for (const state of states) {
      state.quiet = 0;
      state.sleep.wakeBy(at(state));
    }
  };

  return {
    settled() {
      // An idle pass that began before this call may have missed a record written just before it: wait for two, each
      // started at once rather than at the end of a quiet stream's longer wait.
      const once = () => {
        const passed = new Promise<void>((resolve) => {
          idleWaiters.push({ pending: new Set(options.consumers.map((c) => c.id)), resolve });
        });
        wakeAll(() => Date.now());
        return passed;
      };
      return once().then(once);
    },
    wake() {
      wakeAll((state) => state.readAt + settings.pollMs);
    },
    async stop() {
      stopped = true;
      wakeAll(() => 0);
      await Promise.all(loops);
      for (const waiter of idleWaiters) waiter.resolve();
    },
  };
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface StreamConsumersOptions {
  /** DynamoDB Local's URL. */
  dynamodb: string;
  /** The physical name of the table whose stream the consumers read (the dossiers table). */
  tableName: string;
  /** Checkpoints and dead letters live here; a fresh temporary folder when omitted. */
  dataDir?: string;
  consumers?: readonly ConsumerDefinition[];
  /** Overrides of every consumer's stream settings (tests shorten the retries). */
  settings?: Partial<StreamSettings>;
  /** Loads a consumer's handler; the default imports its module from the repository. */
  loadHandler?: (definition: ConsumerDefinition) => Promise<StreamHandler>;
  region?: string;
  pollMs?: number;
  idlePollMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  onBatch?: PollerOptions['onBatch'];
}

/** Starts the declared consumers on the embedded stack's stream; the handlers read their tables from process.env. */
export async function startStreamConsumers(
  options: StreamConsumersOptions,
): Promise<StreamPoller & { dataDir: string }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'motcua-streams-'));
  const config = {
    endpoint: options.dynamodb,
    region: options.region ?? 'ap-southeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const load =
    options.loadHandler ??
    (async (definition: ConsumerDefinition) =>
      ((await import(join(repoRoot, definition.handler))) as { handler: StreamHandler }).handler);
  const definitions = options.consumers ?? consumerList;
  const consumers = await Promise.all(
    definitions.map(async (definition) => ({
      id: definition.id,
      handler: await load(definition),
      filter: filterOf(definition),
      settings: { ...streamSettings(definition), ...options.settings },
    })),
  );
  const poller = startStreamPoller({
    // Each consumer reads from where it stands, as an event source mapping does; the reads are shared.
    source: sharedReads(
      dynamoStreamSource({
        dynamodb: new DynamoDBClient(config),
        streams: new DynamoDBStreamsClient(config),
        tableName: options.tableName,
      }),
    ),
    consumers,
    checkpoints: fileCheckpoints(checkpointDir(dataDir)),
    deadLetters: fileDeadLetters(deadLetterDir(dataDir)),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    ...(options.idlePollMs !== undefined ? { idlePollMs: options.idlePollMs } : {}),
    ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
    ...(options.retryMaxMs !== undefined ? { retryMaxMs: options.retryMaxMs } : {}),
    ...(options.onBatch ? { onBatch: options.onBatch } : {}),
  });
  return { ...poller, dataDir };
}
