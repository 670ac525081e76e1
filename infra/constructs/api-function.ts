// The one Lambda construct every stack uses: runtime, bundling, tracing, logs, limits, env and least-privilege grants.
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BucketDefinition, ResourceId, TableDefinition } from '../../shared/data/resources';
import { nodejsBundling, repoRoot } from '../bundling';
import { acknowledgeWildcardResource } from '../nag';

export type Access = 'read' | 'readwrite';

/** A table of the stateful stack with what a grant needs: its declaration, the table and its key. */
export interface TableResource {
  kind: 'table';
  definition: TableDefinition;
  table: ITable;
  key: IKey;
}

/** A bucket of the stateful stack with its declaration and its key. */
export interface BucketResource {
  kind: 'bucket';
  definition: BucketDefinition;
  bucket: IBucket;
  key: IKey;
}

export type DataResource = TableResource | BucketResource;

// Exact actions, never the CDK grant helpers: grantReadData includes Scan, which no request path may use,
// and the wildcard KMS actions they add would need acknowledging on every function.
// Transactions need no actions of their own: TransactWriteItems is authorized per Put/Update/Delete/ConditionCheck.
export const tableActions: Record<Access, readonly string[]> = {
  read: ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query'],
  readwrite: [
    'dynamodb:BatchGetItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:DeleteItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:Query',
    'dynamodb:UpdateItem',
  ],
};

/** Object actions; ListBucket (on the bucket itself) is granted with both so HeadBucket and 404s work. */
export const bucketObjectActions: Record<Access, readonly string[]> = {
  read: ['s3:GetObject', 's3:GetObjectVersion'],
  readwrite: [
    's3:AbortMultipartUpload',
    's3:DeleteObject',
    's3:GetObject',
    's3:GetObjectVersion',
    's3:PutObject',
  ],
};

export const keyActions: Record<Access, readonly string[]> = {
  read: ['kms:Decrypt', 'kms:DescribeKey'],
  readwrite: [
    'kms:Decrypt',
    'kms:DescribeKey',
    'kms:Encrypt',
    'kms:GenerateDataKey',
    'kms:ReEncryptFrom',
    'kms:ReEncryptTo',
  ],
};

export interface ApiFunctionProps {
  /** Handler module, relative to the repository root (as in the route table) or absolute; exports `handler`. */
  entry: string;
  description?: string;
  memoryMb: number;
  timeoutSeconds: number;
  logRetention: RetentionDays;
  /** What happens to the log group when the stack lets go of it. */
  removalPolicy: RemovalPolicy;
  environment?: Record<string, string>;
  /** Copy the DejaVu fonts into `<bundle>/fonts` for handlers that render PDF forms. */
  copyFonts?: boolean;
}

const envVarName = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Lambda refuses these keys; catching them here names the construct instead of failing the deploy.
const reservedEnvVars = /^(AWS_|_HANDLER$|_X_AMZN_TRACE_ID$|LAMBDA_TASK_ROOT$|LAMBDA_RUNTIME_DIR$|TZ$)/;

export class ApiFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;
  /** Whether the bundle carries the form fonts (`<bundle>/fonts`). */
  readonly copiesFonts: boolean;
  private readonly uses = new Map<ResourceId, Access>();
  private dataPolicy?: Policy;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    const entry = isAbsolute(props.entry) ? props.entry : join(repoRoot, props.entry);
    validateProps(id, entry, props);
    this.copiesFonts = props.copyFonts ?? false;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    // An own role instead of the AWS-managed basic execution policy: it may write only to its own log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${relative(repoRoot, entry)}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      role: this.role,
      ...(props.description ? { description: props.description } : {}),
      bundling: nodejsBundling({ copyFonts: this.copiesFonts }),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });

    // Tracing adds xray:PutTraceSegments/PutTelemetryRecords on "*" to the role's default policy.
    const defaultPolicy = this.role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy) {
      Validations.of(defaultPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions',
      });
    }
  }

  /** Sets one environment variable; refuses names Lambda reserves. */
  setEnv(name: string, value: string): this {
    assertEnvName(this.node.path, name);
    this.function.addEnvironment(name, value);
    return this;
  }

  /**
   * Grants least-privilege access to a table or bucket and sets the environment variable its
   * declaration names, in one call, so a function never has a grant without the name or the reverse.
   */
  use(resource: DataResource, access: Access): this {
    if (access !== 'read' && access !== 'readwrite') {
      throw new Error(`${this.node.path}: access to ${resource.definition.id} must be "read" or "readwrite"`);
    }
    const previous = this.uses.get(resource.definition.id);
    if (previous) {
      throw new Error(
        `${this.node.path} already uses ${resource.definition.id} (${previous}); declare each resource once`,
      );
    }
    this.uses.set(resource.definition.id, access);
    const policy = this.ensureDataPolicy();
    const region = Stack.of(this).region;
    if (resource.kind === 'table') {
      const { table, definition } = resource;
      // Indexes by name from resources.ts, so no "index/*" wildcard is needed.
      const indexArns = definition.indexes.map((index) => `${table.tableArn}/index/${index.name}`);
      policy.addStatements(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: [...tableActions[access]],
          resources: [table.tableArn, ...indexArns],
        }),
        keyStatement(resource.key, access, `dynamodb.${region}.amazonaws.com`),
      );
      this.function.addEnvironment(definition.envVar, table.tableName);
    } else {
      const { bucket, definition } = resource;
      const objects = bucket.arnForObjects('*');
      policy.addStatements(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: [...bucketObjectActions[access]],
          resources: [objects],
        }),
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
        }),
        keyStatement(resource.key, access, `s3.${region}.amazonaws.com`),
      );
      this.function.addEnvironment(definition.envVar, bucket.bucketName);
      acknowledgeWildcardResource(
        policy,
        objects,
        `Object keys in the ${definition.id} bucket are created per dossier at run time`,
      );
    }
    return this;
  }

  /** The resources this function was granted, for tests and for the monitoring stack. */
  get resources(): ReadonlyMap<ResourceId, Access> {
    return this.uses;
  }

  private ensureDataPolicy(): Policy {
    // A policy of its own keeps data grants apart from the X-Ray statement acknowledged on the default policy.
    if (!this.dataPolicy) {
      this.dataPolicy = new Policy(this, 'DataAccess', { roles: [this.role] });
      // Without this the function could be created, and called, before its grants exist.
      this.function.node.addDependency(this.dataPolicy);
    }
    return this.dataPolicy;
  }
}

function keyStatement(key: IKey, access: Access, viaService: string) {
  return new PolicyStatement({
    effect: Effect.ALLOW,
    actions: [...keyActions[access]],
    resources: [key.keyArn],
    // The key opens data only through the service that stores it, never for direct decrypt calls.
    conditions: { StringEquals: { 'kms:ViaService': viaService } },
  });
}

function assertEnvName(path: string, name: string) {
  if (!envVarName.test(name) || reservedEnvVars.test(name)) {
    throw new Error(`${path}: "${name}" is not a usable Lambda environment variable name`);
  }
}

function validateProps(id: string, entry: string, props: ApiFunctionProps) {
  if (!/\.(m?ts|m?js)$/.test(entry))
    throw new Error(`ApiFunction ${id}: entry must be a .ts or .js file, got ${entry}`);
  if (!existsSync(entry)) throw new Error(`ApiFunction ${id}: entry ${entry} does not exist`);
  if (relative(repoRoot, entry).startsWith('..')) {
    throw new Error(`ApiFunction ${id}: entry ${entry} is outside the repository`);
  }
  if (!Number.isInteger(props.memoryMb) || props.memoryMb < 128 || props.memoryMb > 10_240) {
    throw new Error(
      `ApiFunction ${id}: memoryMb must be an integer from 128 to 10240, got ${props.memoryMb}`,
    );
  }
  if (!Number.isInteger(props.timeoutSeconds) || props.timeoutSeconds < 1 || props.timeoutSeconds > 900) {
    throw new Error(
      `ApiFunction ${id}: timeoutSeconds must be an integer from 1 to 900, got ${props.timeoutSeconds}`,
    );
  }
  for (const name of Object.keys(props.environment ?? {})) assertEnvName(`ApiFunction ${id}`, name);
}
