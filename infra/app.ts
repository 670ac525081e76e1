// CDK entry point (`cdk synth -c env=dev|staging|prod`): builds one environment's stacks with cdk-nag enforced.
import { buildApp } from './build-app';
import { EnvironmentConfigError } from './config/environments';

try {
  // The stacks (stateful → workflow → api, events → monitoring) are in build-app.ts.
  buildApp(undefined).app.synth();
} catch (error) {
  // A wrong -c env or setting deserves one line, not a stack trace; anything else keeps its trace.
  if (!(error instanceof EnvironmentConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
