import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { type StreamPoller, startStreamPoller } from '../../local/stream-poller';
import { sharedReads } from '../../local/stream-shared-reads';
import { ExpiredIteratorError, ShardGoneError, type StreamSource } from '../../local/stream-source';
import { defaultStreamSettings } from '../../shared/events/consumers';
import { memoryCheckpoints, memoryDeadLetters, memoryStream } from './fakes/memory-stream';
import { streamRecord } from './support/stream';

process.env.LOG_LEVEL = 'silent';
const ARN = 'arn:stream/1';

const seqs = (records: DynamoDBRecord[]) => records.map((r) => Number(r.dynamodb!.SequenceNumber));

function streamWith(count: number) {
  const stream = memoryStream(ARN);
  stream.addShard('shard-1');
  const records = Array.from({ length: count }, (_, i) => streamRecord({ pk: `P#${i}`, sk: 'META' }, i + 1));
  stream.append('shard-1', ...records);
  return stream;
}

/** Reads a shard from `token` until a read brings nothing new (or the shard ends). */
async function drain(source: StreamSource, token: string, limit = 1_000) {
  const seen: DynamoDBRecord[] = [];
  let next: string | undefined = token;
  while (next) {
    const page: Awaited<ReturnType<StreamSource['read']>> = await source.read(ARN, next, limit);
    seen.push(...page.records);
    next = page.next;
    if (!page.records.length) break;
  }
  return { seen, next };
}

describe('shared stream reads', () => {
  it('serves every consumer the whole shard in order from one real read', async () => {
    const stream = streamWith(5);
    const shared = sharedReads(stream.source, { freshMs: 60_000 });
    for (const _ of [1, 2, 3]) {
      const { seen } = await drain(shared, await shared.iterator(ARN, 'shard-1', 'TRIM_HORIZON'));
      expect(seqs(seen)).toEqual([1, 2, 3, 4, 5]);
    }
    expect(stream.calls.reads).toBe(1);
    expect(stream.calls.iterators).toHaveLength(1);
  });

  it('makes concurrent reads at the tail one real read, and each reader gets what came', async () => {
    const stream = streamWith(2);
    const shared = sharedReads(stream.source, { freshMs: 0 });
    const tokens = await Promise.all(
      [1, 2, 3].map(
        async () => (await drain(shared, await shared.iterator(ARN, 'shard-1', 'TRIM_HORIZON'))).next!,
      ),
    );
    stream.append('shard-1', streamRecord({ pk: 'P#new', sk: 'META' }, 3));
    const before = stream.calls.reads;
    const pages = await Promise.all(tokens.map((token) => shared.read(ARN, token, 100)));
    expect(pages.map((page) => seqs(page.records))).toEqual([[3], [3], [3]]);
    expect(stream.calls.reads - before).toBe(1);
  });

  it('answers a read at the tail from the window when the last real read is fresh, and reads once it is not', async () => {
    const stream = streamWith(1);
    let clock = 0;
    const shared = sharedReads(stream.source, { freshMs: 20, now: () => clock });
    const { next } = await drain(shared, await shared.iterator(ARN, 'shard-1', 'TRIM_HORIZON'));
    stream.append('shard-1', streamRecord({ pk: 'P#new', sk: 'META' }, 2));
    clock = 10;
    const early = await shared.read(ARN, next!, 100);
    expect(early.records).toEqual([]);
    expect(early.next).toBe(next);
    clock = 30;
    expect(seqs((await shared.read(ARN, next!, 100)).records)).toEqual([2]);
  });

  it('lets a consumer behind the window read for itself until it reaches the window, then share', async () => {
    const stream = streamWith(10);
    const shared = sharedReads(stream.source, { windowSize: 4, freshMs: 0 });
    await drain(shared, await shared.iterator(ARN, 'shard-1', 'TRIM_HORIZON'));
    // The window now keeps records 9 and 10; a consumer whose checkpoint is record 3 is behind it.
    const behind = await shared.iterator(ARN, 'shard-1', { after: '000000000000000000003' });
    expect(behind.startsWith('shared|')).toBe(false);
    const first = await shared.read(ARN, behind, 3);
    expect(seqs(first.records)).toEqual([4, 5, 6]);
    const second = await shared.read(ARN, first.next!, 3);
    expect(seqs(second.records)).toEqual([7, 8, 9]);
    expect(second.next!.startsWith('shared|')).toBe(true);
    const reads = stream.calls.reads;
    expect(seqs((await shared.read(ARN, second.next!, 3)).records)).toEqual([10]);
    expect(stream.calls.reads).toBe(reads);
  });

  it('ends a closed shard after its last record, for every reader', async () => {
    const stream = streamWith(3);
    stream.close('shard-1');
    const shared = sharedReads(stream.source);
    for (const _ of [1, 2]) {
      const token = await shared.iterator(ARN, 'shard-1', 'TRIM_HORIZON');
      const first = await shared.read(ARN, token, 2);
      expect(seqs(first.records)).toEqual([1, 2]);
      expect(first.next).toBeDefined();
      const last = await shared.read(ARN, first.next!, 2);
      expect(seqs(last.records)).toEqual([3]);
      expect(last.next).toBeUndefined();
    }
  });

  it('takes a new real iterator where the window ends when the tail iterator has expired', async () => {
    const stream = streamWith(2);
    let expire = false;
    const source: StreamSource = {
      ...stream.source,
      async read(...args) {
        if (expire) {
          expire = false;
          throw new ExpiredIteratorError('expired');
        }
        return stream.source.read(...args);
      },
    };
    const shared = sharedReads(source, { freshMs: 0 });
    const { next } = await drain(shared, await shared.iterator(ARN, 'shard-1', 'TRIM_HORIZON'));
    stream.append('shard-1', streamRecord({ pk: 'P#new', sk: 'META' }, 3));
    expire = true;
    expect(seqs((await shared.read(ARN, next!, 100)).records)).toEqual([3]);
    expect(stream.calls.iterators.at(-1)).toEqual({
      shardId: 'shard-1',
      from: { after: '000000000000000000002' },
    });
  });

  it('passes on what the stream says of a shard it does not have', async () => {
    const shared = sharedReads(streamWith(1).source);
    await expect(shared.iterator(ARN, 'shard-9', 'TRIM_HORIZON')).rejects.toBeInstanceOf(ShardGoneError);
  });
});

describe('the poller on shared reads', () => {
  const running: StreamPoller[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
  });

  it('gives each of three consumers every record once, in stream order, from shared reads', async () => {
    const stream = streamWith(0);
    const shared = sharedReads(stream.source);
    const seen = new Map<string, number[]>();
    const consumer = (id: string) => ({
      id,
      handler: async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
        seen.set(id, [...(seen.get(id) ?? []), ...seqs(event.Records)]);
        return { batchItemFailures: [] };
      },
      filter: {},
      settings: { ...defaultStreamSettings, batchSize: 3 },
    });
    const poller = startStreamPoller({
      source: shared,
      consumers: [consumer('a'), consumer('b'), consumer('c')],
      checkpoints: memoryCheckpoints(),
      deadLetters: memoryDeadLetters(),
      pollMs: 2,
      describeEveryMs: 0,
    });
    running.push(poller);
    for (let i = 1; i <= 20; i += 1) {
      stream.append('shard-1', streamRecord({ pk: `P#${i}`, sk: 'META' }, i));
      if (i % 5 === 0) await poller.settled();
    }
    await poller.settled();
    const all = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(Object.fromEntries(seen)).toEqual({ a: all, b: all, c: all });
    expect(shared.counts.servedReads).toBeGreaterThan(shared.counts.realReads);
  });
});
