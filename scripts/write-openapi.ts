// Writes docs/openapi.json from the route table; a test fails when the committed copy drifts.
import { writeFileSync } from 'node:fs';
import pkg from '../package.json' with { type: 'json' };
import { buildOpenApi } from '../shared/http/openapi';
import { routeList } from '../shared/http/routes';

writeFileSync(
  'docs/openapi.json',
  `${JSON.stringify(buildOpenApi(routeList, { version: pkg.version }), null, 2)}\n`,
);
console.log('wrote docs/openapi.json');
