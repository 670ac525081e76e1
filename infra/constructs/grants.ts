// What a function may be given, and the exact IAM statements each grant becomes. The function construct applies
// them; tests read the action sets to check intent without re-deriving them.
import { Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';
import type { BucketDefinition, TableDefinition } from '../../shared/data/resources';

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

/** The change stream of a table that declares one (`stream` in resources.ts). */
export interface StreamResource {
  kind: 'stream';
  id: string;
  /** Receives the stream ARN. */
  envVar: string;
  table: TableResource;
}

export interface QueueResource {
  kind: 'queue';
  id: string;
  /** Receives the queue URL. */
  envVar: string;
  queue: IQueue;
}

export interface StateMachineResource {
  kind: 'state-machine';
  id: string;
  /** Receives the state machine ARN. */
  envVar: string;
  stateMachine: IStateMachine;
  /** Its executions (`…:execution:<name>:*`): what a starter describes to tell a repeat from a clash. */
  executionsArn: string;
}

export interface SecretResource {
  kind: 'secret';
  id: string;
  /** Receives the secret's ARN, never its value: the function reads the value at cold start. */
  envVar: string;
  secret: ISecret;
}

export type DataResource = TableResource | BucketResource;
export type AnyResource =
  | DataResource
  | StreamResource
  | QueueResource
  | StateMachineResource
  | SecretResource;

/**
 * A table grant: a whole access level, a narrowed one, or `probe` (DescribeTable only: proves the table exists and
 * the function may see it, reads no item).
 */
export type TableGrant =
  | Access
  | 'probe'
  | {
      access: Access;
      /** Only these actions, a subset of the access level's. */
      actions?: readonly string[];
      /** Whether the declared indexes are reachable (default true). */
      indexes?: boolean;
      /** `dynamodb:LeadingKeys` patterns: only items whose partition key matches one (`DOSSIER#*`). */
      partitions?: readonly string[];
    };

/**
 * A bucket grant: a whole access level, per key prefix (`{ 'filed/': 'read' }`), or `probe` (GetBucketLocation:
 * proves the bucket exists, lists and reads nothing).
 */
export type BucketGrant = Access | 'probe' | { prefixes: Readonly<Record<string, Access>> };

export type DataGrant = TableGrant | BucketGrant;
export type QueueGrant = 'send' | 'consume';
export type StateMachineGrant = 'start' | 'callback';
/** One grant, or both (the sweep re-drives runs and sends stored decisions). */
export type StateMachineGrants = StateMachineGrant | readonly StateMachineGrant[];
export type SecretGrant = 'read';

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

/** Reading a table's stream: on that stream only (what Lambda's event source mapping polls with). */
export const streamActions = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
] as const;

export const probeActions = { table: ['dynamodb:DescribeTable'], bucket: ['s3:GetBucketLocation'] } as const;

/** Object actions; ListBucket (on the bucket itself) is granted with both so HeadObject of a missing key is a 404. */
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

export const queueActions: Record<QueueGrant, readonly string[]> = {
  send: ['sqs:GetQueueAttributes', 'sqs:SendMessage'],
  consume: [
    'sqs:ChangeMessageVisibility',
    'sqs:DeleteMessage',
    'sqs:GetQueueAttributes',
    'sqs:ReceiveMessage',
  ],
};

export const stateMachineActions: Record<StateMachineGrant | 'describe', readonly string[]> = {
  start: ['states:StartExecution'],
  // A starter reads back a run of the same name (shared/adapters/sfn-workflow.ts): a repeat, or a run that is gone.
  describe: ['states:DescribeExecution'],
  // Callback tasks answer with the token they were given (the partner API, the workflow's own tasks).
  callback: ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'],
};

export const secretActions: Record<SecretGrant, readonly string[]> = {
  read: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
};

/** One statement set per grant, plus the wildcard object resources that need an IAM5 acknowledgement. */
export interface GrantStatements {
  statements: PolicyStatement[];
  /**
   * Resources with a wildcard, each acknowledged (cdk-nag IAM5) with the reason given: object ARNs under a key prefix
   * (`<bucket>/filed/*`), or `*` where IAM takes nothing narrower.
   */
  wildcards: { resource: string; reason: string }[];
  /** Environment variable and its value. */
  env: [string, string];
}

const allow = (actions: readonly string[], resources: string[], conditions?: Record<string, unknown>) =>
  new PolicyStatement({
    effect: Effect.ALLOW,
    actions: [...actions],
    resources,
    ...(conditions ? { conditions } : {}),
  });

function keyStatement(key: IKey, access: Access, service: string, scope: IConstruct) {
  // The key opens data only through the service that stores it, never for direct decrypt calls.
  return allow(keyActions[access], [key.keyArn], {
    StringEquals: { 'kms:ViaService': `${service}.${Stack.of(scope).region}.amazonaws.com` },
  });
}

/** The statements of a table grant; `path` names the function in error messages. */
export function tableGrant(
  resource: TableResource,
  grant: TableGrant,
  scope: IConstruct,
  path: string,
): GrantStatements {
  const { table, definition } = resource;
  const env: [string, string] = [definition.envVar, table.tableName];
  if (grant === 'probe') {
    return { statements: [allow(probeActions.table, [table.tableArn])], wildcards: [], env };
  }
  const spec = typeof grant === 'string' ? { access: grant } : grant;
  assertAccess(path, definition.id, spec.access);
  const allowed = tableActions[spec.access];
  const actions = spec.actions ? [...spec.actions].sort() : [...allowed];
  const extra = actions.filter((action) => !allowed.includes(action));
  if (extra.length || actions.length === 0) {
    throw new Error(
      `${path}: ${definition.id} ${spec.access} allows ${allowed.join(', ')}; ${extra.join(', ') || 'no action'} is not one of them`,
    );
  }
  if (spec.partitions?.length === 0)
    throw new Error(`${path}: ${definition.id} partitions must not be empty`);
  // Indexes by name from resources.ts, so no "index/*" wildcard is needed.
  const indexArns =
    (spec.indexes ?? true) ? definition.indexes.map((index) => `${table.tableArn}/index/${index.name}`) : [];
  const conditions = spec.partitions
    ? { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...spec.partitions] } }
    : undefined;
  const writes = actions.some((action) => !tableActions.read.includes(action));
  return {
    statements: [
      allow(actions, [table.tableArn, ...indexArns], conditions),
      keyStatement(resource.key, writes ? 'readwrite' : 'read', 'dynamodb', scope),
    ],
    wildcards: [],
    env,
  };
}

/** The statements of a bucket grant. */
export function bucketGrant(
  resource: BucketResource,
  grant: BucketGrant,
  scope: IConstruct,
  path: string,
): GrantStatements {
  const { bucket, definition } = resource;
  const env: [string, string] = [definition.envVar, bucket.bucketName];
  if (grant === 'probe') {
    return { statements: [allow(probeActions.bucket, [bucket.bucketArn])], wildcards: [], env };
  }
  const prefixes: Record<string, Access> = typeof grant === 'string' ? { '': grant } : { ...grant.prefixes };
  if (Object.keys(prefixes).length === 0)
    throw new Error(`${path}: ${definition.id} needs at least one prefix`);
  const statements: PolicyStatement[] = [];
  const wildcards: GrantStatements['wildcards'] = [];
  for (const [prefix, access] of Object.entries(prefixes)) {
    assertAccess(path, definition.id, access);
    if (typeof grant !== 'string' && !/^[a-z0-9][a-z0-9-]*\/$/.test(prefix)) {
      throw new Error(`${path}: ${definition.id} prefix "${prefix}" must be a folder such as "filed/"`);
    }
    const objects = bucket.arnForObjects(`${prefix}*`);
    statements.push(allow(bucketObjectActions[access], [objects]));
    wildcards.push({
      resource: objects,
      reason: prefix
        ? `Objects under ${prefix} of the ${definition.id} bucket are created per dossier or upload at run time`
        : `Object keys in the ${definition.id} bucket are created per dossier at run time`,
    });
  }
  const writes = Object.values(prefixes).includes('readwrite');
  statements.push(
    allow(['s3:ListBucket'], [bucket.bucketArn]),
    keyStatement(resource.key, writes ? 'readwrite' : 'read', 's3', scope),
  );
  return { statements, wildcards, env };
}

export function streamGrant(resource: StreamResource, scope: IConstruct, path: string): GrantStatements {
  const { table, definition, key } = resource.table;
  const streamArn = table.tableStreamArn;
  if (!streamArn || !definition.stream) {
    throw new Error(`${path}: table ${definition.id} declares no stream in shared/data/resources.ts`);
  }
  return {
    statements: [
      allow(streamActions, [streamArn]),
      // Stream records of a table encrypted with a customer key are decrypted with that key.
      allow(['kms:Decrypt'], [key.keyArn], {
        StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(scope).region}.amazonaws.com` },
      }),
    ],
    wildcards: [],
    env: [resource.envVar, streamArn],
  };
}

export function queueGrant(resource: QueueResource, grant: QueueGrant, scope: IConstruct): GrantStatements {
  const { queue } = resource;
  const key = queue.encryptionMasterKey;
  return {
    statements: [
      allow(queueActions[grant], [queue.queueArn]),
      ...(key ? [keyStatement(key, grant === 'send' ? 'readwrite' : 'read', 'sqs', scope)] : []),
    ],
    wildcards: [],
    env: [resource.envVar, queue.queueUrl],
  };
}

export function stateMachineGrant(
  resource: StateMachineResource,
  grant: StateMachineGrants,
): GrantStatements {
  const arn = resource.stateMachine.stateMachineArn;
  const grants = new Set(typeof grant === 'string' ? [grant] : grant);
  const statements: PolicyStatement[] = [];
  const wildcards: GrantStatements['wildcards'] = [];
  if (grants.has('start')) {
    statements.push(
      allow(stateMachineActions.start, [arn]),
      allow(stateMachineActions.describe, [resource.executionsArn]),
    );
    wildcards.push({
      resource: resource.executionsArn,
      reason: `Execution names of ${resource.id} are made per dossier and attempt at run time; DescribeExecution takes an execution ARN`,
    });
  }
  if (grants.has('callback')) {
    // SendTask* take no resource-level permission (IAM allows them on "*" only): the task token is the capability.
    statements.push(allow(stateMachineActions.callback, ['*']));
    wildcards.push({
      resource: '*',
      reason: `Step Functions SendTaskSuccess/Failure/Heartbeat support no resource-level permissions; the task token is the capability (${resource.id})`,
    });
  }
  return { statements, wildcards, env: [resource.envVar, arn] };
}

export function secretGrant(
  resource: SecretResource,
  grant: SecretGrant,
  scope: IConstruct,
): GrantStatements {
  const { secret } = resource;
  const key = secret.encryptionKey;
  // A secret imported by name has no full ARN: Secrets Manager appends six random characters to it, so the policy
  // matches exactly those (`-??????`), as CDK's own grants do; the function still reads it by the partial ARN.
  const policyArn = secret.secretFullArn ?? `${secret.secretArn}-??????`;
  return {
    statements: [
      allow(secretActions[grant], [policyArn]),
      ...(key ? [keyStatement(key, 'read', 'secretsmanager', scope)] : []),
    ],
    wildcards: [],
    env: [resource.envVar, secret.secretArn],
  };
}

function assertAccess(path: string, id: string, access: unknown) {
  if (access !== 'read' && access !== 'readwrite') {
    throw new Error(`${path}: access to ${id} must be "read" or "readwrite"`);
  }
}
