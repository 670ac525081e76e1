// Stops early, with one line, when scripts would run on the wrong toolchain (FACTS.md: node@24 from npm).
import { spawnSync } from 'node:child_process';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `motcua needs Node.js 22+ but scripts run on ${process.version}. Run \`npm ci\` (with install scripts enabled) so the npm package \`node\` provides Node 24 in node_modules/.bin.`,
  );
  process.exit(1);
}
const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
const javaMajor = Number(/version "(\d+)/.exec(`${java.stderr ?? ''}${java.stdout ?? ''}`)?.[1] ?? 0);
if (java.error || javaMajor < 17) {
  console.error(
    'motcua needs Java 17+ for DynamoDB Local and found none on PATH. Install it (Debian: `apt-get install openjdk-17-jre-headless`).',
  );
  process.exit(1);
}
