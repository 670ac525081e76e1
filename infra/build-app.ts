// Builds the whole CDK app for one environment; app.ts runs it for the CLI, tests call it directly.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stage, Validations } from 'aws-cdk-lib';
import type { AwsSolutionsChecks, NagPack } from 'cdk-nag';
import { agencyWebhookDeadLettersQueueName } from '../shared/adapters/sqs-undelivered-notices';
import { dossierFactsExport } from '../shared/data/sharing';
import { type ConsumerDefinition, consumerList } from '../shared/events/consumers';
import type { RouteDefinition } from '../shared/http/route-types';
import { routeList } from '../shared/http/routes';
import { paymentReconciliation, type ScheduleDefinition, scheduleList } from '../shared/schedules';
import { routingSweep, routingTasks } from '../shared/workflow/tasks';
import { repoRoot } from './bundling';
import { assertDeployAccount, type EnvironmentConfig, loadEnvironment } from './config/environments';
import type { MotcuaFunction } from './constructs/motcua-function';
import { nagFindings, nagPacks } from './nag';
import { ApiStack } from './stacks/api-stack';
import { DashboardStack } from './stacks/dashboard-stack';
import { DataSharingStack } from './stacks/data-sharing-stack';
import { EventsStack } from './stacks/events-stack';
import { MonitoringStack } from './stacks/monitoring-stack';
import { StatefulStack } from './stacks/stateful-stack';
import { routingStateMachineName, WorkflowStack, workflowFunctionName } from './stacks/workflow-stack';

export interface BuildAppOptions {
  /** Cloud assembly directory; the CLI sets it through CDK_OUTDIR otherwise. */
  outdir?: string;
  /** Extra context, e.g. `{ 'aws:cdk:bundling-stacks': [] }` to skip bundling in tests. */
  context?: Record<string, unknown>;
  /** The route table; the real one unless a test passes its own. */
  routes?: readonly RouteDefinition[];
  schedules?: readonly ScheduleDefinition[];
  /** The stream consumers; shared/events/consumers.ts's unless a test passes its own. */
  consumers?: readonly ConsumerDefinition[];
  /**
   * Register the cdk-nag packs (AwsSolutions, NIST 800-53 rev 5, Serverless: infra/nag.ts) so synth fails on
   * unacknowledged findings (default true).
   */
  nag?: boolean;
  /**
   * The account of the credentials; CDK_DEFAULT_ACCOUNT (set by the CLI when credentials exist) otherwise. An
   * environment that names its account refuses any other; one that does not (dev) deploys into this one.
   */
  account?: string;
  /**
   * CDK's built-in CloudFormation rule validation (default true). It costs ~8 s per synth, so tests of
   * intent may turn it off; `scripts/synth-all.mjs` always runs it.
   */
  cfnValidation?: boolean;
  /** APP_VERSION of every function; context `version` or package.json's version otherwise. */
  appVersion?: string;
  /**
   * Build into this stage of an existing app instead of a new app (`synthAllEnvironments`): the stacks, their
   * names and templates are the same, and the stages of one app share one asset directory, so each function
   * is bundled once for every environment.
   */
  stage?: Stage;
}

export interface BuiltApp {
  /** Where the stacks are: a new app, or the stage passed in `options.stage`. */
  app: Stage;
  config: EnvironmentConfig;
  stateful: StatefulStack;
  workflow: WorkflowStack;
  api: ApiStack;
  events: EventsStack;
  monitoring: MonitoringStack;
  dashboard: DashboardStack;
  /** The de-identified daily export, its Glue table and Athena workgroup. */
  dataSharing: DataSharingStack;
  /** The AwsSolutions pack (the first of `nagPacks`). */
  nagPack?: AwsSolutionsChecks;
  /** Every registered pack: AwsSolutions, NIST 800-53 rev 5, Serverless. */
  nagPacks?: NagPack[];
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
 * One stack set per environment, deployed in this order: `motcua-<env>-stateful` (data), `motcua-<env>-workflow`
 * (routing state machine and its tasks), `motcua-<env>-api` (REST API, with a nested stack per bounded context),
 * `motcua-<env>-events` (stream consumers), `motcua-<env>-monitoring`, `motcua-<env>-dashboard` (S3 + CloudFront).
 * `envName` undefined means "take it from context `env`" (what `cdk synth -c env=dev` passes).
 */
export function buildApp(envName: string | undefined, options: BuildAppOptions = {}): BuiltApp {
  const credentials = options.account ?? process.env.CDK_DEFAULT_ACCOUNT;
  // A name given outright is checked before the App exists, so a wrong one leaves no temp assembly behind.
  const named = envName === undefined ? undefined : loadEnvironment(envName);
  if (named) assertDeployAccount(named, credentials);
  const app =
    options.stage ??
    new App({
      ...(options.outdir ? { outdir: options.outdir } : {}),
      context: { ...cdkJsonContext(), ...options.context },
      builtinCloudFormationValidation: options.cfnValidation ?? true,
    });
  const config = named ?? loadEnvironment(app.node.tryGetContext('env'));
  if (!named) assertDeployAccount(config, credentials);
  const account = config.account ?? credentials;
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
  const appVersion = options.appVersion ?? String(app.node.tryGetContext('version') ?? packageVersion());
  const workflow = new WorkflowStack(app, `${prefix}-workflow`, {
    ...common,
    stackName: `${prefix}-workflow`,
    description: `motcua ${config.name}: inter-agency routing (Step Functions) and its task functions`,
    stateful,
    appVersion,
  });
  const api = new ApiStack(app, `${prefix}-api`, {
    ...common,
    stackName: `${prefix}-api`,
    description: `motcua ${config.name}: REST API (a nested stack per context: one function per route), WAF`,
    stateful,
    routes: options.routes ?? routeList,
    appVersion,
  });
  const consumers = options.consumers ?? consumerList;
  const events = new EventsStack(app, `${prefix}-events`, {
    ...common,
    stackName: `${prefix}-events`,
    description: `motcua ${config.name}: stream consumers of domain events`,
    stateful,
    consumers,
    schedules: options.schedules ?? scheduleList,
    appVersion,
  });
  // The API and the consumers grant on the machine by its name, not an export (workflow-stack.ts): these dependencies
  // only order a first deploy, so the machine exists before anything starts or answers a run.
  api.addStackDependency(workflow);
  events.addStackDependency(workflow);
  const dashboard = new DashboardStack(app, `${prefix}-dashboard`, {
    ...common,
    stackName: `${prefix}-dashboard`,
    description: `motcua ${config.name}: the supervisors' dashboard (S3 + CloudFront) and its sign-in client`,
    stateful,
    api,
  });
  const dataSharing = new DataSharingStack(app, `${prefix}-data-sharing`, {
    ...common,
    stackName: `${prefix}-data-sharing`,
    description: `motcua ${config.name}: the de-identified daily export, its Glue table and Athena workgroup`,
    stateful,
    appVersion,
  });
  // Every function of the app, by id: the monitoring stack watches them all.
  const watched: [string, MotcuaFunction][] = [
    ...api.functions,
    ...events.functions,
    ...workflow.functions,
    [dossierFactsExport.id, dataSharing.exporter],
  ];
  const monitoring = new MonitoringStack(app, `${prefix}-monitoring`, {
    ...common,
    stackName: `${prefix}-monitoring`,
    description: `motcua ${config.name}: dashboard and alarms`,
    apiName: `motcua-${config.name}`,
    stageName: config.name,
    functions: watched.map(([id, fn]) => ({ id, kind: fn.kind, functionName: fn.functionName })),
    // Every function that has one: the stream consumers' and the schedules' (routing's sweep, payments' reconcile, the
    // daily export).
    deadLetterQueues: [
      ...watched.flatMap(([id, fn]) =>
        fn.deadLetterQueueName
          ? [
              {
                id,
                queueName: fn.deadLetterQueueName,
                source: fn.kind === 'schedule' ? ('schedule' as const) : ('stream' as const),
              },
            ]
          : [],
      ),
      // The workflow stack's queue of the agency webhooks given up on (the assign task's and routing-forwarded's).
      {
        id: 'agency-webhooks',
        queueName: agencyWebhookDeadLettersQueueName(config.name),
        source: 'agency-webhooks' as const,
      },
    ],
    workflow: {
      stateMachineName: routingStateMachineName(config.name),
      overdueFunctionName: workflowFunctionName(config.name, routingTasks.overdue.id),
      assignFunctionName: workflowFunctionName(config.name, routingTasks.assign.id),
      sweepFunctionName: workflowFunctionName(config.name, routingSweep.id),
    },
    payments: {
      callbackFunctionName: api.functions.get('vnpayCallback')!.functionName,
      reconcileFunctionName: events.functions.get(paymentReconciliation.id)!.functionName,
    },
  });
  // No references between them (monitoring addresses everything by name): the order is only for a first deploy.
  monitoring.addStackDependency(api);
  monitoring.addStackDependency(events);
  monitoring.addStackDependency(workflow);
  monitoring.addStackDependency(dataSharing);
  const built = { app, config, stateful, workflow, api, events, monitoring, dashboard, dataSharing };

  if (!(options.nag ?? true)) return built;
  const packs = nagPacks(app);
  Validations.of(app).addPlugins(...packs);
  const nagPack = packs[0] as AwsSolutionsChecks;
  return { ...built, nagPack, nagPacks: packs };
}

/** The environments `synthAllEnvironments` builds. */
export const allEnvironments = ['dev', 'staging', 'prod'] as const;

/**
 * Every environment in one app (`cdk synth -c env=all`, what `npm run synth:all` runs): a stage per environment
 * (`cdk.out/all/assembly-<env>`), the same stacks and templates as `-c env=<env>`, with each bundle built once.
 * Deploys still take one environment (`-c env=prod`), so a deploy never sees another environment's stacks.
 *
 * A nested stage's validation plugins are not run by synth, nor are the app's on a stage's stacks (found by
 * experiment): cdk-nag checks each stage here after synth, and the findings are returned for the caller to fail on.
 */
export function synthAllEnvironments(options: Pick<BuildAppOptions, 'outdir' | 'account'> = {}): string[] {
  const app = new App({ ...(options.outdir ? { outdir: options.outdir } : {}), context: cdkJsonContext() });
  const stages = allEnvironments.map((name) => {
    const stage = new Stage(app, name);
    buildApp(name, { ...options, stage, nag: false });
    return stage;
  });
  app.synth();
  return stages.flatMap((stage) => nagFindings(stage));
}
