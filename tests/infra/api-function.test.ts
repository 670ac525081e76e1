import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { cdkJsonContext } from '../../infra/build-app';
import { fontFiles, requireBanner } from '../../infra/bundling';
import {
  ApiFunction,
  type ApiFunctionProps,
  bucketObjectActions,
  keyActions,
  tableActions,
} from '../../infra/constructs/api-function';
import { buckets, tables } from '../../shared/data/resources';
import { cleanUp, scratchDir, skipBundling } from './support';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) cleanUp(dir);
});

function testStack(options: { bundle?: boolean } = {}) {
  const outdir = scratchDir('api-function');
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
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
  });
  const bucket = new Bucket(stack, 'Documents', { encryption: BucketEncryption.KMS, encryptionKey: key });
  const dossiers = { kind: 'table' as const, definition: tables.dossiers, table, key };
  const documents = { kind: 'bucket' as const, definition: buckets.documents, bucket, key };
  return { app, stack, outdir, dossiers, documents };
}

const props: ApiFunctionProps = {
  entry: 'functions/platform/get-health.ts',
  memoryMb: 256,
  timeoutSeconds: 5,
  logRetention: RetentionDays.ONE_WEEK,
  removalPolicy: RemovalPolicy.DESTROY,
};

describe('ApiFunction', () => {
  it('fixes runtime, architecture, tracing, limits, source maps and an own log group with retention', () => {
    const { stack } = testStack();
    new ApiFunction(stack, 'Fn', props);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: 256,
      Timeout: 5,
      Handler: 'index.handler',
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
      LoggingConfig: { LogGroup: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    // No AWS-managed policy: the role may write only to its own log group.
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  it('grants exact read actions on a table, its declared indexes and its key, and sets the table env var', () => {
    const { stack, dossiers } = testStack();
    const fn = new ApiFunction(stack, 'Fn', props).use(dossiers, 'read');
    const template = Template.fromStack(stack);
    const tableArn = stack.resolve(dossiers.table.tableArn);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: [...tableActions.read],
            Resource: [
              tableArn,
              ...tables.dossiers.indexes.map((index) => ({
                'Fn::Join': ['', [tableArn, `/index/${index.name}`]],
              })),
            ],
          },
          {
            Effect: 'Allow',
            Action: [...keyActions.read],
            Resource: stack.resolve(dossiers.key.keyArn),
            Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.ap-southeast-1.amazonaws.com' } },
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ TABLE_DOSSIERS: stack.resolve(dossiers.table.tableName) }),
      },
    });
    expect([...fn.resources]).toEqual([['dossiers', 'read']]);
  });

  it('never grants Scan, even for readwrite', () => {
    expect(tableActions.readwrite).not.toContain('dynamodb:Scan');
    expect(tableActions.read).not.toContain('dynamodb:Scan');
    expect(tableActions.read.every((action) => tableActions.readwrite.includes(action))).toBe(true);
  });

  it('grants object actions under the bucket, ListBucket on it, and sets the bucket env var', () => {
    const { stack, documents } = testStack();
    new ApiFunction(stack, 'Fn', props).use(documents, 'readwrite');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: [...bucketObjectActions.readwrite] }),
          Match.objectLike({ Action: 's3:ListBucket', Resource: stack.resolve(documents.bucket.bucketArn) }),
          Match.objectLike({
            Action: [...keyActions.readwrite],
            Condition: { StringEquals: { 'kms:ViaService': 's3.ap-southeast-1.amazonaws.com' } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ BUCKET_DOCUMENTS: stack.resolve(documents.bucket.bucketName) }),
      },
    });
  });

  it('refuses to declare the same resource twice', () => {
    const { stack, dossiers } = testStack();
    const fn = new ApiFunction(stack, 'Fn', props).use(dossiers, 'read');
    expect(() => fn.use(dossiers, 'readwrite')).toThrow(
      'Test/Fn already uses dossiers (read); declare each resource once',
    );
  });

  it('rejects bad props with a message naming the function', () => {
    const { stack } = testStack();
    expect(() => new ApiFunction(stack, 'NoFile', { ...props, entry: 'functions/nope.ts' })).toThrow(
      /ApiFunction NoFile: entry .*functions\/nope\.ts does not exist/,
    );
    expect(() => new ApiFunction(stack, 'Big', { ...props, memoryMb: 20_000 })).toThrow(
      'ApiFunction Big: memoryMb must be an integer from 128 to 10240, got 20000',
    );
    expect(() => new ApiFunction(stack, 'Slow', { ...props, timeoutSeconds: 0 })).toThrow(
      'ApiFunction Slow: timeoutSeconds must be an integer from 1 to 900, got 0',
    );
    expect(() => new ApiFunction(stack, 'Reserved', { ...props, environment: { AWS_REGION: 'x' } })).toThrow(
      'ApiFunction Reserved: "AWS_REGION" is not a usable Lambda environment variable name',
    );
  });

  it('bundles for real: an ESM index.mjs with the require banner, a source map and the form fonts', () => {
    const { app, stack, outdir } = testStack({ bundle: true });
    new ApiFunction(stack, 'Fn', { ...props, copyFonts: true });
    app.synth();
    const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    const assetDir = join(outdir, assets[0] as string);
    const bundle = join(assetDir, 'index.mjs');
    expect(readFileSync(bundle, 'utf8').startsWith(requireBanner)).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    for (const font of fontFiles) expect(existsSync(join(assetDir, 'fonts', font)), font).toBe(true);

    // The bundle loads as ESM on this Node (24) and exports the handler Lambda will call.
    const script = `const m = await import(${JSON.stringify(bundle)}); process.stdout.write(typeof m.handler);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: {
        ...process.env,
        // Every resource's variable, as the function's config reads them all at cold start.
        ...Object.fromEntries(Object.values(tables).map((t) => [t.envVar, 't'])),
        ...Object.fromEntries(Object.values(buckets).map((b) => [b.envVar, 'b'])),
        AWS_REGION: 'ap-southeast-1',
        LOG_LEVEL: 'silent',
      },
    });
    expect(out).toBe('function');
  });
});
