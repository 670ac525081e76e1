// Writes docs/contract-baseline.json, the published response contract a unit test holds every change to.
// Added fields are taken in as they come; a removal or a type change is written only with --allow-breaking,
// after the clients have been told.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import pkg from '../package.json' with { type: 'json' };
import { contractBreaks, type ResponseContract, responseContract } from '../shared/http/contract';
import { buildOpenApi } from '../shared/http/openapi';
import { routeList } from '../shared/http/routes';

const file = 'docs/contract-baseline.json';
const current = responseContract(buildOpenApi(routeList, { version: pkg.version }));
if (existsSync(file)) {
  const breaks = contractBreaks(JSON.parse(readFileSync(file, 'utf8')) as ResponseContract, current);
  if (breaks.length && !process.argv.includes('--allow-breaking')) {
    console.error(`Not written: the change breaks published responses.\n  ${breaks.join('\n  ')}`);
    console.error('Run again with --allow-breaking once this break is deliberate and announced.');
    process.exit(1);
  }
}
writeFileSync(file, `${JSON.stringify(current, null, 2)}\n`);
console.log(`wrote ${file}`);
