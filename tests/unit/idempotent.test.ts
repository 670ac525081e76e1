// When `idempotent` looks for a stored answer: before acting (the default), or only once the act fails (moves and
// decisions, whose only write is their transaction): one read fewer for every first request, the same answers.
import { describe, expect, it } from 'vitest';
import { ConflictError, IdempotencyKeyReusedError } from '../../shared/errors';
import { IdempotencyRaceError, type IdempotencyRecord } from '../../shared/ports/idempotency-store';
import { type IdempotencyLookup, idempotent } from '../../shared/usecases/idempotent';
import { memoryIdempotency } from './fakes/memory-catalogue';

/** A store that counts its reads, and a "dossier" the act moves once, in a transaction holding the record. */
function world() {
  const store = memoryIdempotency();
  let reads = 0;
  let moves = 0;
  let status = 'SUBMITTED';
  const counted = {
    find: (id: string) => {
      reads += 1;
      return store.find(id);
    },
  };
  const receive = (lookup: IdempotencyLookup | undefined, key: string, request: unknown = { code: 'D1' }) =>
    idempotent<{ status: string }>(
      counted,
      { scope: 'staff:o1', operation: 'receiveDossier', key, request },
      async (remember) => {
        if (status !== 'SUBMITTED') throw new ConflictError('not from RECEIVED', 'INVALID_TRANSITION');
        const answer = { status: 'RECEIVED' };
        const record = remember(answer) as IdempotencyRecord;
        // The transaction: the record's condition and the move land together or not at all.
        if (store.records.has(record.id)) throw new IdempotencyRaceError();
        store.records.set(record.id, record);
        status = 'RECEIVED';
        moves += 1;
        return answer;
      },
      lookup,
    );
  return {
    receive,
    get reads() {
      return reads;
    },
    get moves() {
      return moves;
    },
    reset: (to: string) => {
      status = to;
    },
  };
}

describe('idempotent', () => {
  it('reads the stored answer before acting by default', async () => {
    const w = world();
    expect(await w.receive(undefined, 'k1')).toEqual({ status: 'RECEIVED' });
    expect(w.reads).toBe(1);
    expect(await w.receive(undefined, 'k1')).toEqual({ status: 'RECEIVED' });
    expect([w.reads, w.moves]).toEqual([2, 1]);
  });

  it('on failure: a first request reads nothing, its retry gets the first answer once the move refuses it', async () => {
    const w = world();
    expect(await w.receive('on-failure', 'k1')).toEqual({ status: 'RECEIVED' });
    expect(w.reads).toBe(0);
    expect(await w.receive('on-failure', 'k1')).toEqual({ status: 'RECEIVED' });
    expect([w.reads, w.moves]).toEqual([1, 1]);
  });

  it('on failure: a retry the act would carry out loses on the record’s condition, and gets the first answer', async () => {
    const w = world();
    await w.receive('on-failure', 'k1');
    // As if the dossier were back where the act accepts it: only the record's condition stops a second move.
    w.reset('SUBMITTED');
    expect(await w.receive('on-failure', 'k1')).toEqual({ status: 'RECEIVED' });
    expect(w.moves).toBe(1);
  });

  it('on failure: the key with another body is a 422, and nothing moves', async () => {
    const w = world();
    await w.receive('on-failure', 'k1', { code: 'D1' });
    w.reset('SUBMITTED');
    await expect(w.receive('on-failure', 'k1', { code: 'D2' })).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
    expect(w.moves).toBe(1);
  });

  it('on failure: a first request the act refuses keeps its refusal', async () => {
    const w = world();
    w.reset('RECEIVED');
    await expect(w.receive('on-failure', 'k2')).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(w.reads).toBe(1);
  });

  it('on failure: a lookup that fails leaves the act’s own error', async () => {
    const refusal = new ConflictError('not from RECEIVED', 'INVALID_TRANSITION');
    const failing = {
      find: async () => {
        throw new Error('the table is unreachable');
      },
    };
    await expect(
      idempotent(
        failing,
        { scope: 's', operation: 'op', key: 'k', request: {} },
        async () => {
          throw refusal;
        },
        'on-failure',
      ),
    ).rejects.toBe(refusal);
  });

  it('without a key neither reads nor remembers', async () => {
    const w = world();
    let remembered: unknown = 'untouched';
    await idempotent(
      { find: async () => expect.unreachable('no key, no read') },
      { scope: 's', operation: 'op', request: {} },
      async (remember) => {
        remembered = remember('answer');
        return 'answer';
      },
      'on-failure',
    );
    expect(remembered).toBeUndefined();
    expect(w.reads).toBe(0);
  });
});
