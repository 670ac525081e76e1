// `npm run bench:day [-- --count 8000 --concurrency 32]`: a Hanoi day on the embedded stack, end to end. Every dossier
// lives its whole life through the public API (scripts/lifecycle: filed online or at a counter, received, paid on the
// sandbox checkout when it owes fees, decided by each agency of a one-, two- or three-step route through signed calls,
// returned by download, post or counter, one in three rated), `--concurrency` at a time. Then it reads every dossier
// back (final status, a history without repeats, the branch registers), waits for the statistics consumer to count the
// day, and prints the throughput against the goal (8,000 in 10 minutes on 2 cores), the work per dossier (DynamoDB
// calls and capacity units, Lambda invocations, Step Functions transitions, notifications, API requests), its cloud
// cost at list price, and the day's service index. Numbers, not verdicts: nothing here fails on a slow run.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnvironment } from '../infra/config/environments';
import { demoPartners } from '../local/demo';
import { freePort, startDynamoDbLocal, startS3 } from '../local/emulators';
import type { FunctionStats } from '../local/function-pool';
import { startStack } from '../local/stack';
import { agencyDesk } from '../scripts/lifecycle/agencies';
import {
  accountOf,
  catalogueReader,
  type DossierPlan,
  type DossierView,
  type LifeContext,
  LifeError,
  type LifeOutcome,
  liveDossier,
  type ReturnMethod,
} from '../scripts/lifecycle/dossier';
import { type MotcuaApi, motcuaApi, type RequestCounts } from '../scripts/lifecycle/http';
import { dayString, localParts } from '../shared/domain/calendar-core';
import { executionName } from '../shared/domain/routing';
import { routeList } from '../shared/http/routes/index';
import { routingTasks } from '../shared/workflow/tasks';
import { history, sfnClient } from '../tests/fixtures/workflow/client';
import { type MeterReading, startDynamoDbMeter } from './dynamodb-meter';
import { table } from './stats';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '8000' },
    concurrency: { type: 'string', default: '32' },
    seed: { type: 'string', default: '1' },
    /** USD per SMS part: AWS's price for SMS to Vietnam is not in this repository; pass the current one. */
    'sms-usd': { type: 'string', default: '0.05' },
    /** Billed milliseconds per Lambda invocation in the cloud: the embedded stack does not time its instances. */
    'lambda-ms': { type: 'string', default: '100' },
    /** Keep the stack running afterwards, for the dashboard, until Ctrl-C. */
    hold: { type: 'boolean', default: false },
    /** Instances per function at most (Lambda's reserved concurrency); the stack's default when absent. */
    instances: { type: 'string' },
    /**
     * Lives at the day's concurrency after the one-at-a-time warm-up (default: as many as `--concurrency`), so the day
     * starts with the instances it needs already warm, as at 8 o'clock after the first hour; 0 for none.
     */
    warm: { type: 'string' },
  },
});
const COUNT = Number(args.count);
const CONCURRENCY = Number(args.concurrency);
const LAMBDA_MS = Number(args['lambda-ms']);
const GOAL = { dossiers: 8_000, seconds: 600 };

/** The list prices the issue states (USD); Lambda at its arm64 GB-second price, as the function construct deploys. */
const PRICE = {
  writeUnit: 1.25 / 1e6,
  readUnit: 0.25 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334,
  transition: 25 / 1e6,
  apiRequest: 3.5 / 1e6,
  email: 0.1 / 1000,
  smsPart: Number(args['sms-usd']),
};

/**
 * The day's mix, from the catalogue procedures whose agencies have demo credentials: one-step routes (police, ward),
 * a two-stage route (the ward twice) and the three-agency under-6 bundle; fee-bearing and free ones.
 */
const MIX: { procedureCode: string; weight: number }[] = [
  { procedureCode: '1.004222', weight: 3 }, // permanent residence: police; 10,000 ₫ online, 20,000 ₫ at the counter
  { procedureCode: '1.001193', weight: 3 }, // birth registration: ward; free
  { procedureCode: '2.000635', weight: 1 }, // civil-status copy: ward; 8,000 ₫
  { procedureCode: '1.013225', weight: 1 }, // construction permit: ward, then ward; 75,000 ₫ at the counter
  { procedureCode: '2.002621', weight: 2 }, // the under-6 bundle: ward, then police and social insurance; free
];
const ONLINE_SHARE = 0.6; // Hanoi, Jul–Sep 2025 (ARCHITECTURE.md)
const RETURNS: [ReturnMethod, number][] = [
  ['download', 0.5],
  ['post', 0.25],
  ['counter', 0.25],
];
const OFFICERS = ['officer.badinh', 'officer.hoankiem'];

/** A small seeded generator (mulberry32), so a run's mix can be repeated. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function planDay(count: number, seed: number): DossierPlan[] {
  const next = random(seed);
  const pick = <T>(choices: [T, number][]) => {
    let r = next() * choices.reduce((sum, [, w]) => sum + w, 0);
    for (const [choice, weight] of choices) {
      r -= weight;
      if (r < 0) return choice;
    }
    return choices.at(-1)![0];
  };
  return Array.from({ length: count }, () => ({
    procedureCode: pick(MIX.map((m) => [m.procedureCode, m.weight])),
    channel: next() < ONLINE_SHARE ? 'online' : 'counter',
    citizen: next() < 0.5 ? 'citizen.an' : 'citizen.binh',
    officer: OFFICERS[next() < 0.5 ? 0 : 1]!,
    returnBy: pick(RETURNS),
    ...(next() < 1 / 3 ? { rating: { score: 1 + Math.floor(next() * 5) } } : {}),
  }));
}

/** Runs `work` over `items`, at most `concurrency` at once, the workers starting `staggerMs` apart. */
async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
  staggerMs = 0,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async (_, worker) => {
      await sleep(worker * staggerMs);
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const today = () => dayString(localParts(new Date()).day);
const fixed = (n: number, digits = 2) => n.toFixed(digits);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const mean = (values: number[]) => (values.length ? sum(values) / values.length : 0);

/** Lives every plan; failures keep their plan and, when it was filed, the code. */
async function live(
  plans: DossierPlan[],
  concurrency: number,
  context: LifeContext,
  options: { staggerMs?: number; ended?: () => void } = {},
) {
  const outcomes: LifeOutcome[] = [];
  const failures: LifeError[] = [];
  await inParallel(
    plans,
    concurrency,
    async (plan) => {
      try {
        outcomes.push(await liveDossier(plan, context));
      } catch (error) {
        failures.push(error instanceof LifeError ? error : new LifeError(plan, undefined, undefined, error));
      }
      options.ended?.();
    },
    options.staggerMs,
  );
  return { outcomes, failures };
}

type ServiceIndex = {
  points: number;
  measuredMaxPoints: number;
  counters: Record<string, number>;
  groups: { id: string; points?: number; measuredMaxPoints: number }[];
};

/** Waits until the statistics consumer has counted `returned` returns and `ratings` ratings in the period. */
async function statisticsCaughtUp(api: MotcuaApi, period: string, returned: number, ratings: number) {
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const index = await api.get<ServiceIndex>(`/v1/stats/index?${period}`, { poll: true });
    const { counters } = index;
    if (((counters.returned ?? 0) >= returned && (counters.ratings ?? 0) >= ratings) || Date.now() > deadline)
      return index;
    await sleep(1_000);
  }
}

type OutboxMessage = { channel: 'email' | 'sms'; text: string; dossierCode?: string };

/** The local outbox once it stopped growing for five seconds. */
async function settledOutbox(outboxUrl: string): Promise<OutboxMessage[]> {
  let messages: OutboxMessage[] = [];
  for (let quiet = 0; quiet < 5; ) {
    const read = (await (await fetch(`${outboxUrl}/outbox.json`)).json()) as { messages: OutboxMessage[] };
    quiet = read.messages.length === messages.length ? quiet + 1 : 0;
    messages = read.messages;
    await sleep(1_000);
  }
  return messages;
}

/** What one complete life records, action by action: each of these exactly so many times, the seqs 1…n. */
function historyProblems(view: DossierView, plan: DossierPlan, steps: number): string[] {
  const entries = view.history ?? [];
  const problems = entries.flatMap((entry, i) =>
    entry.seq === i + 1 ? [] : [`history seq ${entry.seq} at ${i + 1}`],
  );
  const count = (action: string) => entries.filter((e) => e.action === action).length;
  const expected: Record<string, number> = {
    submit: plan.channel === 'online' ? 1 : 0,
    intake: plan.channel === 'counter' ? 1 : 0,
    receive: plan.channel === 'online' ? 1 : 0,
    route: 1,
    decideStep: steps,
    approveAll: 1,
    dispatch: plan.returnBy === 'post' ? 1 : 0,
    return: 1,
    rate: plan.rating ? 1 : 0,
  };
  for (const [action, n] of Object.entries(expected))
    if (count(action) !== n) problems.push(`${action} ×${count(action)}, expected ${n}`);
  if (count('settlePayment') > 1) problems.push(`settlePayment ×${count('settlePayment')}`);
  return problems;
}

/**
 * Every dossier read back through the API: final status, rating and history of each answered filing, then each
 * branch's register for the days of the run. A code twice is a duplicate; so is a code nobody was answered for,
 * beyond the filings whose client gave up unanswered (a filing that committed after its function timed out, whose
 * retries with the same Idempotency-Key timed out too, is one dossier the client never learnt the code of).
 */
async function readBack(
  api: MotcuaApi,
  days: { from: string; to: string },
  outcomes: LifeOutcome[],
  failures: LifeError[],
) {
  const problems: string[] = [];
  const views = new Map<string, DossierView>();
  let lost = 0;
  await inParallel(outcomes, 16, async ({ code, plan, tasks }) => {
    try {
      const view = await api.get<DossierView>(`/v1/dossiers/${code}`, { as: plan.officer, poll: true });
      views.set(code, view);
      if (view.status !== 'RETURNED') problems.push(`${code}: ${view.status}`);
      if (Boolean(view.rating) !== Boolean(plan.rating))
        problems.push(`${code}: rating ${view.rating?.score}`);
      for (const problem of historyProblems(view, plan, tasks.length)) problems.push(`${code}: ${problem}`);
    } catch (error) {
      lost += 1;
      problems.push(`${code}: not read back (${(error as Error).message})`);
    }
  });
  const filed = [...outcomes, ...failures.filter((f) => f.code)] as { code: string; plan: DossierPlan }[];
  const codes = new Set(filed.map((f) => f.code));
  let twice = filed.length - codes.size;
  let unanswered = 0;
  for (const officer of OFFICERS) {
    const unit = accountOf(officer).branch!;
    const { rows } = await api.get<{ rows: { code: string }[] }>(
      `/v1/branches/${unit}/register?from=${days.from}&to=${days.to}&format=json`,
      { as: officer, poll: true },
    );
    const seen = new Set<string>();
    for (const { code } of rows) {
      if (seen.has(code)) {
        twice += 1;
        problems.push(`${code}: twice in the register of ${unit}`);
      } else if (!codes.has(code)) {
        unanswered += 1;
        problems.push(`${code}: in the register of ${unit}, its filing never answered`);
      }
      seen.add(code);
    }
    for (const { code, plan } of filed)
      if (plan.officer === officer && !seen.has(code)) {
        lost += 1;
        problems.push(`${code}: missing from the register of ${unit}`);
      }
  }
  const gaveUp = Math.min(unanswered, failures.filter((f) => !f.code).length);
  return { views, problems, lost, duplicated: twice + unanswered - gaveUp, unanswered: gaveUp };
}

/** CPU seconds of this process (every thread: gateway, function instances, consumers, workflow, this client). */
const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** CPU seconds of DynamoDB Local: the JVM this process started (Linux /proc; 0 where there is none). */
function dynamoDbCpuSeconds(): number {
  const ticks = 100; // USER_HZ on Linux
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0; // not Linux: no figure
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === process.pid && stat.includes('(java)'))
      return (Number(fields[11]) + Number(fields[12])) / ticks;
  }
  return 0;
}

/** The counters of the stack at one moment, to take the warm-up's share out of the day's. */
interface Snapshot {
  functions: Map<string, FunctionStats>;
  meter: MeterReading;
  requests: RequestCounts;
  cpu: { node: number; dynamodb: number };
}

/** The `count` largest of `items` by `size` (none of size 0), as a table under its title. */
function printTop<T>(
  title: string,
  headers: string[],
  items: T[],
  size: (item: T) => number,
  count: number,
  cells: (item: T) => (string | number)[],
) {
  console.log(`\n${title}`);
  const top = items
    .filter((item) => size(item) > 0)
    .sort((a, b) => size(b) - size(a))
    .slice(0, count);
  console.log(table(headers, top.map(cells)));
}

function since(before: Snapshot, after: Snapshot) {
  const functions = [...after.functions.values()].map((f) => {
    const earlier = before.functions.get(f.function);
    const calls = sum(Object.values(f.dynamodbCalls)) - sum(Object.values(earlier?.dynamodbCalls ?? {}));
    return {
      name: f.function,
      invocations: f.invocations - (earlier?.invocations ?? 0),
      dynamodbCalls: calls,
      coldStarts: f.coldStarts - (earlier?.coldStarts ?? 0),
      initMs: sum(f.initMs.slice(earlier?.initMs.length ?? 0)),
    };
  });
  const operations = Object.fromEntries(
    Object.entries(after.meter.calls).map(([op, n]) => [op, n - (before.meter.calls[op] ?? 0)]),
  );
  const gets = Object.fromEntries(
    Object.entries(after.meter.gets).map(([kind, n]) => [kind, n - (before.meter.gets[kind] ?? 0)]),
  );
  const writes = Object.entries(after.meter.writes).map(([kind, w]) => {
    const earlier = before.meter.writes[kind];
    return { kind, calls: w.calls - (earlier?.calls ?? 0), units: w.units - (earlier?.units ?? 0) };
  });
  const minus = <K extends string>(a: Record<K, number>, b: Record<K, number>) =>
    Object.fromEntries(Object.keys(a).map((k) => [k, a[k as K] - b[k as K]])) as Record<K, number>;
  return {
    functions,
    operations,
    gets,
    writes,
    readUnits: after.meter.readUnits - before.meter.readUnits,
    writeUnits: after.meter.writeUnits - before.meter.writeUnits,
    refusedWrites: after.meter.refusedWrites - before.meter.refusedWrites,
    requests: minus(after.requests, before.requests),
    cpu: minus(after.cpu, before.cpu),
  };
}

const kindOf = (name: string) =>
  name.startsWith('consumer-')
    ? 'stream consumers'
    : routeList.some((r) => r.id === name)
      ? 'API routes'
      : Object.values(routingTasks).some((t) => t.id === name)
        ? 'workflow tasks'
        : 'schedules';

/** SMS parts as the carrier bills them: 160 GSM-7 characters (153 when split), 70 UCS-2 (67). */
function smsParts(text: string) {
  const [single, split] = /^[\x20-\x7e\r\n]*$/.test(text) ? [160, 153] : [70, 67];
  return text.length <= single ? 1 : Math.ceil(text.length / split);
}

async function main() {
  process.env.LOG_LEVEL ??= 'silent';
  const load = loadavg();
  const s3Dir = mkdtempSync(join(tmpdir(), 'motcua-bench-day-'));
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  const s3 = await startS3({ port: 0, dataDir: s3Dir });
  const meter = await startDynamoDbMeter(dynamodb.url);
  // Its own free port, known before it starts, so the checkout's return URL and the tokens' issuer name it.
  const port = await freePort();
  const stack = await startStack({
    emulators: { dynamodb: meter.url, s3: s3.url },
    ports: { gateway: port, dynamodb: 0, s3: 0 },
    publicBaseUrl: `http://127.0.0.1:${port}`,
    prefix: 'benchday',
    throttle: { ratePerSecond: 1e9, burst: 1e9 },
    pool: {
      countDynamoDbCalls: true,
      ...(args.instances ? { maxInstances: Number(args.instances) } : {}),
    },
  });
  try {
    const base = stack.urls.gateway;
    const tokens = new Map<string, Promise<string>>();
    const api = motcuaApi(base, (username) => {
      if (!tokens.has(username)) tokens.set(username, stack.issuer.mint(accountOf(username)));
      return tokens.get(username)!;
    });
    const context: LifeContext = {
      api,
      agencies: agencyDesk(base, api.counts, { pollMs: 500, timeoutMs: 600_000 }),
      procedure: catalogueReader(api),
      timeoutMs: 600_000,
    };
    for (const { procedureCode } of MIX) {
      const { route } = await context.procedure(procedureCode);
      const missing = route
        .flatMap((s) => s.steps)
        .find((s) => !demoPartners.some((p) => p.agency === s.agency));
      if (missing) throw new Error(`${procedureCode}: no demo agency for ${missing.agency}`);
    }
    console.log(
      `motcua — a day on the embedded stack: ${COUNT} dossiers, ${CONCURRENCY} in flight — ${new Date().toISOString()}, node ${process.version}, ${cpus().length} cores, load average ${load.map((l) => l.toFixed(1)).join(' ')}`,
    );
    const snapshot = (): Snapshot => ({
      functions: new Map(stack.functionStats().map((f) => [f.function, f])),
      meter: meter.reading(),
      requests: { ...api.counts },
      cpu: { node: ownCpuSeconds(), dynamodb: dynamoDbCpuSeconds() },
    });
    const startDay = today();

    // Warm-up: one life per procedure and channel, one at a time, then `--warm` lives at the day's concurrency, so the
    // day starts with as many warm instances as it will use, as a center's functions are once its morning has begun;
    // its time and work are kept out of the day's figures (a short day would otherwise be mostly cold starts).
    const warmPlans = MIX.flatMap(({ procedureCode }) =>
      (['online', 'counter'] as const).map(
        (channel, i): DossierPlan => ({
          procedureCode,
          channel,
          citizen: 'citizen.an',
          officer: OFFICERS[i]!,
          returnBy: RETURNS[i]![0],
        }),
      ),
    );
    const warmStarted = performance.now();
    const serial = await live(warmPlans, 1, context);
    const wide = await live(
      planDay(Number(args.warm ?? CONCURRENCY), Number(args.seed) + 1),
      CONCURRENCY,
      context,
      {
        staggerMs: 100,
      },
    );
    const warm = {
      outcomes: [...serial.outcomes, ...wide.outcomes],
      failures: [...serial.failures, ...wide.failures],
    };
    const warmSeconds = (performance.now() - warmStarted) / 1000;
    await statisticsCaughtUp(api, `from=${startDay}&to=${today()}`, warm.outcomes.length, 0);
    const before = snapshot();
    console.log(
      `  warm-up: ${warm.outcomes.length} lives in ${fixed(warmSeconds, 1)} s (${warm.failures.length} failed)`,
    );

    // The day: `CONCURRENCY` lives at a time, the workers starting 100 ms apart.
    const plans = planDay(COUNT, Number(args.seed));
    const started = performance.now();
    let done = 0;
    const progress = setInterval(() => {
      const s = (performance.now() - started) / 1000;
      console.log(`  ${s.toFixed(0).padStart(5)} s  ${done} of ${COUNT} ended (${fixed(done / s)}/s)`);
    }, 30_000);
    const day = await live(plans, CONCURRENCY, context, { staggerMs: 100, ended: () => done++ }).finally(() =>
      clearInterval(progress),
    );
    const wallSeconds = (performance.now() - started) / 1000;
    const endDay = today();
    const period = `from=${startDay}&to=${endDay}`;

    // The consumers catch up: the statistics count every return and rating, the outbox stops growing.
    const outcomes = [...warm.outcomes, ...day.outcomes];
    const failures = [...warm.failures, ...day.failures];
    const caughtUpFrom = performance.now();
    const index = await statisticsCaughtUp(
      api,
      period,
      outcomes.length,
      outcomes.filter((o) => o.plan.rating).length,
    );
    const catchUpSeconds = (performance.now() - caughtUpFrom) / 1000;
    const messages = await settledOutbox(stack.urls.outbox);
    const work = since(before, snapshot());

    const checked = await readBack(api, { from: startDay, to: endDay }, outcomes, failures);
    const sfn = sfnClient(stack.urls.workflow);
    const executions = stack.routingMachineArn.replace(':stateMachine:', ':execution:');
    const transitions: number[] = [];
    await inParallel(day.outcomes, 16, async ({ code }) => {
      const events = await history(sfn, `${executions}:${executionName(code, 1)}`);
      transitions.push(events.filter((e) => e.type?.endsWith('StateEntered')).length);
    });

    const dayCodes = new Set(day.outcomes.map((o) => o.code));
    report({
      plans,
      day,
      warm: { count: warm.outcomes.length, seconds: warmSeconds },
      wallSeconds,
      catchUpSeconds,
      checked,
      work,
      transitions,
      historyLengths: day.outcomes.map((o) => checked.views.get(o.code)?.history?.length ?? 0),
      messages: messages.filter((m) => m.dossierCode && dayCodes.has(m.dossierCode)),
      index,
      period,
      load: loadavg(),
    });
    if (args.hold) {
      console.log(
        `\nThe stack keeps running: ${base}/dashboard/?from=${startDay}&to=${endDay} — Ctrl-C stops it.`,
      );
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
  } finally {
    await stack.stop();
    await meter.stop();
    await s3.stop();
    await dynamodb.stop();
    rmSync(s3Dir, { recursive: true, force: true });
  }
}

function report(run: {
  plans: DossierPlan[];
  day: { outcomes: LifeOutcome[]; failures: LifeError[] };
  warm: { count: number; seconds: number };
  wallSeconds: number;
  catchUpSeconds: number;
  checked: Awaited<ReturnType<typeof readBack>>;
  work: ReturnType<typeof since>;
  transitions: number[];
  historyLengths: number[];
  messages: OutboxMessage[];
  index: ServiceIndex;
  period: string;
  load: number[];
}) {
  const { plans, day, work, checked } = run;
  const n = plans.length;
  const per = (value: number, digits = 1) => fixed(value / n, digits);

  console.log(`\nThe day: ${n} dossiers by procedure and channel (seed ${args.seed})`);
  const mix = new Map<string, number>();
  for (const p of plans)
    mix.set(`${p.procedureCode} ${p.channel}`, (mix.get(`${p.procedureCode} ${p.channel}`) ?? 0) + 1);
  console.log(
    table(
      ['procedure, channel', 'dossiers'],
      [...mix].sort().map(([key, count]) => [key, count]),
    ),
  );
  console.log(
    `returns: ${RETURNS.map(([m]) => `${m} ${plans.filter((p) => p.returnBy === m).length}`).join(', ')}; rated ${plans.filter((p) => p.rating).length}; paid on the checkout ${day.outcomes.filter((o) => o.paidVnd > 0).length}`,
  );

  const rate = day.outcomes.length / run.wallSeconds;
  const goalRate = GOAL.dossiers / GOAL.seconds;
  console.log('\nThroughput and integrity (warm-up apart: its lives are read back too)');
  console.log(
    table(
      ['figure', 'value'],
      [
        [
          "warm-up: one life per procedure and channel in turn, then --warm at the day's concurrency",
          `${run.warm.count} in ${fixed(run.warm.seconds, 1)} s`,
        ],
        ['wall time, first filing → last return', `${fixed(run.wallSeconds, 1)} s`],
        ['dossiers returned per second', fixed(rate)],
        [
          `goal: ${GOAL.dossiers.toLocaleString('en')} in ${GOAL.seconds / 60} min on 2 cores (${fixed(goalRate)}/s)`,
          `${fixed(rate / goalRate, 3)} of it: ${GOAL.dossiers.toLocaleString('en')} would take ${fixed(GOAL.dossiers / rate / 60, 1)} min`,
        ],
        ['returned', day.outcomes.length],
        ['failed on the way (after 3 retries of a 5xx)', day.failures.length],
        ['lost: answered, then not read back or not in its register', checked.lost],
        ['duplicated: a code twice, or a dossier more than the filings', checked.duplicated],
        ['filed, but its client gave up unanswered (in the register, once)', checked.unanswered],
        [
          'other problems read back (status, rating, history)',
          checked.problems.length - checked.lost - checked.duplicated - checked.unanswered,
        ],
        ['requests sent again after a 5xx or a lost answer', per(work.requests.retries, 2)],
        ['statistics caught up, after the last return', `${fixed(run.catchUpSeconds, 1)} s`],
        [
          'CPU per dossier: this process (gateway, functions, consumers, workflow, client) + DynamoDB Local',
          `${fixed(work.cpu.node / n, 3)} s + ${fixed(work.cpu.dynamodb / n, 3)} s`,
        ],
        [
          'at that CPU, 2 cores to themselves would return',
          `${fixed((2 * n) / (work.cpu.node + work.cpu.dynamodb))}/s (${fixed((2 * n) / (work.cpu.node + work.cpu.dynamodb) / goalRate, 2)} of the goal)`,
        ],
        ['load average at the end (1, 5, 15 min)', run.load.map((l) => l.toFixed(1)).join(' ')],
      ],
    ),
  );
  for (const failure of day.failures.slice(0, 5)) console.log(`  failed: ${failure.message}`);
  for (const problem of checked.problems.slice(0, 10)) console.log(`  problem: ${problem}`);

  const prod = loadEnvironment('prod');
  const memoryOf = (name: string) => routeList.find((r) => r.id === name)?.memoryMb ?? prod.lambdaMemoryMb;
  const kinds = new Map<string, { invocations: number; dynamodbCalls: number; gbSeconds: number }>();
  for (const f of work.functions) {
    const kind = kinds.get(kindOf(f.name)) ?? { invocations: 0, dynamodbCalls: 0, gbSeconds: 0 };
    kind.invocations += f.invocations;
    kind.dynamodbCalls += f.dynamodbCalls;
    kind.gbSeconds += ((f.invocations * LAMBDA_MS) / 1000) * (memoryOf(f.name) / 1024);
    kinds.set(kindOf(f.name), kind);
  }
  const all = (key: 'invocations' | 'dynamodbCalls' | 'gbSeconds') =>
    sum([...kinds.values()].map((k) => k[key]));
  const waiting = work.functions.filter((f) =>
    ['listPartnerTasks', 'getDossier', 'getServiceIndex'].includes(f.name),
  );
  const apiRequests = kinds.get('API routes')?.invocations ?? 0;
  const emails = run.messages.filter((m) => m.channel === 'email').length;
  const sms = run.messages.filter((m) => m.channel === 'sms');
  const parts = sum(sms.map((m) => smsParts(m.text)));
  const meteredCalls = sum(Object.values(work.operations));

  console.log(
    `\nWork per dossier (the day's ${n}: the stack's counters after the warm-up, until the consumers settled)`,
  );
  console.log(
    table(
      ['figure', 'per dossier'],
      [
        ['DynamoDB calls (every instance counts its own: the pool hook)', per(all('dynamodbCalls'))],
        [
          '  of them waiting (task lists, status reads, index reads)',
          per(sum(waiting.map((f) => f.dynamodbCalls))),
        ],
        ['DynamoDB calls (metering proxy in front of DynamoDB Local)', per(meteredCalls)],
        [
          '  by operation',
          Object.entries(work.operations)
            .filter(([, count]) => count > 0)
            .sort(([, a], [, b]) => b - a)
            .map(([op, count]) => `${op} ${per(count)}`)
            .join(', '),
        ],
        [
          '  GetItem by item, the most read (table, key with ids starred)',
          Object.entries(work.gets)
            .filter(([, count]) => count > 0)
            .sort(([, a], [, b]) => b - a)
            .slice(0, 6)
            .map(([kind, count]) => `${kind} ${per(count)}`)
            .join(', '),
        ],
        ['read request units (RRU, as DynamoDB Local reports them)', per(work.readUnits)],
        ['write request units (WRU, as DynamoDB Local reports them)', per(work.writeUnits)],
        ['  refused writes (a failed condition, a cancelled transaction)', per(work.refusedWrites, 2)],
        ...[...kinds].map(([kind, k]) => [`Lambda invocations: ${kind}`, per(k.invocations)]),
        [
          'function instances started during the day (cold starts), in all / their module loads, s in all',
          `${sum(work.functions.map((f) => f.coldStarts))} / ${fixed(sum(work.functions.map((f) => f.initMs)) / 1000, 1)}`,
        ],
        ['Step Functions state transitions (execution history, mean)', fixed(mean(run.transitions), 1)],
        ["dossier history entries (the dossier's own transitions, mean)", fixed(mean(run.historyLengths), 1)],
        ['notifications: emails', per(emails)],
        [`notifications: SMS (${per(parts)} parts)`, per(sms.length)],
        ['API Gateway requests (routes invoked, IPNs and return pages included)', per(apiRequests)],
        [
          '  client requests doing steps / waiting',
          `${per(work.requests.steps)} / ${per(work.requests.polls)}`,
        ],
        [
          '  presigned S3 transfers / checkout page requests',
          `${per(work.requests.s3)} / ${per(work.requests.provider)}`,
        ],
      ],
    ),
  );

  const cost: [string, number, number, string][] = [
    [
      'DynamoDB writes (WRU; refused writes at 1 WRU)',
      (work.writeUnits + work.refusedWrites) / n,
      PRICE.writeUnit,
      '$1.25 / M WRU',
    ],
    ['DynamoDB reads (RRU)', work.readUnits / n, PRICE.readUnit, '$0.25 / M RRU'],
    ['Lambda requests', all('invocations') / n, PRICE.lambdaRequest, '$0.20 / M'],
    [
      `Lambda GB-s (${LAMBDA_MS} ms each, assumed)`,
      all('gbSeconds') / n,
      PRICE.lambdaGbSecond,
      '$0.0000133334 / GB-s, arm64',
    ],
    ['Step Functions transitions', mean(run.transitions), PRICE.transition, '$25 / M, Standard'],
    ['API Gateway requests', apiRequests / n, PRICE.apiRequest, '$3.50 / M, REST'],
    ['SES emails', emails / n, PRICE.email, '$0.10 / 1,000'],
    ['SNS SMS parts', parts / n, PRICE.smsPart, `$${PRICE.smsPart} / part, assumed (--sms-usd)`],
  ];
  printTop(
    'The functions that call DynamoDB the most (each instance counts its own calls)',
    ['function', 'invocations per dossier', 'DynamoDB calls per dossier', 'calls each'],
    work.functions,
    (f) => f.dynamodbCalls,
    12,
    (f) => [f.name, per(f.invocations), per(f.dynamodbCalls), fixed(f.dynamodbCalls / f.invocations, 1)],
  );
  printTop(
    'DynamoDB writes that cost the most (accepted writes by operation and the items they write)',
    ['write', 'per dossier', 'WRU per dossier', 'WRU each'],
    work.writes,
    (w) => w.units,
    10,
    (w) => [w.kind, per(w.calls), per(w.units), fixed(w.units / w.calls, 1)],
  );
  const usd = sum(cost.map(([, quantity, price]) => quantity * price));
  const smsUsd = (parts / n) * PRICE.smsPart;
  console.log('\nCloud cost per dossier at list price');
  console.log(
    table(
      ['item', 'quantity', 'list price', 'USD per dossier', 'USD per 1,000'],
      [
        ...cost.map(([item, quantity, price, list]) => [
          item,
          fixed(quantity),
          list,
          (quantity * price).toExponential(2),
          fixed(quantity * price * 1000, 4),
        ]),
        ['total', '', '', usd.toExponential(2), fixed(usd * 1000, 4)],
        ['total without SMS', '', '', (usd - smsUsd).toExponential(2), fixed((usd - smsUsd) * 1000, 4)],
      ],
    ),
  );
  console.log(
    'Not priced: S3 requests and storage, KMS, CloudWatch logs and metrics, data transfer; stream reads by the event source mappings are free.',
  );

  console.log(`\nService index of the day (GET /v1/stats/index?${run.period}, as the dashboard shows it)`);
  console.log(
    table(
      ['group', 'points', 'measured max'],
      [
        ...run.index.groups.map((g) => [
          g.id,
          g.points === undefined ? '—' : fixed(g.points, 1),
          g.measuredMaxPoints,
        ]),
        ['total', fixed(run.index.points, 1), run.index.measuredMaxPoints],
      ],
    ),
  );
  const c = run.index.counters;
  console.log(
    `counters (warm-up included): received ${c.received}, finished ${c.finished} (early ${c.finishedEarly}, on time ${c.finishedOnTime}, late ${c.finishedLate}), returned ${c.returned}, fee-bearing ${c.feeBearing}, paid online ${c.paidOnline}, ratings ${c.ratings}`,
  );
}

main()
  .catch((error) => {
    console.error(`bench:day: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  })
  // The workflow service's timers of runs still waiting can keep a handle open (bench/run.ts ends the same way).
  .finally(() => process.exit(process.exitCode ?? 0));
