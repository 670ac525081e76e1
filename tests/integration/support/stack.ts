// Each integration file gets its own tables (a unique prefix) on the shared emulators, and its own gateway.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { demoAccounts } from '../../../local/demo';
import { type StackOptions, startStack } from '../../../local/stack';
import { assertContract } from './contract';

export type TestStack = Awaited<ReturnType<typeof startStack>> & {
  token(username: string): Promise<string>;
  /** Fetches from the gateway; an answer that strays from the route's published contract throws. */
  call(path: string, init?: RequestInit & { as?: string }): Promise<Response>;
};

export async function startTestStack(options: Partial<StackOptions> = {}): Promise<TestStack> {
  process.env.LOG_LEVEL = 'silent';
  // Searches see a publish at once instead of after the 5 s recheck interval.
  process.env.CATALOGUE_RECHECK_MS = '0';
  const stack = await startStack({
    emulators: inject('emulators'),
    ports: { gateway: 0, dynamodb: 0, s3: 0 },
    prefix: `t${randomBytes(4).toString('hex')}`,
    publicBaseUrl: 'http://motcua.test',
    // Tests sweep by hand, with exact expectations; the timer's own test turns it on.
    sweepEveryMs: 0,
    scheduleEveryMs: 0,
    ...options,
  });
  const token = async (username: string) => {
    const account = demoAccounts.find((a) => a.username === username);
    if (!account) throw new Error(`no demo account ${username}`);
    return stack.issuer.mint(account);
  };
  return {
    ...stack,
    token,
    async call(path, init = {}) {
      const { as, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (as) headers.set('authorization', `Bearer ${await token(as)}`);
      const response = await fetch(`${stack.urls.gateway}${path}`, { ...rest, headers });
      await assertContract(rest.method ?? 'GET', path, response.clone());
      return response;
    },
  };
}
