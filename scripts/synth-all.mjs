// Synthesizes every environment offline, one line per environment; any failure fails the run.
// This is the one place CDK's CloudFormation validation runs (the infra tests turn it off to stay fast):
// together with cdk-nag it fails synth on a finding.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const environments = ['dev', 'staging', 'prod'];
const root = join(import.meta.dirname, '..');
const tmp = join(root, '.tmp');
mkdirSync(tmp, { recursive: true });

// No version check, no notices (cdk.json), no telemetry (cdk.json context): synth makes no network call.
// CDK_VALIDATION=false in the caller's shell would silently skip CloudFormation validation; it is forced on.
// No credentials either, whatever the caller's shell holds: the CLI then asks no STS or instance metadata endpoint,
// staging and prod synthesize with their pinned accounts, and the account guard (infra/config/environments.ts
// `assertDeployAccount`) stays for real deploys, which always run with credentials.
const credentialVars = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'CDK_DEFAULT_ACCOUNT',
];
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !credentialVars.includes(name)),
);
Object.assign(env, {
  CDK_DISABLE_VERSION_CHECK: '1',
  CDK_VALIDATION: 'true',
  TMPDIR: tmp,
  AWS_EC2_METADATA_DISABLED: 'true',
  // Files that do not exist: no profile, no shared credentials.
  AWS_CONFIG_FILE: join(tmp, 'no-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(tmp, 'no-aws-credentials'),
});
// One CLI synth of `-c env=all` (infra/app.ts): every environment as a stage of one assembly, so each function is
// bundled once for all three (three separate synths bundled each three times: ~86 s against ~30 s on 2 cores).
// Without stack ids synth takes every stack; the stages' stacks land in cdk.out/all/assembly-<env>.
const started = performance.now();
const child = spawn(
  'npx',
  ['cdk', 'synth', '-c', 'env=all', '-o', join('cdk.out', 'all'), '--validation', '--quiet'],
  { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
);
let output = '';
child.stdout.on('data', (chunk) => {
  output += chunk;
});
child.stderr.on('data', (chunk) => {
  output += chunk;
});
child.on('error', (error) => {
  output += String(error);
});
child.on('close', (status) => {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (status !== 0) {
    process.stdout.write(`synth ${environments.join(', ')}: FAILED after ${seconds} s\n`);
    process.stderr.write(`${output}\n`);
    process.exitCode = status ?? 1;
    return;
  }
  for (const name of environments)
    process.stdout.write(`synth ${name}: ok -> cdk.out/all/assembly-${name}\n`);
  process.stdout.write(`synth: ${environments.length} environments in ${seconds} s\n`);
});
