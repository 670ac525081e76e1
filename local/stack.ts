// The embedded stack, composed: emulators, tables and buckets, seed, issuer and gateway. `npm start` and the
// integration tests both build it from here.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { repoRoot } from '../infra/bundling';
import { resetDynamoClientForTests } from '../shared/adapters/aws';
import { resetS3ClientForTests } from '../shared/adapters/s3-client';
import { receiptBookEnvironment, resetConfigForTests } from '../shared/config';
import { buckets, tables } from '../shared/data/resources';
import { secrets } from '../shared/data/secrets';
import { centerReceiptBook } from '../shared/domain/issued-receipts';
import { type ConsumerDefinition, consumerList } from '../shared/events/consumers';
import type { StreamHandler } from '../shared/events/handler';
import { routeList } from '../shared/http/routes';
import type { RoutingTaskKey } from '../shared/workflow/tasks';
import { createBuckets, createTables, localClients, localNames } from './bootstrap';
import { deadLetterDir } from './dead-letters';
import { demoAccounts, demoPartners } from './demo';
import { type RunningService, startDynamoDbLocal, startS3 } from './emulators';
import { createFunctionPool, type FunctionPool, type FunctionPoolOptions } from './function-pool';
import { createGateway } from './gateway';
import { createIssuer } from './issuer';
import { startStreamConsumers } from './stream-poller';
import type { Invoker } from './workflow/engine';
import { startWorkflowService } from './workflow/server';

export const REGION = 'ap-southeast-1';
/** Where the supervisors' overdue alerts go on the embedded stack (the outbox shows them). */
export const LOCAL_SUPERVISORS_EMAIL = 'giamsat@motcua.local.test';

/**
 * A stream consumer run in the function pool: the poller hands it a batch as the event source mapping hands Lambda
 * one; a function error or a dead instance is thrown, so the poller retries the batch as Lambda would.
 */
function pooledConsumer(pool: FunctionPool, definition: ConsumerDefinition): StreamHandler {
  const spec = {
    name: `consumer-${definition.id}`,
    handlerPath: join(repoRoot, definition.handler),
    memoryMb: 512,
  };
  return async (event, context) => {
    const outcome = await pool.invoke(spec, {
      event,
      context: {
        callbackWaitsForEmptyEventLoop: false,
        functionName: `motcua-local-${definition.id}`,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:motcua-local-${definition.id}`,
        memoryLimitInMB: '512',
        awsRequestId: context?.awsRequestId ?? randomUUID(),
        logGroupName: `/aws/lambda/motcua-local-${definition.id}`,
        logStreamName: 'local',
        timeoutMs: context?.getRemainingTimeInMillis() ?? 60_000,
      },
    });
    if (outcome.kind === 'result') return outcome.result as DynamoDBBatchResponse;
    if (outcome.kind === 'throttled') throw new Error(`${definition.id} is at its concurrency limit`);
    throw outcome.error;
  };
}

/** Runs a routing task state's function: in its own pooled instance, or in this process without a pool. */
function routingInvoker(
  pool: FunctionPool | undefined,
  overrides: Partial<Record<RoutingTaskKey, string>> = {},
): Invoker {
  return async (functionName, payload, info) => {
    const { routingTaskOf } = await import('./workflow/routing-names');
    const { routingTasks } = await import('../shared/workflow/tasks');
    const key = routingTaskOf(functionName);
    if (!key) throw new Error(`no local function ${functionName}`);
    const task = routingTasks[key];
    const handlerPath = overrides[key] ?? join(repoRoot, task.handler);
    if (!pool) {
      const module = (await import(handlerPath)) as { handler: (event: unknown) => Promise<unknown> };
      return module.handler(payload);
    }
    const outcome = await pool.invoke(
      { name: task.id, handlerPath, memoryMb: 512 },
      {
        event: payload,
        context: {
          callbackWaitsForEmptyEventLoop: false,
          functionName,
          functionVersion: '$LATEST',
          invokedFunctionArn: `arn:aws:lambda:${REGION}:000000000000:function:${functionName}`,
          memoryLimitInMB: '512',
          awsRequestId: randomUUID(),
          logGroupName: `/aws/lambda/${functionName}`,
          logStreamName: info.executionArn.split(':').pop() ?? 'local',
          timeoutMs: 60_000,
        },
      },
    );
    if (outcome.kind === 'result') return outcome.result;
    if (outcome.kind === 'throttled') {
      const error = new Error(`${functionName} is at its concurrency limit`);
      error.name = 'Lambda.TooManyRequestsException';
      throw error;
    }
    throw outcome.error;
  };
}

export interface StackOptions {
  /** Persistent data folder; omitted keeps DynamoDB in memory and S3 in a temp folder. */
  dataDir?: string;
  s3Dir?: string;
  /** DynamoDB Local (when the stack starts it) with the JVM's quick compiler only, for short runs (local/emulators.ts). */
  quickStart?: boolean;
  ports: {
    gateway: number;
    dynamodb: number;
    s3: number;
    workflow?: number;
    inbox?: number;
    payments?: number;
    outbox?: number;
  };
  /** Reuse emulators already running (integration tests start them once). */
  emulators?: { dynamodb: string; s3: string };
  prefix?: string;
  throttle?: { ratePerSecond: number; burst: number };
  corsOrigins?: string[];
  seed?: boolean;
  publicBaseUrl?: string;
  /** Drive the stream consumers from DynamoDB Local's stream (default on). */
  consumers?: boolean;
  /**
   * Route received dossiers through their agencies (default on). Off leaves a received dossier RECEIVED: intake
   * tests, whose officer moves after receipt would otherwise race the router.
   */
  routing?: boolean;
  /**
   * How the gateway runs the functions: `instances` (default) gives each function a pool of isolated instances,
   * each serving one request at a time as Lambda does; `in-process` runs every handler in this process (faster to
   * start, but it hides contention that Lambda shows).
   */
  isolation?: 'instances' | 'in-process';
  /** Settings of the function pool (instances per function, overflow, DynamoDB call counting). */
  pool?: FunctionPoolOptions;
  /** The local workflow service's time scale: 1 is real time, 86400 makes a working day's timeout a second. */
  workflowTimeScale?: number;
  /**
   * Another handler module for some routing tasks, by task key (absolute paths): fault-injection tests wrap the real
   * handler to make it fail, as a function whose database is unreachable would.
   */
  taskHandlers?: Partial<Record<RoutingTaskKey, string>>;
  /**
   * How often the routing sweep runs (its schedule in the cloud is every 5 minutes): by default 5 minutes divided by
   * the workflow time scale, at least a second; 0 turns the timer off (tests that sweep by hand).
   */
  sweepEveryMs?: number;
  /** How often the other schedules run (shared/schedules.ts): by default their cloud rate; 0 runs them only by hand. */
  scheduleEveryMs?: number;
}

/** The environment the handlers read: the same variable names the CDK function construct sets in the cloud. */
export function handlerEnvironment(
  urls: { dynamodb: string; s3: string },
  prefix: string,
  extra: Record<string, string>,
) {
  const names = localNames(prefix);
  return {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_S3: urls.s3,
    S3_FORCE_PATH_STYLE: 'true',
    STAGE: 'local',
    ...Object.fromEntries(Object.values(tables).map((t) => [t.envVar, names.table(t.id)])),
    ...Object.fromEntries(Object.values(buckets).map((b) => [b.envVar, names.bucket(b.id)])),
    ...extra,
  };
}

export async function startStack(options: StackOptions) {
  const prefix = options.prefix ?? 'motcua-local';
  const started: RunningService[] = [];
  let sweep: import('./schedule-timer').ScheduleTimer | undefined;
  const schedules: Record<string, import('./schedule-timer').ScheduleTimer> = {};
  const stopAll = async () => {
    for (const service of started.reverse()) await service.stop().catch(() => undefined);
  };
  try {
    let urls = options.emulators;
    if (!urls) {
      const dynamodb = await startDynamoDbLocal({
        port: options.ports.dynamodb,
        ...(options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {}),
        ...(options.quickStart ? { quickStart: true } : {}),
      });
      started.push(dynamodb);
      const s3 = await startS3({
        port: options.ports.s3,
        dataDir: options.s3Dir ?? join(options.dataDir ?? '.local', 's3'),
      });
      started.push(s3);
      urls = { dynamodb: dynamodb.url, s3: s3.url };
    }
    // The Step Functions API on loopback (local/workflow), journaled under the data folder so executions in progress
    // survive a restart.
    // Its task states invoke the routing task handlers, bound below once the function pool exists.
    let invokeTask: Invoker = async () => {
      throw new Error('the embedded stack is still starting');
    };
    const workflow = await startWorkflowService({
      port: options.ports.workflow ?? 0,
      region: REGION,
      timeScale: options.workflowTimeScale ?? Number(process.env.WORKFLOW_TIME_SCALE ?? 1),
      ...(options.dataDir ? { dataDir: join(options.dataDir, 'workflow') } : {}),
      invoker: (name, payload, info) => invokeTask(name, payload, info),
    });
    started.push({ url: workflow.url, stop: () => workflow.stop() });
    // The one routing definition, as the workflow stack synthesizes it, resolved to the local task functions.
    const { cachedRoutingDefinition } = await import('./workflow/routing-names');
    const routingMachineArn = workflow.putStateMachine(
      `${prefix}-routing`,
      await cachedRoutingDefinition(REGION),
    );
    // The agencies' receiving side, played locally: each demo agency's webhook endpoint is this inbox, its secret in
    // a git-ignored file (agency data, as Secrets Manager holds it in the cloud).
    const { fileAgencyEndpoints } = await import('./agency-endpoints');
    const { startAgencyInbox } = await import('./agency-inbox');
    const inboxDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'motcua-inbox-'));
    const endpointsFile = join(inboxDir, 'agency-endpoints.json');
    const agencyEndpoints = fileAgencyEndpoints(endpointsFile);
    const inbox = await startAgencyInbox({
      port: options.ports.inbox ?? 0,
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      endpoints: agencyEndpoints,
    });
    started.push({ url: inbox.url, stop: () => inbox.stop() });
    for (const partner of demoPartners)
      await agencyEndpoints.setEndpoint(partner.agency, inbox.hookUrl(partner.agency));
    // The applicants' side of the notifications: SES v2 and SNS on loopback, what they would have sent on a page.
    const { startOutbox } = await import('./outbox');
    const outbox = await startOutbox({
      port: options.ports.outbox ?? 0,
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    });
    started.push({ url: outbox.url, stop: () => outbox.stop() });
    // The payment provider's merchant secret, as Secrets Manager holds it in the cloud: a git-ignored file the payment
    // functions read; the sandbox provider (started once the gateway listens, its IPN target) signs with the same key.
    const { localPaymentSecret } = await import('./payment-secret');
    const paymentSecret = localPaymentSecret(join(inboxDir, 'secrets'));
    // The data-sharing export's pseudonym key: a fixed development value (local/pseudonym-secret.ts).
    const { localPseudonymSecret } = await import('./pseudonym-secret');
    const { pseudonymSecret } = await import('../shared/data/sharing');
    const pseudonymFile = localPseudonymSecret(join(inboxDir, 'secrets'));
    const corsOrigins = options.corsOrigins ?? ['http://localhost:5173'];
    const publicBaseUrl = options.publicBaseUrl ?? `http://localhost:${options.ports.gateway}`;
    Object.assign(
      process.env,
      handlerEnvironment(urls, prefix, {
        CORS_ORIGINS: corsOrigins.join(','),
        AWS_ENDPOINT_URL_SFN: workflow.url,
        ROUTING_STATE_MACHINE_ARN: routingMachineArn,
        AGENCY_ENDPOINTS_FILE: endpointsFile,
        // Webhooks given up on, beside the consumers' dead letters (`npm run dlq` lists both).
        AGENCY_WEBHOOK_DEAD_LETTERS_DIR: deadLetterDir(inboxDir),
        PUBLIC_BASE_URL: publicBaseUrl,
        [secrets['payment-vnpay'].envVar]: paymentSecret.file,
        [pseudonymSecret.envVar]: pseudonymFile,
        AWS_ENDPOINT_URL_SESV2: outbox.url,
        AWS_ENDPOINT_URL_SNS: outbox.url,
        NOTIFY_EMAIL_FROM: 'thongbao@motcua.local.test',
        NOTIFY_SMS_SENDER_ID: 'HCCHANOI',
        // The book every environment's configuration names until the center's registered one replaces it.
        ...receiptBookEnvironment(centerReceiptBook),
        // The supervisors' mailbox: their overdue alerts land in the same outbox.
        NOTIFY_SUPERVISORS_EMAIL: LOCAL_SUPERVISORS_EMAIL,
      }),
    );
    resetConfigForTests();
    resetDynamoClientForTests();
    resetS3ClientForTests();

    const clients = localClients(urls);
    await createTables(clients.dynamodb, localNames(prefix));
    await createBuckets(clients.s3, localNames(prefix), corsOrigins);
    // Which agency each demo partner principal acts for is data, as in the cloud: registry items.
    const { seedPartners } = await import('./seed');
    const { partnerRegistry } = await import('../shared/adapters/deps');
    await seedPartners(partnerRegistry());
    let seeded: Awaited<ReturnType<typeof import('./seed').seedCatalogue>> | undefined;
    if (options.seed !== false) {
      const { seedCatalogue } = await import('./seed');
      const { catalogueRepository } = await import('../shared/adapters/deps');
      seeded = await seedCatalogue(catalogueRepository());
    }
    // Whatever an invocation wrote reaches the stream: the consumers read again at once, and poll a quiet stream
    // slowly (local/stream-poller.ts), so an idle stack costs little CPU.
    let wakeConsumers: (() => void) | undefined;
    const pool =
      options.isolation === 'in-process'
        ? undefined
        : createFunctionPool({ ...options.pool, onInvoked: () => wakeConsumers?.() });
    if (pool) started.push({ url: '', stop: () => pool.stop() });
    invokeTask = routingInvoker(pool, options.taskHandlers);
    if (options.consumers !== false) {
      // The same consumer handlers the event source mappings invoke in the cloud, fed from the table's stream, each
      // in its own instances as Lambda runs them.
      const consumers = await startStreamConsumers({
        dynamodb: urls.dynamodb,
        tableName: localNames(prefix).table('dossiers'),
        ...(options.dataDir ? { dataDir: options.dataDir } : {}),
        // In one process nothing tells the consumers of a write: they keep the quick pace.
        ...(pool
          ? { loadHandler: async (definition) => pooledConsumer(pool, definition) }
          : { pollMs: 150, idlePollMs: 150 }),
        ...(options.routing === false
          ? { consumers: consumerList.filter((c) => !c.id.startsWith('routing-')) }
          : {}),
      });
      wakeConsumers = () => consumers.wake();
      started.push({ url: '', stop: () => consumers.stop() });
    }

    if (options.routing !== false) {
      const { routingSweep } = await import('../shared/workflow/tasks');
      const scale = options.workflowTimeScale ?? Number(process.env.WORKFLOW_TIME_SCALE ?? 1);
      const everyMs = options.sweepEveryMs ?? Math.max(1_000, (routingSweep.everyMinutes * 60_000) / scale);
      if (everyMs > 0) {
        const { startScheduleTimer } = await import('./schedule-timer');
        const { createLogger } = await import('../shared/logging');
        const log = createLogger({ service: 'motcua', component: 'local-scheduler' });
        const timer = startScheduleTimer({
          schedule: routingSweep,
          everyMs,
          pool,
          onError: (error) => log.error('sweep failed', { error }),
        });
        sweep = timer;
        // Stopped before the pool (started runs stop in reverse order).
        started.push({ url: '', stop: () => timer.stop() });
      }
    }

    // The other schedules (shared/schedules.ts), at their cloud rate; `scheduleEveryMs: 0` keeps only `runNow`.
    {
      const { scheduleList } = await import('../shared/schedules');
      const { startScheduleTimer } = await import('./schedule-timer');
      const { createLogger } = await import('../shared/logging');
      const log = createLogger({ service: 'motcua', component: 'local-scheduler' });
      for (const schedule of scheduleList) {
        const timer = startScheduleTimer({
          schedule,
          everyMs: options.scheduleEveryMs ?? schedule.everyMinutes * 60_000,
          pool,
          onError: (error) => log.error('schedule failed', { schedule: schedule.id, error }),
        });
        schedules[schedule.id] = timer;
        started.push({ url: '', stop: () => timer.stop() });
      }
    }

    const issuer = await createIssuer(
      `${publicBaseUrl}/local-idp`,
      options.dataDir ? join(options.dataDir, 'issuer-key.json') : undefined,
    );
    const { auditRefusal } = await import('../shared/observability/refusal-audit');
    const { edgeAuditDeps } = await import('../shared/adapters/deps');
    const { createLogger } = await import('../shared/logging');
    const auditDeps = edgeAuditDeps();
    const edgeLog = createLogger({ service: 'motcua', component: 'local-gateway' });
    const gateway = createGateway({
      ...(pool ? { pool } : {}),
      auditRefusal: (refusal) => auditRefusal(refusal, auditDeps, edgeLog),
      routes: routeList,
      issuer,
      partners: demoPartners,
      demoAccounts,
      corsOrigins,
      throttle: options.throttle ?? { ratePerSecond: 500, burst: 1000 },
      region: REGION,
      docs: true,
    });
    const gatewayUrl = await gateway.listen(options.ports.gateway);
    started.push({ url: gatewayUrl, stop: () => gateway.close() });
    const { startPaymentSandbox } = await import('./payment-sandbox');
    const payments = await startPaymentSandbox({
      port: options.ports.payments ?? 0,
      tmnCode: paymentSecret.tmnCode,
      hashSecret: paymentSecret.hashSecret,
      journalFile: join(inboxDir, 'payment-sandbox.jsonl'),
      ipnUrl: `${gatewayUrl}/v1/payments/vnpay/ipn`,
      timeScale: 0.05,
    });
    started.push({ url: payments.url, stop: () => payments.close() });
    paymentSecret.point(payments);
    return {
      urls: {
        ...urls,
        gateway: gatewayUrl,
        workflow: workflow.url,
        inbox: inbox.url,
        payments: payments.url,
        outbox: outbox.url,
      },
      payments,
      outbox,
      inbox,
      workflow,
      routingMachineArn,
      issuer,
      seeded,
      clients,
      /** The routing sweep's timer, when it runs. */
      sweep,
      /** The other schedules' timers by id (shared/schedules.ts), each with `runNow`. */
      schedules,
      /** Cold starts, invocations and concurrency per function (empty with `isolation: 'in-process'`). */
      functionStats: () => pool?.stats() ?? [],
      async stop() {
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
