import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
beforeAll(async () => {
  // A refill of one token per 1000 s: however slow the machine, the spent burst stays spent during the test.
  stack = await startTestStack({ throttle: { ratePerSecond: 0.001, burst: 3 }, seed: false });
});
afterAll(() => stack?.stop());

describe('stage throttling', () => {
  it('answers 429 with Retry-After once the burst is spent', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const response = await stack.call('/v1/agencies');
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get('retry-after')).toBe('1');
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('THROTTLED');
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
  });
});
