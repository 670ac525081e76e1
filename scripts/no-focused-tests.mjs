// Fails when a test is focused, skipped or left as a todo: every test in the tree must run.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const pattern =
  /\b(?:it|test|describe|suite)\s*\.\s*(?:only|skip|todo|skipIf|runIf)\b|\bx(?:it|describe|test)\s*\(/;
const offenders = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.test\.[cm]?[jt]s$/.test(name)) {
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (pattern.test(line)) offenders.push(`${path}:${i + 1}: ${line.trim()}`);
        });
    }
  }
}
walk('tests');
if (offenders.length) {
  console.error(`Focused, skipped or todo tests are not allowed:\n${offenders.join('\n')}`);
  process.exit(1);
}
console.log('no focused or skipped tests');
