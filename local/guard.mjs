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
    'motcua needs a Java 17+ JDK for DynamoDB Local and found none on PATH. Install it (Debian: `apt-get install openjdk-17-jdk-headless`).',
  );
  process.exit(1);
}
// DynamoDB Local is started through a small source-file launcher that binds it to loopback: that needs the JDK's
// compiler module, which a bare JRE lacks.
const modules = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
if (!/^jdk\.compiler@/m.test(modules.stdout ?? '')) {
  console.error(
    'motcua needs a Java JDK (not only a JRE) to start DynamoDB Local on loopback. Install it (Debian: `apt-get install openjdk-17-jdk-headless`).',
  );
  process.exit(1);
}
