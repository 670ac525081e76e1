// One read of a shard for all the local consumers. Each consumer loop of the poller reads the stream on its own, as
// each event source mapping does in the cloud; with ten consumers on the dossiers table that was ten GetRecords of
// every shard each time the stack woke them, and ten deserializations of the same records on the stack's one thread
// (bench:day --count 60 under --cpu-prof: 14.6 s of the stack thread's SDK work before, 3.8 s after). This wraps a
// StreamSource so that consumers at the tail of a shard share one real iterator and one real read, and every consumer
// is served the records it asks for from a window of the shard's recent records. A consumer behind the window (an old
// checkpoint after a restart) reads for itself until it reaches the window. What a consumer sees does not change: the
// same records, in the same order, from the position it asks for, the shard's end after its last record.
//
// Iterators handed out are positions (`shared|<shard>|<after>`), so a read can be repeated with the same one, as the
// poller does after a failure. The window keeps the newest `windowSize` records of each shard, far less than the 24
// hours a stream keeps, so it never serves a record the stream itself no longer has for long.
import type { DynamoDBRecord } from 'aws-lambda';
import { ExpiredIteratorError, type StartPosition, type StreamSource } from './stream-source';

export interface SharedReadOptions {
  /** Records kept per shard; when passed, the older half is dropped. */
  windowSize?: number;
  /**
   * A read at the tail this soon after the last real one answers from the window without reading (ms). Default 0:
   * a consumer that reads at the tail always learns what the stream has, so `settled()` (every consumer caught up)
   * stays true to its word; concurrent reads at the tail are one real read all the same.
   */
  freshMs?: number;
  now?: () => number;
}

/** What the real stream was asked, for the benches and tests. */
export interface SharedReadCounts {
  realReads: number;
  realIterators: number;
  servedReads: number;
}

interface ShardWindow {
  /** The position just before `records[0]`. */
  head: StartPosition;
  records: DynamoDBRecord[];
  /** Index in `records` by sequence number. */
  index: Map<string, number>;
  /** The real iterator after the window's last record; undefined once the shard has ended. */
  tail?: string;
  ended: boolean;
  readAt: number;
  reading?: Promise<void>;
}

const seq = (record: DynamoDBRecord) => record.dynamodb!.SequenceNumber!;
const SHARED = 'shared|';
const PRIVATE = 'private|';

function positionKey(from: StartPosition) {
  return from === 'TRIM_HORIZON' ? 'TRIM_HORIZON' : `after:${from.after}`;
}

export function sharedReads(
  source: StreamSource,
  options: SharedReadOptions = {},
): StreamSource & { counts: SharedReadCounts } {
  const windowSize = options.windowSize ?? 2_000;
  const freshMs = options.freshMs ?? 0;
  const now = options.now ?? Date.now;
  const windows = new Map<string, ShardWindow>();
  /** Real iterators of consumers reading behind a window, by the token handed out. */
  const privates = new Map<string, string>();
  let privateIds = 0;
  const counts: SharedReadCounts = { realReads: 0, realIterators: 0, servedReads: 0 };
  const key = (streamArn: string, shardId: string) => `${streamArn} ${shardId}`;

  /** Where `from` falls in the window: the index of the first record after it, or undefined if outside. */
  function startIn(window: ShardWindow, from: StartPosition): number | undefined {
    if (positionKey(from) === positionKey(window.head)) return 0;
    if (from === 'TRIM_HORIZON') return undefined;
    const at = window.index.get(from.after);
    return at === undefined ? undefined : at + 1;
  }

  function sharedToken(shardId: string, from: StartPosition) {
    return `${SHARED}${shardId}|${from === 'TRIM_HORIZON' ? '' : from.after}`;
  }

  function parseShared(token: string): { shardId: string; from: StartPosition } {
    const rest = token.slice(SHARED.length);
    const bar = rest.lastIndexOf('|');
    const after = rest.slice(bar + 1);
    return { shardId: rest.slice(0, bar), from: after ? { after } : 'TRIM_HORIZON' };
  }

  function append(window: ShardWindow, records: DynamoDBRecord[]) {
    for (const record of records) {
      if (window.index.has(seq(record))) continue;
      window.index.set(seq(record), window.records.length);
      window.records.push(record);
    }
    if (window.records.length > windowSize) {
      const dropped = window.records.splice(0, window.records.length - Math.floor(windowSize / 2));
      window.head = { after: seq(dropped.at(-1)!) };
      window.index = new Map(window.records.map((record, i) => [seq(record), i]));
    }
  }

  /** One real read at the window's tail for every consumer that asks while it runs. */
  function readTail(streamArn: string, shardId: string, window: ShardWindow): Promise<void> {
    window.reading ??= (async () => {
      try {
        for (let attempt = 0; ; attempt += 1) {
          try {
            counts.realReads += 1;
            const page = await source.read(streamArn, window.tail!, 1_000);
            append(window, page.records);
            if (page.next) window.tail = page.next;
            else {
              delete window.tail;
              window.ended = true;
            }
            window.readAt = now();
            return;
          } catch (error) {
            // An iterator of a quiet shard expires after 15 minutes: take a new one where the window ends.
            if (!(error instanceof ExpiredIteratorError) || attempt > 0) throw error;
            const last = window.records.at(-1);
            counts.realIterators += 1;
            window.tail = await source.iterator(
              streamArn,
              shardId,
              last ? { after: seq(last) } : window.head,
            );
          }
        }
      } catch (error) {
        // Whatever the stream said (trimmed, gone), the window no longer follows it: the next reader starts over.
        windows.delete(key(streamArn, shardId));
        throw error;
      } finally {
        delete window.reading;
      }
    })();
    return window.reading;
  }

  function page(window: ShardWindow, shardId: string, start: number, limit: number) {
    const records = window.records.slice(start, start + limit);
    const end = start + records.length;
    const last = window.records[end - 1];
    const after: StartPosition = last ? { after: seq(last) } : window.head;
    const done = window.ended && end >= window.records.length;
    return { records, ...(done ? {} : { next: sharedToken(shardId, after) }) };
  }

  async function iterator(streamArn: string, shardId: string, from: StartPosition): Promise<string> {
    const window = windows.get(key(streamArn, shardId));
    if (window && startIn(window, from) !== undefined) return sharedToken(shardId, from);
    counts.realIterators += 1;
    const real = await source.iterator(streamArn, shardId, from);
    if (!window) {
      windows.set(key(streamArn, shardId), {
        head: from,
        records: [],
        index: new Map(),
        tail: real,
        ended: false,
        readAt: -Infinity,
      });
      return sharedToken(shardId, from);
    }
    return privateToken(shardId, real);
  }

  function privateToken(shardId: string, real: string) {
    privateIds += 1;
    const token = `${PRIVATE}${shardId}|${privateIds}`;
    privates.set(token, real);
    return token;
  }

  /** A consumer behind the window reads for itself, and joins the window once it reaches it. */
  async function readPrivate(streamArn: string, token: string, limit: number) {
    const real = privates.get(token);
    if (!real) throw new ExpiredIteratorError(`unknown iterator ${token}`);
    counts.realReads += 1;
    const got = await source.read(streamArn, real, limit);
    privates.delete(token);
    const shardId = token.slice(PRIVATE.length, token.lastIndexOf('|'));
    if (!got.next) return { records: got.records };
    const last = got.records.at(-1);
    const window = windows.get(key(streamArn, shardId));
    if (last && window && startIn(window, { after: seq(last) }) !== undefined) {
      return { records: got.records, next: sharedToken(shardId, { after: seq(last) }) };
    }
    return { records: got.records, next: privateToken(shardId, got.next) };
  }

  async function read(
    streamArn: string,
    token: string,
    limit: number,
  ): Promise<{ records: DynamoDBRecord[]; next?: string }> {
    if (token.startsWith(PRIVATE)) return readPrivate(streamArn, token, limit);
    const { shardId, from } = parseShared(token);
    let window = windows.get(key(streamArn, shardId));
    if (!window || startIn(window, from) === undefined) {
      // The window was dropped (the stream failed it) or has moved past this position: start again from it.
      const again = await iterator(streamArn, shardId, from);
      if (again !== token) return read(streamArn, again, limit);
      window = windows.get(key(streamArn, shardId))!;
    }
    counts.servedReads += 1;
    let start = startIn(window, from)!;
    if (start >= window.records.length && !window.ended && now() - window.readAt >= freshMs) {
      await readTail(streamArn, shardId, window);
      start = startIn(window, from) ?? start;
    }
    return page(window, shardId, start, limit);
  }

  return {
    counts,
    streamArn: () => source.streamArn(),
    shards: (streamArn) => source.shards(streamArn),
    iterator,
    read,
  };
}
