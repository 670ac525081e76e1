// `npm run bench`: prints the project's performance figures as tables. Numbers, not verdicts: no test reads them.

import { coldStarts } from './cold-start';
import { eventsBench, eventsTables } from './events';
import { filingBench } from './filings';
import { table } from './stats';

const samples = Number(process.env.BENCH_SAMPLES ?? 15);

console.log(
  `motcua benchmarks — ${new Date().toISOString()} — node ${process.version}, ${samples} samples per figure\n`,
);

const rows = await coldStarts(samples);
const reference = rows[0]!;
console.log(
  'Handler bundles (esbuild, as the CDK construct builds them) and cold module load (median of fresh processes)',
);
console.log(
  table(
    ['bundle', 'size KiB', 'load ms', '× reference load'],
    rows.map((row) => [
      row.name,
      (row.bytes / 1024).toFixed(1),
      row.loadMs.toFixed(1),
      (row.loadMs / reference.loadMs).toFixed(2),
    ]),
  ),
);

const filings = Number(process.env.BENCH_FILINGS ?? 64);
const { rows: rates, filingCalls, trackingCalls } = await filingBench({ filings });
console.log(
  '\nFilings on the embedded stack over HTTP (DynamoDB Local + s3rver + local gateway, one process)',
);
const floor = (inFlight: number) =>
  rates.find((r) => r.inFlight === inFlight && r.what.startsWith('GET'))!.perSecond;
console.log(
  table(
    ['operation', 'in flight', 'count', 'per second', '÷ health floor'],
    rates.map((r) => [
      r.what,
      r.inFlight,
      r.count,
      r.perSecond.toFixed(1),
      (r.perSecond / floor(r.inFlight)).toFixed(3),
    ]),
  ),
);
const tally = (calls: string[]) => {
  const counts = new Map<string, number>();
  for (const call of calls) counts.set(call, (counts.get(call) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${name}×${n}`).join(', ');
};
console.log('\nDynamoDB calls per request (counted on the client)');
console.log(
  table(
    ['request', 'calls', 'minimum possible', 'which'],
    [
      ['POST /v1/dossiers (2 documents)', filingCalls.length, 3, tally(filingCalls)],
      ['GET /v1/tracking/{code}', trackingCalls.length, 1, tally(trackingCalls)],
    ],
  ),
);

console.log('\nDomain events: committed → consumer done on the embedded stack, and audit verification');
console.log(`\n${eventsTables(await eventsBench({ samples: 40, burst: 200, verifyEntries: 10_000 }))}`);
