// A handler that counts how many events its instance runs at once (module state, as an execution environment's),
// and which instance it is: the pool must never hand one instance a second event while the first runs. It also says
// which node flags its instance was started with.
import { randomUUID } from 'node:crypto';

const instance = randomUUID();
let running = 0;
let most = 0;
let served = 0;

export async function handler(event: { body: string | null }) {
  running += 1;
  most = Math.max(most, running);
  served += 1;
  const {
    waitMs = 0,
    crash = false,
    fail = false,
  } = JSON.parse(event.body ?? '{}') as {
    waitMs?: number;
    crash?: boolean;
    fail?: boolean;
  };
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  running -= 1;
  if (crash) process.exit(3);
  if (fail) throw new Error('handler failed on purpose');
  return { statusCode: 200, body: JSON.stringify({ instance, most, served, execArgv: process.execArgv }) };
}
