// CDK entry point (`cdk synth -c env=dev|staging|prod`): builds one environment's stacks with cdk-nag enforced.
import { buildApp } from './build-app';

// The stack list (stateful → api → monitoring; the workflow stack joins between api and monitoring) is in build-app.ts.
const { app } = buildApp(undefined);
app.synth();
