// Synthesizes every environment offline, one line per environment; stops at the first failure.
// This is the one place CDK's CloudFormation validation runs (the infra tests turn it off to stay fast):
// together with cdk-nag it fails synth on a finding.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const environments = ['dev', 'staging', 'prod'];
const root = join(import.meta.dirname, '..');
const tmp = join(root, '.tmp');
mkdirSync(tmp, { recursive: true });

// No version check, no notices (cdk.json), no telemetry (cdk.json context): synth makes no network call.
// CDK_VALIDATION=false in the caller's shell would silently skip CloudFormation validation; it is forced on.
const env = { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_VALIDATION: 'true', TMPDIR: tmp };
// `cdk synth` without stack ids synthesizes every stack; this CLI rejects `--all` for synth as an unknown option.
for (const name of environments) {
  const started = performance.now();
  const result = spawnSync(
    'npx',
    ['cdk', 'synth', '-c', `env=${name}`, '-o', join('cdk.out', name), '--validation', '--quiet'],
    { cwd: root, env, encoding: 'utf8' },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stdout.write(`synth ${name}: FAILED after ${seconds} s\n`);
    process.stderr.write(
      `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}\n`,
    );
    process.exit(result.status ?? 1);
  }
  process.stdout.write(`synth ${name}: ok in ${seconds} s -> cdk.out/${name}\n`);
}
