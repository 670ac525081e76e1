// `npx tsx bench/cold-start-run.ts`: the cold-start table of `npm run bench` alone, same bundles, same samples
// (BENCH_SAMPLES, default 15), without starting the embedded stack.
import { coldStarts, coldStartTable } from './cold-start';

const samples = Number(process.env.BENCH_SAMPLES ?? 15);
console.log(
  `cold start — ${new Date().toISOString()} — node ${process.version}, ${samples} samples per figure\n`,
);
console.log(coldStartTable(await coldStarts(samples)));
