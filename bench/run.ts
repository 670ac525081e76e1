// `npm run bench`: prints the project's performance figures as tables. Numbers, not verdicts: no test reads them.
import { coldStarts } from './cold-start';
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
