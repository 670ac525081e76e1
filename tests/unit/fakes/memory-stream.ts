// An in-memory DynamoDB stream with the behaviours the poller must survive: shards that close and have children,
// trimmed records, iterators that expire; and in-memory checkpoint and dead-letter stores.
import type { DynamoDBRecord } from 'aws-lambda';
import type { DeadLetter, DeadLetterSink } from '../../../local/dead-letters';
import type { CheckpointStore, ConsumerCheckpoint } from '../../../local/stream-checkpoints';
import {
  ShardGoneError,
  type StartPosition,
  type StreamShard,
  type StreamSource,
  TrimmedError,
} from '../../../local/stream-source';

interface FakeShard extends StreamShard {
  records: DynamoDBRecord[];
  closed: boolean;
  /** Records before this index were trimmed. */
  trimmed: number;
}

const seqOf = (r: DynamoDBRecord) => BigInt(r.dynamodb!.SequenceNumber!);

export function memoryStream(streamArn = 'arn:stream/1') {
  const shards = new Map<string, FakeShard>();
  let arn: string | undefined = streamArn;
  const calls = { iterators: [] as { shardId: string; from: StartPosition }[], reads: 0 };
  const source: StreamSource = {
    async streamArn() {
      return arn;
    },
    async shards() {
      return [...shards.values()].map(({ shardId, parentShardId }) => ({
        shardId,
        ...(parentShardId ? { parentShardId } : {}),
      }));
    },
    async iterator(_arn, shardId, from) {
      calls.iterators.push({ shardId, from });
      const shard = shards.get(shardId);
      if (!shard) throw new ShardGoneError(shardId);
      if (from === 'TRIM_HORIZON') return `${shardId}|${shard.trimmed}`;
      const index = shard.records.findIndex((r) => seqOf(r) === BigInt(from.after));
      if (index < shard.trimmed) throw new TrimmedError(`${from.after} trimmed`);
      return `${shardId}|${index + 1}`;
    },
    async read(_arn, iterator, limit) {
      calls.reads += 1;
      const [shardId, at] = iterator.split('|') as [string, string];
      const shard = shards.get(shardId)!;
      const start = Math.max(Number(at), shard.trimmed);
      const records = shard.records.slice(start, start + limit);
      const end = start + records.length;
      const next = shard.closed && end >= shard.records.length ? undefined : `${shardId}|${end}`;
      return { records: structuredClone(records), ...(next ? { next } : {}) };
    },
  };
  return {
    source,
    calls,
    addShard(shardId: string, parentShardId?: string) {
      shards.set(shardId, {
        shardId,
        ...(parentShardId ? { parentShardId } : {}),
        records: [],
        closed: false,
        trimmed: 0,
      });
    },
    append(shardId: string, ...records: DynamoDBRecord[]) {
      shards.get(shardId)!.records.push(...records);
    },
    close(shardId: string) {
      shards.get(shardId)!.closed = true;
    },
    trim(shardId: string, count: number) {
      shards.get(shardId)!.trimmed = count;
    },
    drop(shardId: string) {
      shards.delete(shardId);
    },
    replaceStream(next: string) {
      arn = next;
      shards.clear();
    },
  };
}

export function memoryCheckpoints(): CheckpointStore & { saved: Map<string, ConsumerCheckpoint> } {
  const saved = new Map<string, ConsumerCheckpoint>();
  return {
    saved,
    async load(consumer) {
      const found = saved.get(consumer);
      return found && structuredClone(found);
    },
    async save(consumer, checkpoint) {
      saved.set(consumer, structuredClone(checkpoint));
    },
  };
}

export function memoryDeadLetters(): DeadLetterSink & { letters: DeadLetter[] } {
  const letters: DeadLetter[] = [];
  return {
    letters,
    async put(letter) {
      letters.push(letter);
    },
  };
}
