// Prints one closing line over every suite of `npm test`, from the JSON each vitest run wrote.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const suite of ['unit', 'integration', 'infra']) {
  const file = `.tmp/results/${suite}.json`;
  if (!existsSync(file)) {
    console.error(`no results for the ${suite} suite (${file})`);
    process.exit(1);
  }
  const result = JSON.parse(readFileSync(file, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  skipped += result.numPendingTests + result.numTodoTests;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
