import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Pass, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { afterAll, describe, expect, it } from 'vitest';
import { cdkJsonContext } from '../../infra/build-app';
import {
  bucketObjectActions,
  keyActions,
  probeActions,
  queueActions,
  secretActions,
  stateMachineActions,
  streamActions,
  tableActions,
} from '../../infra/constructs/grants';
import {
  type ConsumeOptions,
  type FunctionKind,
  MotcuaFunction,
  type MotcuaFunctionProps,
} from '../../infra/constructs/motcua-function';
import { buckets, tables } from '../../shared/data/resources';
import { eventFilterPattern } from '../../shared/events/filter';
import { cleanUp, scratchDir, skipBundling } from './support';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) cleanUp(dir);
});

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

function testStack(options: { bundle?: boolean } = {}) {
  const outdir = scratchDir('motcua-function');
  dirs.push(outdir);
  const app = new App({
    outdir,
    context: { ...cdkJsonContext(), ...(options.bundle ? {} : skipBundling) },
    // Intent tests; CloudFormation validation runs once per environment in `npm run synth:all`.
    builtinCloudFormationValidation: false,
  });
  const stack = new Stack(app, 'Test', { env: { region: 'ap-southeast-1' } });
  const key = new Key(stack, 'Key', { enableKeyRotation: true });
  const table = new Table(stack, 'Dossiers', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    sortKey: { name: 'sk', type: AttributeType.STRING },
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    stream: StreamViewType.NEW_IMAGE,
  });
  const bucket = new Bucket(stack, 'Documents', { encryption: BucketEncryption.KMS, encryptionKey: key });
  const queueKey = new Key(stack, 'QueueKey', { enableKeyRotation: true });
  const queue = new Queue(stack, 'Work', { encryption: QueueEncryption.KMS, encryptionMasterKey: queueKey });
  const stateMachine = new StateMachine(stack, 'Routing', { definition: new Pass(stack, 'Start') });
  const secret = new Secret(stack, 'VnpaySecret');
  const dossiers = { kind: 'table' as const, definition: tables.dossiers, table, key };
  return {
    app,
    stack,
    outdir,
    dossiers,
    documents: { kind: 'bucket' as const, definition: buckets.documents, bucket, key },
    stream: { kind: 'stream' as const, id: 'dossiers', envVar: 'STREAM_DOSSIERS', table: dossiers },
    queue: { kind: 'queue' as const, id: 'work', envVar: 'QUEUE_WORK', queue },
    stateMachine: {
      kind: 'state-machine' as const,
      id: 'routing',
      envVar: 'STATE_MACHINE_ROUTING',
      stateMachine,
      executionsArn: 'arn:aws:states:ap-southeast-1:000000000000:execution:routing:*',
    },
    secret: { kind: 'secret' as const, id: 'vnpay', envVar: 'SECRET_VNPAY', secret },
  };
}

const entries: Record<FunctionKind, string> = {
  http: 'functions/platform/get-health.ts',
  'stream-consumer': 'functions/audit/on-dossier-event.ts',
  // No workflow task or schedule handler exists yet: any handler module stands in for one.
  'workflow-task': 'functions/platform/get-health.ts',
  schedule: 'functions/platform/get-health.ts',
};

function props(kind: FunctionKind = 'http', extra: Partial<MotcuaFunctionProps> = {}): MotcuaFunctionProps {
  return {
    kind,
    functionName: `motcua-test-${kind}`,
    entry: entries[kind],
    memoryMb: 256,
    timeoutSeconds: 5,
    logRetention: RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
    ...(kind === 'schedule' ? { schedule: Schedule.rate(Duration.minutes(15)) } : {}),
    ...extra,
  };
}

const consumeOptions: ConsumeOptions = {
  filter: eventFilterPattern(['DossierReceived']),
  batchSize: 50,
  maxRetries: 3,
  bisectOnError: true,
  maxRecordAge: Duration.hours(6),
  deadLetterQueueName: 'motcua-test-consumer-dlq',
};

/** The statements of the function's data-access policy (the grants `use()` made). */
function dataStatements(template: Template): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const found = Object.entries(policies).filter(([id]) => id.includes('DataAccess'));
  expect(found).toHaveLength(1);
  const [, policy] = found[0] as [string, { Properties: { PolicyDocument: { Statement: Statement[] } } }];
  return policy.Properties.PolicyDocument.Statement;
}

function variables(template: Template): Record<string, unknown> {
  const fns = Object.values(template.findResources('AWS::Lambda::Function'));
  expect(fns).toHaveLength(1);
  const [fn] = fns as { Properties: { Environment: { Variables: Record<string, unknown> } } }[];
  return fn?.Properties.Environment.Variables ?? {};
}

describe('MotcuaFunction', () => {
  describe('every kind', () => {
    it.each(['http', 'stream-consumer', 'workflow-task', 'schedule'] as const)(
      'fixes runtime, architecture, tracing, limits, no node flags and an own log group for %s',
      (kind) => {
        const { stack } = testStack();
        const fn = new MotcuaFunction(stack, 'Fn', props(kind));
        const template = Template.fromStack(stack);
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: `motcua-test-${kind}`,
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          MemorySize: 256,
          Timeout: 5,
          Handler: 'index.handler',
          LoggingConfig: { LogGroup: { Ref: stack.getLogicalId(fn.logGroup.node.defaultChild as never) } },
        });
        // No NODE_OPTIONS: --enable-source-maps would parse the bundle's map at every cold start; traces are mapped
        // when read (shared/observability/source-mapped-stacks.ts).
        for (const resource of Object.values(template.findResources('AWS::Lambda::Function'))) {
          expect(resource.Properties.Environment?.Variables?.NODE_OPTIONS).toBeUndefined();
        }
        template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
        // No AWS-managed policy: the role may write only to its own log group.
        template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
        expect(fn.kind).toBe(kind);
      },
    );

    it('gives an HTTP function no trigger of its own: API Gateway invokes it', () => {
      const { stack } = testStack();
      new MotcuaFunction(stack, 'Fn', props('http'));
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
      template.resourceCountIs('AWS::Events::Rule', 0);
    });

    it('gives a workflow task no trigger and up to 15 minutes: the state machine invokes it', () => {
      const { stack } = testStack();
      new MotcuaFunction(stack, 'Fn', props('workflow-task', { timeoutSeconds: 900 }));
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 900 });
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
      template.resourceCountIs('AWS::Events::Rule', 0);
    });

    it('runs a schedule function from an EventBridge rule with bounded retries', () => {
      const { stack } = testStack();
      const fn = new MotcuaFunction(stack, 'Fn', props('schedule'));
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(15 minutes)',
        State: 'ENABLED',
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [stack.getLogicalId(fn.function.node.defaultChild as never), 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 2 },
          }),
        ],
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
      });
    });
  });

  describe('a stream consumer', () => {
    it('reads its stream through a mapping with the filter, partial batch responses, bisection and bounds', () => {
      const { stack, stream } = testStack();
      const fn = new MotcuaFunction(stack, 'Fn', props('stream-consumer'));
      fn.consume(stream, consumeOptions);
      const template = Template.fromStack(stack);
      const streamArn = stack.resolve(stream.table.table.tableStreamArn);
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: streamArn,
        FunctionName: { Ref: stack.getLogicalId(fn.function.node.defaultChild as never) },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 50,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 3,
        MaximumRecordAgeInSeconds: 6 * 3600,
        ParallelizationFactor: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify(consumeOptions.filter) }] },
        DestinationConfig: {
          OnFailure: {
            Destination: {
              'Fn::GetAtt': [stack.getLogicalId(fn.deadLetterQueue?.node.defaultChild as never), 'Arn'],
            },
          },
        },
      });
      // The stream grant (on that stream only, with the table key through DynamoDB) and the dead-letter send.
      const statements = dataStatements(template);
      expect(statements).toEqual(
        expect.arrayContaining([
          { Effect: 'Allow', Action: [...streamActions], Resource: streamArn },
          expect.objectContaining({
            Action: 'kms:Decrypt',
            Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.ap-southeast-1.amazonaws.com' } },
          }),
          {
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Resource: stack.resolve(fn.deadLetterQueue?.queueArn),
          },
        ]),
      );
      expect(variables(template)).toMatchObject({ STREAM_DOSSIERS: streamArn });
    });

    it('dead-letters into an encrypted, TLS-only queue that keeps failures 14 days', () => {
      const { stack, stream } = testStack();
      new MotcuaFunction(stack, 'Fn', props('stream-consumer')).consume(stream, consumeOptions);
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: 'motcua-test-consumer-dlq',
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('refuses to consume from another kind, twice, or with out-of-range settings', () => {
      const { stack, stream } = testStack();
      expect(() => new MotcuaFunction(stack, 'Http', props('http')).consume(stream, consumeOptions)).toThrow(
        'Test/Http: only a stream-consumer function consumes',
      );
      const fn = new MotcuaFunction(stack, 'Twice', props('stream-consumer'));
      fn.consume(stream, consumeOptions);
      expect(() => fn.consume(stream, consumeOptions)).toThrow('Test/Twice already consumes a stream');
      const big = new MotcuaFunction(stack, 'Big', props('stream-consumer', { functionName: 'big' }));
      expect(() => big.consume(stream, { ...consumeOptions, batchSize: 20_000 })).toThrow(
        'Test/Big: batchSize must be an integer from 1 to 10000, got 20000',
      );
    });
  });

  describe('use()', () => {
    it('grants exact read actions on a table, its declared indexes and its key, and sets the table env var', () => {
      const { stack, dossiers } = testStack();
      const fn = new MotcuaFunction(stack, 'Fn', props()).use(dossiers, 'read');
      const template = Template.fromStack(stack);
      const tableArn = stack.resolve(dossiers.table.tableArn);
      expect(dataStatements(template)).toEqual([
        {
          Effect: 'Allow',
          Action: [...tableActions.read],
          // CDK orders a statement's resources itself: the set is what matters.
          Resource: expect.toSatisfy(
            (resources: unknown[]) =>
              resources.length === tables.dossiers.indexes.length + 1 &&
              [
                tableArn,
                ...tables.dossiers.indexes.map((index) => ({
                  'Fn::Join': ['', [tableArn, `/index/${index.name}`]],
                })),
              ].every((r) => resources.some((found) => JSON.stringify(found) === JSON.stringify(r))),
          ),
        },
        {
          Effect: 'Allow',
          Action: [...keyActions.read],
          Resource: stack.resolve(dossiers.key.keyArn),
          Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.ap-southeast-1.amazonaws.com' } },
        },
      ]);
      expect(variables(template)).toMatchObject({ TABLE_DOSSIERS: stack.resolve(dossiers.table.tableName) });
      expect([...fn.resources]).toEqual([['table:dossiers', 'read']]);
    });

    it('narrows a table grant to actions and partitions (dynamodb:LeadingKeys), without indexes', () => {
      const { stack, dossiers } = testStack();
      new MotcuaFunction(stack, 'Fn', props()).use(dossiers, {
        access: 'read',
        actions: ['dynamodb:GetItem'],
        indexes: false,
        partitions: ['DOSSIER#*'],
      });
      expect(dataStatements(Template.fromStack(stack))[0]).toEqual({
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: stack.resolve(dossiers.table.tableArn),
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DOSSIER#*'] } },
      });
    });

    it('probes a table or a bucket without reading an item or an object', () => {
      const { stack, dossiers, documents } = testStack();
      new MotcuaFunction(stack, 'Fn', props()).use(dossiers, 'probe').use(documents, 'probe');
      const template = Template.fromStack(stack);
      expect(dataStatements(template)).toEqual([
        {
          Effect: 'Allow',
          Action: probeActions.table[0],
          Resource: stack.resolve(dossiers.table.tableArn),
        },
        {
          Effect: 'Allow',
          Action: probeActions.bucket[0],
          Resource: stack.resolve(documents.bucket.bucketArn),
        },
      ]);
      expect(variables(template)).toMatchObject({
        TABLE_DOSSIERS: stack.resolve(dossiers.table.tableName),
        BUCKET_DOCUMENTS: stack.resolve(documents.bucket.bucketName),
      });
    });

    it('refuses a table action outside the declared access, and never grants Scan', () => {
      const { stack, dossiers } = testStack();
      const fn = new MotcuaFunction(stack, 'Fn', props());
      expect(() => fn.use(dossiers, { access: 'read', actions: ['dynamodb:PutItem'] })).toThrow(
        /Test\/Fn: dossiers read allows .*; dynamodb:PutItem is not one of them/,
      );
      expect(() => fn.use(dossiers, { access: 'readwrite', actions: ['dynamodb:Scan'] })).toThrow(
        /dynamodb:Scan is not one of them/,
      );
      expect(tableActions.readwrite).not.toContain('dynamodb:Scan');
      expect(tableActions.read).not.toContain('dynamodb:Scan');
      expect(tableActions.read.every((action) => tableActions.readwrite.includes(action))).toBe(true);
    });

    it('grants object actions under the whole bucket, ListBucket on it, and sets the bucket env var', () => {
      const { stack, documents } = testStack();
      new MotcuaFunction(stack, 'Fn', props()).use(documents, 'readwrite');
      const template = Template.fromStack(stack);
      const bucketArn = stack.resolve(documents.bucket.bucketArn);
      expect(dataStatements(template)).toEqual(
        expect.arrayContaining([
          {
            Effect: 'Allow',
            Action: [...bucketObjectActions.readwrite],
            Resource: { 'Fn::Join': ['', [bucketArn, '/*']] },
          },
          { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
          expect.objectContaining({
            Action: [...keyActions.readwrite],
            Condition: { StringEquals: { 'kms:ViaService': 's3.ap-southeast-1.amazonaws.com' } },
          }),
        ]),
      );
      expect(variables(template)).toMatchObject({
        BUCKET_DOCUMENTS: stack.resolve(documents.bucket.bucketName),
      });
    });

    it('grants object actions per key prefix, each resource ending in <prefix>/*', () => {
      const { stack, documents } = testStack();
      new MotcuaFunction(stack, 'Fn', props()).use(documents, {
        prefixes: { 'documents/': 'read', 'filed/': 'readwrite' },
      });
      const bucketArn = stack.resolve(documents.bucket.bucketArn);
      const statements = dataStatements(Template.fromStack(stack));
      expect(statements).toEqual(
        expect.arrayContaining([
          {
            Effect: 'Allow',
            Action: [...bucketObjectActions.read],
            Resource: { 'Fn::Join': ['', [bucketArn, '/documents/*']] },
          },
          {
            Effect: 'Allow',
            Action: [...bucketObjectActions.readwrite],
            Resource: { 'Fn::Join': ['', [bucketArn, '/filed/*']] },
          },
        ]),
      );
      expect(JSON.stringify(statements)).not.toContain(JSON.stringify([bucketArn, '/*']));
    });

    it('refuses a prefix that is not a folder', () => {
      const { stack, documents } = testStack();
      expect(() =>
        new MotcuaFunction(stack, 'Fn', props()).use(documents, { prefixes: { 'filed/*': 'read' } }),
      ).toThrow('Test/Fn: documents prefix "filed/*" must be a folder such as "filed/"');
    });

    it.each(['send', 'consume'] as const)(
      'grants %s on a queue, its key through SQS, and the queue URL',
      (grant) => {
        const { stack, queue } = testStack();
        new MotcuaFunction(stack, 'Fn', props()).use(queue, grant);
        const template = Template.fromStack(stack);
        expect(dataStatements(template)).toEqual([
          {
            Effect: 'Allow',
            Action: [...queueActions[grant]],
            Resource: stack.resolve(queue.queue.queueArn),
          },
          expect.objectContaining({
            Resource: stack.resolve(queue.queue.encryptionMasterKey?.keyArn),
            Condition: { StringEquals: { 'kms:ViaService': 'sqs.ap-southeast-1.amazonaws.com' } },
          }),
        ]);
        expect(variables(template)).toMatchObject({ QUEUE_WORK: stack.resolve(queue.queue.queueUrl) });
      },
    );

    it('grants StartExecution on one state machine, DescribeExecution on its runs, and sets its ARN', () => {
      const { stack, stateMachine } = testStack();
      new MotcuaFunction(stack, 'Fn', props()).use(stateMachine, 'start');
      const template = Template.fromStack(stack);
      const arn = stack.resolve(stateMachine.stateMachine.stateMachineArn);
      expect(dataStatements(template)).toEqual([
        { Effect: 'Allow', Action: stateMachineActions.start[0], Resource: arn },
        { Effect: 'Allow', Action: stateMachineActions.describe[0], Resource: stateMachine.executionsArn },
      ]);
      expect(variables(template)).toMatchObject({ STATE_MACHINE_ROUTING: arn });
    });

    it('grants the callback actions, which IAM scopes by task token only', () => {
      const { stack, stateMachine } = testStack();
      new MotcuaFunction(stack, 'Fn', props('workflow-task')).use(stateMachine, 'callback');
      expect(dataStatements(Template.fromStack(stack))).toEqual([
        { Effect: 'Allow', Action: [...stateMachineActions.callback], Resource: '*' },
      ]);
    });

    it('grants start and callback together when both are asked, in one use of the machine', () => {
      const { stack, stateMachine } = testStack();
      new MotcuaFunction(stack, 'Fn', props('schedule')).use(stateMachine, ['start', 'callback']);
      const actions = dataStatements(Template.fromStack(stack)).flatMap((s) =>
        Array.isArray(s.Action) ? s.Action : [s.Action],
      );
      expect(actions.sort()).toEqual(
        [
          ...stateMachineActions.start,
          ...stateMachineActions.describe,
          ...stateMachineActions.callback,
        ].sort(),
      );
    });

    it('grants reading one secret and sets its ARN, never its value', () => {
      const { stack, secret } = testStack();
      new MotcuaFunction(stack, 'Fn', props()).use(secret, 'read');
      const template = Template.fromStack(stack);
      const arn = stack.resolve(secret.secret.secretArn);
      expect(dataStatements(template)).toEqual([
        { Effect: 'Allow', Action: [...secretActions.read], Resource: arn },
      ]);
      expect(variables(template)).toMatchObject({ SECRET_VNPAY: arn });
    });

    it('refuses to declare the same resource twice, or a grant the resource does not take', () => {
      const { stack, dossiers, stream, secret } = testStack();
      const fn = new MotcuaFunction(stack, 'Fn', props()).use(dossiers, 'read');
      expect(() => fn.use(dossiers, 'readwrite')).toThrow(
        'Test/Fn already uses dossiers (read); declare each resource once',
      );
      expect(() => fn.use(stream, 'write' as 'read')).toThrow('Test/Fn: a stream can only be read');
      expect(() => fn.use(secret, 'write' as 'read')).toThrow('Test/Fn: a secret can only be read');
    });
  });

  it('rejects bad props with a message naming the function', () => {
    const { stack } = testStack();
    expect(() => new MotcuaFunction(stack, 'NoFile', props('http', { entry: 'functions/nope.ts' }))).toThrow(
      /MotcuaFunction NoFile: entry .*functions\/nope\.ts does not exist/,
    );
    expect(() => new MotcuaFunction(stack, 'Big', props('http', { memoryMb: 20_000 }))).toThrow(
      'MotcuaFunction Big: memoryMb must be an integer from 128 to 10240, got 20000',
    );
    expect(() => new MotcuaFunction(stack, 'Slow', props('http', { timeoutSeconds: 30 }))).toThrow(
      'MotcuaFunction Slow: timeoutSeconds must be an integer from 1 to 29 for a http function, got 30',
    );
    expect(
      () => new MotcuaFunction(stack, 'Reserved', props('http', { environment: { AWS_REGION: 'x' } })),
    ).toThrow('MotcuaFunction Reserved: "AWS_REGION" is not a usable Lambda environment variable name');
    expect(
      () => new MotcuaFunction(stack, 'Unscheduled', props('schedule', { schedule: undefined })),
    ).toThrow('MotcuaFunction Unscheduled: a schedule is given exactly to schedule functions');
    expect(
      () =>
        new MotcuaFunction(stack, 'Scheduled', props('http', { schedule: Schedule.rate(Duration.hours(1)) })),
    ).toThrow('MotcuaFunction Scheduled: a schedule is given exactly to schedule functions');
    expect(() => new MotcuaFunction(stack, 'Named', props('http', { functionName: 'motcua dev' }))).toThrow(
      'MotcuaFunction Named: functionName "motcua dev" must be 1-64 letters, digits, - or _',
    );
  });

  it('bundles for real: a CommonJS index.cjs and its source map, nothing beside it, named by the handler', () => {
    const { app, stack, outdir } = testStack({ bundle: true });
    new MotcuaFunction(stack, 'Fn', props('http'));
    app.synth();
    const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    const assetDir = join(outdir, assets[0] as string);
    const bundle = join(assetDir, 'index.cjs');
    expect(existsSync(`${bundle}.map`)).toBe(true);
    // The form fonts travel inside the form handler's bundle (shared/forms/font-data.ts), not beside it.
    expect(readdirSync(assetDir).sort()).toEqual(['index.cjs', 'index.cjs.map']);
    // Lambda's runtime resolves `index.handler` to index.js, index.mjs or index.cjs, whichever exists.
    expect(Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0]).toMatchObject({
      Properties: { Handler: 'index.handler' },
    });

    // The bundle loads through require() on this Node (24), as the runtime loads a .cjs file (an ES module's
    // import statement would not parse here), and exports the handler Lambda will call.
    const script = `process.stdout.write(typeof require(${JSON.stringify(bundle)}).handler);`;
    const out = execFileSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: {
        ...process.env,
        // What the HTTP settings and every resource's variable hold in the cloud: config is read at cold start.
        STAGE: 'test',
        PUBLIC_BASE_URL: 'https://api.test.motcua.example.vn',
        CORS_ORIGINS: 'https://test.motcua.example.vn',
        ...Object.fromEntries(Object.values(tables).map((t) => [t.envVar, 't'])),
        ...Object.fromEntries(Object.values(buckets).map((b) => [b.envVar, 'b'])),
        AWS_REGION: 'ap-southeast-1',
        LOG_LEVEL: 'silent',
      },
    });
    expect(out).toBe('function');
  });
});
