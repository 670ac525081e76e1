// `npm run bench`: prints the project's performance figures as tables. Numbers, not verdicts: no test reads them.

import { coldStarts, coldStartTable } from './cold-start';
import { eventsBench, eventsTables } from './events';
import { filingBench } from './filings';
import { ipnBench } from './payments';
import { routingBench } from './routing';
import { table } from './stats';

const samples = Number(process.env.BENCH_SAMPLES ?? 15);

console.log(
  `motcua benchmarks — ${new Date().toISOString()} — node ${process.version}, ${samples} samples per figure\n`,
);

console.log(coldStartTable(await coldStarts(samples)));

const filings = Number(process.env.BENCH_FILINGS ?? 64);
const { rows: rates, calls, coldStarts: pool } = await filingBench({ filings });
console.log(
  '\nFilings on the embedded stack over HTTP (DynamoDB Local + s3rver + local gateway; every function in isolated instances, one request each at a time)',
);
const floor = (inFlight: number) =>
  rates.find((r) => r.inFlight === inFlight && r.what.startsWith('GET'))!.perSecond;
console.log(
  table(
    ['operation', 'in flight', 'count', 'per second', '÷ floor'],
    rates.map((r) => [
      r.what,
      r.inFlight,
      r.count,
      r.perSecond.toFixed(1),
      (r.perSecond / floor(r.inFlight)).toFixed(3),
    ]),
  ),
);
console.log("\nDynamoDB calls per request (counted on each instance's client)");
console.log(
  table(
    ['request', 'in flight', 'requests', 'calls each', 'minimum', 'which (total)'],
    calls.map((c) => [
      c.what,
      c.inFlight,
      c.invocations,
      c.perInvocation.toFixed(2),
      // Filing: the procedure and the branch (2 GetItem), the uploads (1 BatchGetItem), the number (1 UpdateItem),
      // the write (1 TransactWriteItems), the same under contention (no retry). Tracking: 1 GetItem.
      c.what.startsWith('POST') ? 5 : 1,
      Object.entries(c.which)
        .map(([name, n]) => `${name.replace(/Command$/, '')}×${n}`)
        .join(', '),
    ]),
  ),
);
console.log('\nFunction instances during the filing bench (cold starts are counted, as Lambda counts them)');
console.log(
  table(
    ['function', 'cold starts', 'invocations', 'most at once', 'init ms (median)'],
    pool.map((f) => [f.function, f.coldStarts, f.invocations, f.maxConcurrent, f.initMsMedian.toFixed(0)]),
  ),
);

console.log('\nDomain events: committed → consumer done on the embedded stack, and audit verification');
console.log(`\n${eventsTables(await eventsBench({ samples: 40, burst: 200, verifyEntries: 10_000 }))}`);

const routing = await routingBench({
  samples: Number(process.env.BENCH_ROUTES ?? 5),
  decisions: Number(process.env.BENCH_DECISIONS ?? 32),
  inFlight: 16,
});
console.log(
  `\nRouting on the embedded stack (under-6 bundle 2.002621: one step, then two in parallel; time scale ${routing.timeScale})`,
);
console.log(
  table(
    ['figure', 'value'],
    [
      ['state transitions per dossier (execution history)', routing.transitions],
      [
        'Step Functions cost per 1,000 dossiers ($0.025 / 1,000 transitions)',
        `$${routing.usdPer1000Dossiers.toFixed(3)}`,
      ],
      [
        'counter filing → RESULT_READY, first dossier (cold instances), ms',
        routing.endToEndMs.first.toFixed(0),
      ],
      [
        `counter filing → RESULT_READY, median of ${routing.endToEndMs.samples} warm, ms`,
        routing.endToEndMs.median.toFixed(0),
      ],
      [
        `partner decisions per second (${routing.decisions.count} decisions, ${routing.decisions.inFlight} in flight)`,
        routing.decisions.perSecond.toFixed(1),
      ],
    ],
  ),
);

const payments = await ipnBench({ ipns: Number(process.env.BENCH_IPNS ?? 64) });
console.log('\nPayment callbacks (VNPay IPN, each settling its own pending payment) on the embedded stack');
console.log(
  table(
    ['figure', 'value'],
    [
      ...payments.rates.map((r) => [
        `IPNs per second, ${r.inFlight} in flight (${r.count} IPNs)`,
        r.perSecond.toFixed(1),
      ]),
      [
        `DynamoDB calls per IPN (minimum ${payments.calls.minimum}: pointer, dossier, one transaction; the audit entry comes from the event)`,
        `${payments.calls.perIpn.toFixed(2)} (${Object.entries(payments.calls.which)
          .map(([command, n]) => `${command.replace(/Command$/, '')} ${n}`)
          .join(', ')})`,
      ],
    ],
  ),
);

// Every stack is stopped by now, but a handle stays open after the routing bench (not yet found: the workflow
// service's timers of runs still waiting, or an SDK client's keep-alive socket), so the bench ends explicitly.
process.exit(process.exitCode ?? 0);
