// Builds the whole CDK app for one environment; app.ts runs it for the CLI, tests call it directly.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { RouteDefinition } from '../shared/http/route-types';
import { routeList } from '../shared/http/routes';
import { repoRoot } from './bundling';
import { type EnvironmentConfig, loadEnvironment } from './config/environments';
import { ApiStack } from './stacks/api-stack';
import { MonitoringStack } from './stacks/monitoring-stack';
import { StatefulStack } from './stacks/stateful-stack';

export interface BuildAppOptions {
  /** Cloud assembly directory; the CLI sets it through CDK_OUTDIR otherwise. */
  outdir?: string;
  /** Extra context, e.g. `{ 'aws:cdk:bundling-stacks': [] }` to skip bundling in tests. */
  context?: Record<string, unknown>;
  /** The route table; the real one unless a test passes its own. */
  routes?: readonly RouteDefinition[];
  /** Register the AwsSolutions cdk-nag pack so synth fails on unacknowledged findings (default true). */
  nag?: boolean;
  /** Target account; CDK_DEFAULT_ACCOUNT (set by the CLI when credentials exist) otherwise. */
  account?: string;
  /**
   * CDK's built-in CloudFormation rule validation (default true). It costs ~8 s per synth, so tests of
   * intent may turn it off; `scripts/synth-all.mjs` always runs it.
   */
  cfnValidation?: boolean;
  /** APP_VERSION of every function; context `version` or package.json's version otherwise. */
  appVersion?: string;
}

export interface BuiltApp {
  app: App;
  config: EnvironmentConfig;
  stateful: StatefulStack;
  api: ApiStack;
  monitoring: MonitoringStack;
  nagPack?: AwsSolutionsChecks;
}

/** cdk.json's context (feature flags): the CLI applies it, a bare `new App()` in a test would not (FACTS.md). */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * One stack set per environment: `motcua-<env>-stateful`, `motcua-<env>-api`, `motcua-<env>-monitoring`.
 * `envName` undefined means "take it from context `env`" (what `cdk synth -c env=dev` passes).
 */
export function buildApp(envName: string | undefined, options: BuildAppOptions = {}): BuiltApp {
  // A name given outright is checked before the App exists, so a wrong one leaves no temp assembly behind.
  const named = envName === undefined ? undefined : loadEnvironment(envName);
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: { ...cdkJsonContext(), ...options.context },
    builtinCloudFormationValidation: options.cfnValidation ?? true,
  });
  const config = named ?? loadEnvironment(app.node.tryGetContext('env'));
  const account = options.account ?? process.env.CDK_DEFAULT_ACCOUNT ?? config.account;
  const common = {
    config,
    env: { ...(account ? { account } : {}), region: config.region },
    terminationProtection: config.retainData,
    tags: { project: 'motcua', environment: config.name },
  };
  const prefix = `motcua-${config.name}`;

  const stateful = new StatefulStack(app, `${prefix}-stateful`, {
    ...common,
    stackName: `${prefix}-stateful`,
    description: `motcua ${config.name}: tables, buckets, keys and the user pool`,
  });
  const api = new ApiStack(app, `${prefix}-api`, {
    ...common,
    stackName: `${prefix}-api`,
    description: `motcua ${config.name}: REST API, one function per route, WAF`,
    stateful,
    routes: options.routes ?? routeList,
    appVersion: options.appVersion ?? String(app.node.tryGetContext('version') ?? packageVersion()),
  });
  // The workflow stack (Step Functions routing, agency callbacks) goes here, between api and monitoring.
  const monitoring = new MonitoringStack(app, `${prefix}-monitoring`, {
    ...common,
    stackName: `${prefix}-monitoring`,
    description: `motcua ${config.name}: dashboard and alarms`,
    api,
  });

  let nagPack: AwsSolutionsChecks | undefined;
  if (options.nag ?? true) {
    nagPack = new AwsSolutionsChecks(app);
    Validations.of(app).addPlugins(nagPack);
  }
  return { app, config, stateful, api, monitoring, ...(nagPack ? { nagPack } : {}) };
}
