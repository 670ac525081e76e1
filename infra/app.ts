// CDK entry point (`cdk synth -c env=dev|staging|prod`): builds one environment's stacks with cdk-nag enforced.
// `-c env=all` (npm run synth:all) builds every environment at once, as a stage each, for the offline proof.
import { App } from 'aws-cdk-lib';
import { buildApp, synthAllEnvironments } from './build-app';
import { EnvironmentConfigError } from './config/environments';

try {
  // The stacks (stateful → workflow → api, events → monitoring) are in build-app.ts.
  // A bare App reads the CLI's context; it must not synthesize itself at exit over the real assembly.
  if (new App({ autoSynth: false }).node.tryGetContext('env') === 'all') {
    const findings = synthAllEnvironments();
    if (findings.length > 0) {
      console.error(`cdk-nag: ${findings.length} unacknowledged finding(s)\n${findings.join('\n')}`);
      process.exit(1);
    }
  } else buildApp(undefined).app.synth();
} catch (error) {
  // A wrong -c env or setting deserves one line, not a stack trace; anything else keeps its trace.
  if (!(error instanceof EnvironmentConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
