// `npx tsx bench/cold-start-attribution.ts [routeId…]`: what a handler's bundle carries beyond the reference, read
// from esbuild's metafile (bytes of output per input module, grouped by package or folder), built with the same
// options as the cold-start bench. Numbers for finding weight, not a measurement of load time.
import { build, type Metafile } from 'esbuild';
import { esbuildOptions } from '../infra/bundling';
import { routeList } from '../shared/http/routes';
import { groupOf } from './bundle-groups';
import { table } from './stats';

type Inputs = Metafile['outputs'][string]['inputs'];

async function inputsOf(entry: string): Promise<Inputs> {
  const { metafile } = await build({
    ...esbuildOptions(entry, '.tmp/bench/attribution'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint)!;
  return output.inputs;
}

function byGroup(inputs: Inputs): Map<string, number> {
  const groups = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    groups.set(groupOf(input), (groups.get(groupOf(input)) ?? 0) + bytesInOutput);
  }
  return groups;
}

const wanted = process.argv.slice(2);
const reference = byGroup(await inputsOf('bench/reference-handler.ts'));
const kib = (bytes: number) => (bytes / 1024).toFixed(1);
for (const route of routeList.filter((r) => wanted.length === 0 || wanted.includes(r.id))) {
  const groups = byGroup(await inputsOf(route.handler));
  const rows = [...groups]
    .map(([group, bytes]) => ({ group, bytes, extra: bytes - (reference.get(group) ?? 0) }))
    .filter((row) => row.extra > 512)
    .sort((a, b) => b.extra - a.extra);
  const total = [...groups.values()].reduce((a, b) => a + b, 0);
  const referenceTotal = [...reference.values()].reduce((a, b) => a + b, 0);
  console.log(
    `\n${route.id} (${route.handler}): ${kib(total)} KiB of code, reference ${kib(referenceTotal)} KiB`,
  );
  console.log(
    table(
      ['package or folder', 'KiB in bundle', 'KiB beyond reference'],
      rows.map((row) => [row.group, kib(row.bytes), kib(row.extra)]),
    ),
  );
}
