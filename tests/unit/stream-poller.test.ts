import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type BatchReport, type StreamPoller, startStreamPoller } from '../../local/stream-poller';
import { sharedReads } from '../../local/stream-shared-reads';
import type { StreamSource } from '../../local/stream-source';
import { defaultStreamSettings, type StreamSettings } from '../../shared/events/consumers';
import { eventFilterPattern } from '../../shared/events/filter';
import { onEvents } from '../../shared/events/handler';
import { memoryCheckpoints, memoryDeadLetters, memoryStream } from './fakes/memory-stream';
import { eventRecord, sampleEvent, streamRecord } from './support/stream';

process.env.LOG_LEVEL = 'silent';

const running: StreamPoller[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

type Handler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

function setup(shared = false) {
  const stream = memoryStream();
  stream.addShard('shard-1');
  const checkpoints = memoryCheckpoints();
  const deadLetters = memoryDeadLetters();
  const batches: BatchReport[] = [];
  const start = (handler: Handler, settings: Partial<StreamSettings> = {}) => {
    const poller = startStreamPoller({
      source: shared ? sharedReads(stream.source) : stream.source,
      consumers: [
        {
          id: 'c',
          handler,
          filter: eventFilterPattern(['DossierReceived', 'DossierRefused']),
          settings: { ...defaultStreamSettings, ...settings },
        },
      ],
      checkpoints,
      deadLetters,
      pollMs: 2,
      describeEveryMs: 0,
      retryBaseMs: 1,
      retryMaxMs: 4,
      onBatch: (report) => batches.push(report),
    });
    running.push(poller);
    return poller;
  };
  return { stream, checkpoints, deadLetters, batches, start };
}

/** A consumer recording the event ids it took; `fail` decides which ones throw. */
function recording(fail: (id: string) => boolean = () => false) {
  const seen: string[] = [];
  const handler = onEvents(
    ['DossierReceived', 'DossierRefused'],
    async (event) => {
      if (fail(event.id)) throw new Error('boom');
      seen.push(event.id);
    },
    { consumer: 'c' },
  );
  return { seen, handler };
}

const events = (n: number) => Array.from({ length: n }, () => sampleEvent('DossierReceived'));

// Every behaviour twice: on the stream itself, and through the shared reads the embedded stack puts in front of it.
describe.each([
  ['reading the stream itself', false],
  ['through shared reads', true],
] as const)('the local stream poller, %s', (_, shared) => {
  it('hands a consumer its events in stream order, in batches of its batch size', async () => {
    const { stream, batches, start } = setup(shared);
    const list = events(5);
    stream.append('shard-1', ...list.map((e, i) => eventRecord(e, i + 1)));
    const { seen, handler } = recording();
    await start(handler, { batchSize: 2 }).settled();
    expect(seen).toEqual(list.map((e) => e.id));
    expect(batches.map((b) => b.records.length)).toEqual([2, 2, 1]);
  });

  it('filters before batching: other items of the table and other events never reach the consumer', async () => {
    const { stream, checkpoints, batches, start } = setup(shared);
    const wanted = sampleEvent('DossierRefused');
    stream.append(
      'shard-1',
      streamRecord({ pk: 'DOSSIER#c', sk: 'META', data: {} }, 1),
      eventRecord(sampleEvent('DossierFiled'), 2),
      eventRecord(wanted, 3),
      streamRecord({ pk: 'CONSUMED#c#x', sk: 'CONSUMED', entity: 'consumed' }, 4),
    );
    const { seen, handler } = recording();
    await start(handler).settled();
    expect(seen).toEqual([wanted.id]);
    expect(batches).toHaveLength(1);
    expect(checkpoints.saved.get('c')!.shards['shard-1']!.after).toBe('000000000000000000004');
  });

  it('retries from the first reported failure, keeping what came before it', async () => {
    const { stream, start } = setup(shared);
    const list = events(3);
    stream.append('shard-1', ...list.map((e, i) => eventRecord(e, i + 1)));
    let failures = 1;
    const { seen, handler } = recording((id) => id === list[1]!.id && failures-- > 0);
    await start(handler).settled();
    expect(seen).toEqual(list.map((e) => e.id));
  });

  it('dead-letters a record that keeps failing after its retries, and goes on with the next', async () => {
    const { stream, deadLetters, start } = setup(shared);
    const list = events(3);
    stream.append('shard-1', ...list.map((e, i) => eventRecord(e, i + 1)));
    const { seen, handler } = recording((id) => id === list[1]!.id);
    await start(handler, { maxRetries: 2 }).settled();
    expect(seen).toEqual([list[0]!.id, list[2]!.id]);
    expect(deadLetters.letters).toEqual([
      expect.objectContaining({
        consumer: 'c',
        sequenceNumber: '000000000000000000002',
        attempts: 3,
        reason: 'reported',
        event: expect.objectContaining({ id: list[1]!.id, name: 'DossierReceived' }),
      }),
    ]);
  });

  it('bisects a batch whose invocation throws, so only the poison record is dead-lettered', async () => {
    const { stream, deadLetters, start } = setup(shared);
    const list = events(8);
    stream.append('shard-1', ...list.map((e, i) => eventRecord(e, i + 1)));
    const poison = list[5]!.id;
    const taken = new Set<string>();
    // A handler without partial batch responses: any bad record fails the whole invocation.
    const handler: Handler = async (event) => {
      const ids = event.Records.map((r) => r.dynamodb!.NewImage!.event!.M!.id!.S as string);
      if (ids.includes(poison)) throw new Error('poison');
      for (const id of ids) taken.add(id);
      return { batchItemFailures: [] };
    };
    await start(handler, { maxRetries: 1 }).settled();
    expect(deadLetters.letters.map((l) => l.event?.id)).toEqual([poison]);
    expect([...taken].sort()).toEqual(
      list
        .map((e) => e.id)
        .filter((id) => id !== poison)
        .sort(),
    );
  });

  it('dead-letters the whole batch when bisecting is off', async () => {
    const { stream, deadLetters, start } = setup(shared);
    stream.append('shard-1', ...events(3).map((e, i) => eventRecord(e, i + 1)));
    const handler: Handler = async () => {
      throw new Error('down');
    };
    await start(handler, { maxRetries: 0, bisectOnError: false }).settled();
    expect(deadLetters.letters.map((l) => [l.reason, l.error])).toEqual([
      ['threw', 'down'],
      ['threw', 'down'],
      ['threw', 'down'],
    ]);
  });

  it('reads a closed parent shard to its end before its child', async () => {
    const { stream, start } = setup(shared);
    const list = events(4);
    stream.append('shard-1', eventRecord(list[0]!, 1), eventRecord(list[1]!, 2));
    stream.close('shard-1');
    stream.addShard('shard-2', 'shard-1');
    stream.append('shard-2', eventRecord(list[2]!, 3), eventRecord(list[3]!, 4));
    const { seen, handler } = recording();
    await start(handler, { batchSize: 1 }).settled();
    expect(seen).toEqual(list.map((e) => e.id));
  });

  it('follows the stream into a new shard while running', async () => {
    const { stream, checkpoints, start } = setup(shared);
    const [a, b] = events(2);
    stream.append('shard-1', eventRecord(a!, 1));
    const { seen, handler } = recording();
    const poller = start(handler);
    await poller.settled();
    stream.close('shard-1');
    stream.addShard('shard-2', 'shard-1');
    stream.append('shard-2', eventRecord(b!, 2));
    await poller.settled();
    expect(seen).toEqual([a!.id, b!.id]);
    expect(checkpoints.saved.get('c')!.shards['shard-1']).toEqual({
      after: '000000000000000000001',
      finished: true,
    });
  });

  it('resumes after its checkpoint when started again', async () => {
    const { stream, start } = setup(shared);
    const [a, b] = events(2);
    stream.append('shard-1', eventRecord(a!, 1));
    const first = recording();
    const poller = start(first.handler);
    await poller.settled();
    await poller.stop();
    stream.append('shard-1', eventRecord(b!, 2));
    const second = recording();
    await start(second.handler).settled();
    expect(second.seen).toEqual([b!.id]);
  });

  it('replays a shard from its oldest record when the checkpoint was trimmed away', async () => {
    const { stream, checkpoints, start } = setup(shared);
    const list = events(4);
    stream.append('shard-1', ...list.map((e, i) => eventRecord(e, i + 1)));
    stream.trim('shard-1', 2);
    await checkpoints.save('c', {
      streamArn: 'arn:stream/1',
      shards: { 'shard-1': { after: '000000000000000000001' } },
    });
    const { seen, handler } = recording();
    await start(handler).settled();
    expect(seen).toEqual([list[2]!.id, list[3]!.id]);
  });

  it('forgets a shard trimmed from the stream, and starts its child', async () => {
    const { stream, checkpoints, start } = setup(shared);
    stream.addShard('shard-2', 'shard-1');
    const event = sampleEvent('DossierReceived');
    stream.append('shard-2', eventRecord(event, 9));
    stream.drop('shard-1');
    await checkpoints.save('c', {
      streamArn: 'arn:stream/1',
      shards: { 'shard-1': { after: '000000000000000000003' } },
    });
    const { seen, handler } = recording();
    await start(handler).settled();
    expect(seen).toEqual([event.id]);
    expect(Object.keys(checkpoints.saved.get('c')!.shards)).toEqual(['shard-2']);
  });

  it('starts from the oldest record of a new stream, whatever the old checkpoint said', async () => {
    const { stream, checkpoints, start } = setup(shared);
    await checkpoints.save('c', {
      streamArn: 'arn:stream/0',
      shards: { 'shard-1': { after: '000000000000000000005' } },
    });
    const event = sampleEvent('DossierReceived');
    stream.append('shard-1', eventRecord(event, 1));
    const { seen, handler } = recording();
    await start(handler).settled();
    expect(seen).toEqual([event.id]);
    expect(checkpoints.saved.get('c')!.streamArn).toBe('arn:stream/1');
  });

  it('treats a handler that outlives its timeout as a failed invocation', async () => {
    const { stream, deadLetters, start } = setup(shared);
    stream.append('shard-1', eventRecord(sampleEvent('DossierReceived'), 1));
    const handler: Handler = () => new Promise(() => undefined);
    await start(handler, { maxRetries: 0, timeoutSeconds: 0.01 }).settled();
    expect(deadLetters.letters.map((l) => l.error)).toEqual(['timed out after 0.01 s']);
  });

  describe('on a quiet stream', () => {
    afterEach(() => vi.useRealTimers());

    type PolledHandler = Parameters<typeof startStreamPoller>[0]['consumers'][number]['handler'];
    /** One consumer of DossierReceived at a quick pace of 10 ms and an idle one of a minute. */
    const pacedPoller = (source: StreamSource, handler: PolledHandler) => {
      const poller = startStreamPoller({
        source,
        consumers: [
          {
            id: 'c',
            handler,
            filter: eventFilterPattern(['DossierReceived']),
            settings: defaultStreamSettings,
          },
        ],
        checkpoints: memoryCheckpoints(),
        deadLetters: memoryDeadLetters(),
        pollMs: 10,
        idlePollMs: 60_000,
        describeEveryMs: 3_600_000,
      });
      running.push(poller);
      return poller;
    };

    // Timers are faked so that the pace is the poller's own, whatever the machine's load.
    const quietPoller = () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const { stream } = setup(shared);
      let reads = 0;
      const source = { ...stream.source };
      source.read = (...args) => {
        reads += 1;
        return stream.source.read(...args);
      };
      const { seen, handler } = recording();
      const poller = pacedPoller(source, handler);
      return { stream, poller, seen, reads: () => reads };
    };

    it('reads less and less often, each empty pass doubling the wait up to the idle pace', async () => {
      const { reads } = quietPoller();
      await vi.advanceTimersByTimeAsync(60_000);
      // 10, 20, 40, … ms: 13 reads fill the first minute; at the quick pace it would be about 6,000.
      expect(reads()).toBeGreaterThanOrEqual(10);
      expect(reads()).toBeLessThanOrEqual(14);
      await vi.advanceTimersByTimeAsync(120_000);
      expect(reads()).toBeLessThanOrEqual(17);
    });

    it('reads again within its quick pace once woken (an invocation ended), and not before', async () => {
      const { stream, poller, seen } = quietPoller();
      await vi.advanceTimersByTimeAsync(60_000);
      const event = sampleEvent('DossierReceived');
      stream.append('shard-1', eventRecord(event, 1));
      await vi.advanceTimersByTimeAsync(50);
      expect(seen).toEqual([]);
      poller.wake();
      await vi.advanceTimersByTimeAsync(10);
      expect(seen).toEqual([event.id]);
    });

    it('after a batch, waits its quick pace before reading again: what arrives meanwhile is one batch', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const { stream } = setup(shared);
      const list = events(4);
      const batches: number[][] = [];
      const handler: Handler = async (event) => {
        const seqs = event.Records.map((r) => Number(r.dynamodb!.SequenceNumber));
        batches.push(seqs);
        if (seqs.includes(1)) {
          // While the first batch runs, one record arrives; two more shortly after it ends.
          stream.append('shard-1', eventRecord(list[1]!, 2));
          setTimeout(() => stream.append('shard-1', eventRecord(list[2]!, 3)), 2);
          setTimeout(() => stream.append('shard-1', eventRecord(list[3]!, 4)), 5);
        }
        return { batchItemFailures: [] };
      };
      pacedPoller(shared ? sharedReads(stream.source) : stream.source, handler);
      stream.append('shard-1', eventRecord(list[0]!, 1));
      await vi.advanceTimersByTimeAsync(100);
      expect(batches).toEqual([[1], [2, 3, 4]]);
    });
  });
});
