// Everything that holds data: the tables and buckets of shared/data/resources.ts, their keys, and the user pool.
import { Duration, RemovalPolicy, Stack, type StackProps, TimeZone, Validations } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import {
  type BucketDefinition,
  type BucketId,
  buckets,
  type KeyAttribute,
  type ResourceId,
  type TableDefinition,
  type TableId,
  tables,
} from '../../shared/data/resources';
import type { EnvironmentConfig } from '../config/environments';
import type { BucketResource, DataResource, StreamResource, TableResource } from '../constructs/grants';
import { acknowledgeRules } from '../nag';

export interface StatefulStackProps extends StackProps {
  config: EnvironmentConfig;
}

/** Cognito groups the route table's auth kinds rely on (shared/http/principal.ts). */
export const userGroups = ['citizen', 'officer', 'supervisor', 'admin'] as const;

/** Custom attributes staff and citizens carry; only administrators may set them. */
export const customAttributes = ['branch', 'agency', 'cccd'] as const;

export class StatefulStack extends Stack {
  readonly tables: Record<TableId, TableResource>;
  /** The change stream of every table that declares one, by table id. */
  readonly streams: Partial<Record<TableId, StreamResource>>;
  readonly buckets: Record<BucketId, BucketResource>;
  readonly accessLogsBucket: Bucket;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  /** AWS Backup of the tables, where the environment asks for it (`backupTables`: prod). */
  readonly backup?: { vault: BackupVault; plan: BackupPlan };

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const tablesKey = new Key(this, 'TablesKey', {
      description: `motcua ${config.name}: encrypts every DynamoDB table`,
      enableKeyRotation: true,
      removalPolicy,
    });
    this.tables = mapValues(tables, (definition) => ({
      kind: 'table' as const,
      definition,
      table: this.table(definition, tablesKey, config),
      key: tablesKey,
    }));
    this.streams = Object.fromEntries(
      Object.values(this.tables)
        .filter((resource) => resource.definition.stream)
        .map((resource) => [
          resource.definition.id,
          {
            kind: 'stream' as const,
            id: resource.definition.id,
            envVar: `STREAM_${resource.definition.id.toUpperCase()}`,
            table: resource,
          },
        ]),
    );

    this.accessLogsBucket = new Bucket(this, 'AccessLogsBucket', {
      // Server access logging supports only SSE-S3 on the destination bucket.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(config.accessLogExpirationDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy,
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log destination; logging it to itself would loop',
    });
    acknowledgeRules(
      this.accessLogsBucket,
      ['NIST.800.53.R5-S3DefaultEncryptionKMS'],
      'S3 server access logging delivers only to a bucket encrypted with SSE-S3, not SSE-KMS',
    );
    acknowledgeRules(
      this.accessLogsBucket,
      ['NIST.800.53.R5-S3BucketReplicationEnabled'],
      'Access logs expire after accessLogExpirationDays by design; a replica would keep a second copy of what is meant to go',
    );

    this.buckets = mapValues(buckets, (definition) => {
      const key = new Key(this, `${pascal(definition.id)}BucketKey`, {
        description: `motcua ${config.name}: encrypts the ${definition.id} bucket`,
        enableKeyRotation: true,
        removalPolicy,
      });
      return {
        kind: 'bucket' as const,
        definition,
        bucket: this.bucket(definition, key, config, removalPolicy),
        key,
      };
    });

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      mfa: Mfa.REQUIRED,
      // TOTP only: SMS would need an SNS role and spend per message.
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Officers' names are printed on the forms they sign; required attributes cannot be changed after creation.
      standardAttributes: { fullname: { required: true, mutable: true } },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      customAttributes: Object.fromEntries(
        customAttributes.map((name) => [name, new StringAttribute({ mutable: true, maxLen: 64 })]),
      ),
      deletionProtection: config.retainData,
      removalPolicy,
    });
    this.userPoolClient = this.userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      // No hosted UI yet: CDK's default OAuth flows and example.com callback would lie dormant until one is added.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      // Branch, agency and citizen ID decide what a caller may touch, so users must not write them.
      writeAttributes: new ClientAttributes().withStandardAttributes({
        fullname: true,
        email: true,
        phoneNumber: true,
      }),
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    if (config.backupTables) this.backup = this.backUpTables(config, tablesKey, removalPolicy);
    for (const group of userGroups) {
      new CfnUserPoolGroup(this, `Group${pascal(group)}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
        description: `motcua ${group}`,
      });
    }
  }

  /** The declared table or bucket by its id in resources.ts. */
  resource(id: ResourceId): DataResource {
    const found =
      (this.tables as Record<string, TableResource>)[id] ??
      (this.buckets as Record<string, BucketResource>)[id];
    if (!found) throw new Error(`No table or bucket "${id}" is declared in shared/data/resources.ts`);
    return found;
  }

  private table(definition: TableDefinition, key: Key, config: EnvironmentConfig): Table {
    const table = new Table(this, `${pascal(definition.id)}Table`, {
      partitionKey: attribute(definition.partitionKey),
      ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: config.retainData,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      ...(definition.ttlAttribute ? { timeToLiveAttribute: definition.ttlAttribute } : {}),
      ...(definition.stream ? { stream: StreamViewType[definition.stream] } : {}),
    });
    for (const index of definition.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attribute(index.partitionKey),
        ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
        projectionType: index.projection === 'keys' ? ProjectionType.KEYS_ONLY : ProjectionType.ALL,
      });
    }
    if (!config.backupTables) {
      acknowledgeRules(
        table,
        ['NIST.800.53.R5-DynamoDBInBackupPlan'],
        `${config.name} holds no data of record: point-in-time recovery (35 days) covers it, and AWS Backup runs where the environment sets backupTables (prod)`,
      );
    }
    return table;
  }

  /**
   * The tables in AWS Backup: a daily recovery point kept 35 days (beyond point-in-time recovery's window once a table
   * is gone) and a monthly one kept a year (how far investigations and complaints reach back), at night in Hanoi.
   * The vault is locked (governance mode) so no recovery point goes before its minimum retention, and encrypted with
   * the tables' own key: whoever may read a backup may read the table, and no key more to guard.
   */
  private backUpTables(config: EnvironmentConfig, key: Key, removalPolicy: RemovalPolicy) {
    const vault = new BackupVault(this, 'BackupVault', {
      backupVaultName: `motcua-${config.name}-tables`,
      encryptionKey: key,
      lockConfiguration: { minRetention: tableBackupRetention.daily },
      removalPolicy,
    });
    const timezone = TimeZone.ASIA_HO_CHI_MINH;
    const plan = new BackupPlan(this, 'TablesBackupPlan', {
      backupPlanName: `motcua-${config.name}-tables`,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'daily',
          backupVault: vault,
          scheduleExpression: Schedule.cron({ hour: '2', minute: '0' }),
          scheduleExpressionTimezone: timezone,
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(4),
          deleteAfter: tableBackupRetention.daily,
        }),
        new BackupPlanRule({
          ruleName: 'monthly',
          backupVault: vault,
          scheduleExpression: Schedule.cron({ day: '1', hour: '3', minute: '0' }),
          scheduleExpressionTimezone: timezone,
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(4),
          deleteAfter: tableBackupRetention.monthly,
        }),
      ],
    });
    const selection = plan.addSelection('Tables', {
      backupSelectionName: 'tables',
      resources: Object.values(this.tables).map((t) => BackupResource.fromDynamoDbTable(t.table)),
      allowRestores: true,
    });
    const managed = (name: string) =>
      `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${name}]`;
    acknowledgeRules(
      selection,
      [managed('AWSBackupServiceRolePolicyForBackup'), managed('AWSBackupServiceRolePolicyForRestores')],
      'AWS Backup’s own managed policies for its service role, the ones AWS documents for backing up and restoring; the selection names the tables',
    );
    return { vault, plan };
  }

  private bucket(
    definition: BucketDefinition,
    key: Key,
    config: EnvironmentConfig,
    removalPolicy: RemovalPolicy,
  ): Bucket {
    const toCheaperStorage = [
      { storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
      { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(180) },
    ];
    const bucket = new Bucket(this, `${pascal(definition.id)}Bucket`, {
      encryption: BucketEncryption.KMS,
      encryptionKey: key,
      // One data key per bucket instead of per object: KMS calls (and cost) drop by orders of magnitude.
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: `${definition.id}/`,
      lifecycleRules: [
        {
          id: 'cheaper-storage',
          transitions: toCheaperStorage,
          noncurrentVersionTransitions: toCheaperStorage.map((t) => ({
            storageClass: t.storageClass,
            transitionAfter: t.transitionAfter,
          })),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        // Files no dossier took up (abandoned, re-sent after verification, never filed) must not pile up.
        ...(definition.transientPrefixes ?? []).map((transient) => ({
          id: `expire-${transient.prefix.replace(/\W/g, '')}`,
          prefix: transient.prefix,
          expiration: Duration.days(transient.expireAfterDays),
          noncurrentVersionExpiration: Duration.days(1),
        })),
      ],
      ...(definition.browserUploads
        ? {
            cors: [
              {
                // Presigned PUTs fix content-type, length and SHA-256 at issue time; the browser must send them.
                allowedMethods: [HttpMethods.PUT],
                allowedOrigins: config.corsOrigins,
                allowedHeaders: ['content-type', 'content-length', 'x-amz-checksum-sha256'],
                exposedHeaders: ['etag'],
                maxAge: 3_000,
              },
            ],
          }
        : {}),
      removalPolicy,
    });
    acknowledgeRules(bucket, ['NIST.800.53.R5-S3BucketReplicationEnabled'], replicationReason);
    return bucket;
  }
}

const replicationReason =
  'The platform runs in one region (config: ap-southeast-1); objects are versioned and the bucket is retained in prod; where a replica of citizens’ documents may live is a data-residency decision for the data owner, not made in code';

function attribute(key: KeyAttribute) {
  return { name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER };
}

/** How long each recovery point of the tables is kept (`backupTables`). */
export const tableBackupRetention = { daily: Duration.days(35), monthly: Duration.days(365) } as const;

export function pascal(id: string): string {
  return id.replace(/(^|[-_])(\w)/g, (_m, _sep, c: string) => c.toUpperCase());
}

function mapValues<K extends string, V, R>(record: Record<K, V>, fn: (value: V, key: K) => R): Record<K, R> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v as V, k as K)])) as Record<K, R>;
}
