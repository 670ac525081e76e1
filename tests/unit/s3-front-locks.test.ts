import { describe, expect, it } from 'vitest';
import { keyLocks, operationOf } from '../../local/s3-front';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('keyLocks', () => {
  it('lets readers of one key in together and a writer only after them', async () => {
    const locks = keyLocks();
    const order: string[] = [];
    const read1 = await locks.acquire(new Map([['b/k', 'shared']]));
    const read2 = await locks.acquire(new Map([['b/k', 'shared']]));
    const write = locks.acquire(new Map([['b/k', 'exclusive']])).then((release) => {
      order.push('write');
      return release;
    });
    await tick();
    expect(order).toEqual([]);
    read1();
    await tick();
    expect(order).toEqual([]);
    read2();
    (await write)();
    expect(order).toEqual(['write']);
  });

  it('queues writers of one key in arrival order and never holds other keys', async () => {
    const locks = keyLocks();
    const order: number[] = [];
    const writers = [1, 2, 3].map((n) =>
      locks.acquire(new Map([['b/k', 'exclusive']])).then((release) => {
        order.push(n);
        release();
      }),
    );
    const other = await locks.acquire(new Map([['b/other', 'exclusive']]));
    await Promise.all(writers);
    other();
    expect(order).toEqual([1, 2, 3]);
    expect(locks.size()).toBe(0);
  });

  it('ignores a second release', async () => {
    const locks = keyLocks();
    const release = await locks.acquire(new Map([['b/k', 'exclusive']]));
    release();
    const next = await locks.acquire(new Map([['b/k', 'exclusive']]));
    release();
    let third = false;
    const waiting = locks.acquire(new Map([['b/k', 'exclusive']])).then((r) => {
      third = true;
      r();
    });
    await tick();
    expect(third).toBe(false);
    next();
    await waiting;
    expect(third).toBe(true);
  });
});

describe('operationOf', () => {
  it('tells object writes, copies, deletes and reads from everything else', () => {
    expect(operationOf('PUT', '/bucket/uploads/a?x-id=PutObject&X-Amz-Expires=60', {})).toEqual({
      kind: 'put',
      bucket: 'bucket',
      key: 'uploads/a',
    });
    expect(
      operationOf('PUT', '/bucket/documents/a', { 'x-amz-copy-source': 'bucket/uploads/a%20b' }),
    ).toEqual({
      kind: 'copy',
      bucket: 'bucket',
      key: 'documents/a',
      from: { bucket: 'bucket', key: 'uploads/a b' },
    });
    expect(operationOf('DELETE', '/bucket/a', {}).kind).toBe('delete');
    expect(operationOf('HEAD', '/bucket/a', {}).kind).toBe('read');
    expect(operationOf('PUT', '/bucket/a?tagging', {}).kind).toBe('other');
    expect(operationOf('PUT', '/bucket', {}).kind).toBe('other');
    expect(operationOf('POST', '/bucket/a?uploads', {}).kind).toBe('other');
  });
});
