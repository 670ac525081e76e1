import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../shared/domain/events';
import { onEventBatches, onEvents } from '../../shared/events/handler';
import { eventItem, eventRecord, sampleEvent, streamRecord } from './support/stream';

process.env.LOG_LEVEL = 'silent';

function recorder(fail?: (event: DomainEvent) => boolean) {
  const seen: string[] = [];
  const handler = onEvents(
    ['DossierReceived', 'DossierRefused'],
    async (event) => {
      if (fail?.(event)) throw new Error('downstream unavailable');
      seen.push(event.id);
    },
    { consumer: 'test' },
  );
  return { seen, handler };
}

describe('onEvents', () => {
  it('hands each event of its names to the handler, in stream order', async () => {
    const { seen, handler } = recorder();
    const a = sampleEvent('DossierReceived');
    const b = sampleEvent('DossierRefused');
    const answer = await handler({ Records: [eventRecord(a, 1), eventRecord(b, 2)] });
    expect(seen).toEqual([a.id, b.id]);
    expect(answer).toEqual({ batchItemFailures: [] });
  });

  it('narrows the payload by event name', async () => {
    const reasons: string[] = [];
    const handler = onEvents(
      ['DossierRefused', 'DossierWithdrawn'],
      async (event) => {
        if (event.name === 'DossierRefused') reasons.push(event.payload.reason);
      },
      { consumer: 'test' },
    );
    await handler({ Records: [eventRecord(sampleEvent('DossierRefused', { payload: { reason: 'x' } }), 1)] });
    expect(reasons).toEqual(['x']);
  });

  it('skips items of the table that are not events: dossiers, history, consumed marks', async () => {
    const { seen, handler } = recorder();
    const answer = await handler({
      Records: [
        streamRecord({ pk: 'DOSSIER#c', sk: 'META', data: { code: 'c' }, version: 2 }, 1),
        streamRecord({ pk: 'DOSSIER#c', sk: 'H#0002', data: { seq: 2 } }, 2),
        streamRecord({ pk: 'CONSUMED#x#y', sk: 'CONSUMED', entity: 'consumed' }, 3),
      ],
    });
    expect(seen).toEqual([]);
    expect(answer.batchItemFailures).toEqual([]);
  });

  it('skips events of names it does not consume', async () => {
    const { seen, handler } = recorder();
    await handler({ Records: [eventRecord(sampleEvent('DossierFiled'), 1)] });
    expect(seen).toEqual([]);
  });

  it('takes only new event items: a rewrite or a removal of one is not an event', async () => {
    const { seen, handler } = recorder();
    const event = sampleEvent('DossierReceived');
    await handler({
      Records: [streamRecord(eventItem(event), 1, 'MODIFY'), streamRecord(eventItem(event), 2, 'REMOVE')],
    });
    expect(seen).toEqual([]);
  });

  it('reports the first failing event and every later record, and handles none of them', async () => {
    const events = [
      sampleEvent('DossierReceived'),
      sampleEvent('DossierRefused'),
      sampleEvent('DossierReceived'),
    ];
    const { seen, handler } = recorder((event) => event.id === events[1]!.id);
    const records = events.map((event, i) => eventRecord(event, i + 1));
    const answer = await handler({ Records: records });
    expect(seen).toEqual([events[0]!.id]);
    expect(answer.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      records[1]!.dynamodb!.SequenceNumber,
      records[2]!.dynamodb!.SequenceNumber,
    ]);
  });

  it('reports an event that fails its schema, so the stream retries and then dead-letters it', async () => {
    const { seen, handler } = recorder();
    const valid = sampleEvent('DossierReceived');
    const broken = { ...sampleEvent('DossierReceived'), payload: { unit: 42 } };
    const answer = await handler({ Records: [eventRecord(valid, 1), eventRecord(broken, 2)] });
    expect(seen).toEqual([valid.id]);
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: '000000000000000000002' }]);
  });

  it('reports an event item whose envelope is not an event at all', async () => {
    const { handler } = recorder();
    const answer = await handler({
      Records: [
        streamRecord(
          { pk: 'DOSSIER#c', sk: 'EVENT#000002#X', entity: 'event', event: { name: 'DossierReceived' } },
          7,
        ),
      ],
    });
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: '000000000000000000007' }]);
  });
});

describe('onEventBatches', () => {
  function batchRecorder(fail = false) {
    const batches: string[][] = [];
    const handler = onEventBatches(
      ['DossierReceived', 'DossierRefused'],
      async (events) => {
        if (fail) throw new Error('audit table unavailable');
        batches.push(events.map((e) => e.id));
      },
      { consumer: 'test' },
    );
    return { batches, handler };
  }

  it("hands the batch's events of its names at once, in stream order, skipping the rest", async () => {
    const { batches, handler } = batchRecorder();
    const a = sampleEvent('DossierReceived');
    const b = sampleEvent('DossierRefused');
    const answer = await handler({
      Records: [
        eventRecord(a, 1),
        streamRecord({ pk: 'DOSSIER#c', sk: 'META', data: { code: 'c' }, version: 2 }, 2),
        eventRecord(sampleEvent('DossierFiled'), 3),
        eventRecord(b, 4),
      ],
    });
    expect(batches).toEqual([[a.id, b.id]]);
    expect(answer).toEqual({ batchItemFailures: [] });
  });

  it('reports every record from the first event on when the handler throws', async () => {
    const { handler } = batchRecorder(true);
    const records = [
      streamRecord({ pk: 'DOSSIER#c', sk: 'META', data: { code: 'c' }, version: 2 }, 1),
      eventRecord(sampleEvent('DossierReceived'), 2),
      eventRecord(sampleEvent('DossierRefused'), 3),
    ];
    const answer = await handler({ Records: records });
    expect(answer.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      records[1]!.dynamodb!.SequenceNumber,
      records[2]!.dynamodb!.SequenceNumber,
    ]);
  });

  it('hands over the events before one that fails its schema, and reports it and the records after it', async () => {
    const { batches, handler } = batchRecorder();
    const valid = sampleEvent('DossierReceived');
    const broken = { ...sampleEvent('DossierReceived'), payload: { unit: 42 } };
    const after = sampleEvent('DossierRefused');
    const answer = await handler({
      Records: [eventRecord(valid, 1), eventRecord(broken, 2), eventRecord(after, 3)],
    });
    expect(batches).toEqual([[valid.id]]);
    expect(answer.batchItemFailures).toEqual([
      { itemIdentifier: '000000000000000000002' },
      { itemIdentifier: '000000000000000000003' },
    ]);
  });

  it('calls nothing for a batch without its events', async () => {
    const { batches, handler } = batchRecorder(true);
    const answer = await handler({ Records: [eventRecord(sampleEvent('DossierFiled'), 1)] });
    expect(batches).toEqual([]);
    expect(answer).toEqual({ batchItemFailures: [] });
  });
});
