// Data sharing: the Glue table Athena reads the de-identified daily export through (JSON SerDe over the gzipped NDJSON,
// partition projection on `day`, so no crawler and no partition to add), an Athena workgroup with encrypted results,
// the pseudonym key, and the scheduled export (00:30 Vietnam time, the previous day). The exports bucket itself is
// stateful and lives in the stateful stack with the others (shared/data/resources.ts).
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { Effect, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { tables } from '../../shared/data/resources';
import {
  ATHENA_RESULTS_PREFIX,
  dossierFactsExport,
  FACTS_PREFIX,
  FIRST_EXPORT_DAY,
  glueNames,
  pseudonymSecret,
} from '../../shared/data/sharing';
import { factColumns } from '../../shared/domain/deidentify';
import type { EnvironmentConfig } from '../config/environments';
import { keyActions, type SecretResource } from '../constructs/grants';
import { MotcuaFunction } from '../constructs/motcua-function';
import { applyGrants, dossierFactsExportGrants, dossierFactsIndex } from '../least-privilege';
import { acknowledgeRules } from '../nag';
import type { StatefulStack } from './stateful-stack';

export interface DataSharingStackProps extends StackProps {
  config: EnvironmentConfig;
  stateful: StatefulStack;
  appVersion: string;
}

/** The Glue columns of the fact rows: shared/domain/deidentify.ts `factColumns`, the one declaration. */
export const glueColumns = factColumns.map((column) => ({
  name: column.name,
  type: column.type,
  comment: column.comment,
}));

export class DataSharingStack extends Stack {
  readonly database: CfnDatabase;
  readonly table: CfnTable;
  readonly workGroup: CfnWorkGroup;
  readonly pseudonymKey: Secret;
  readonly exporter: MotcuaFunction;

  constructor(scope: Construct, id: string, props: DataSharingStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const names = glueNames(config.name);
    const exports = stateful.buckets.exports;
    const bucketName = exports.bucket.bucketName;

    this.database = new CfnDatabase(this, 'Database', {
      catalogId: this.account,
      databaseInput: {
        name: names.database,
        description: `motcua ${config.name}: de-identified dossier facts shared for analysis (no personal data)`,
      },
    });

    this.table = new CfnTable(this, 'DossierFactsTable', {
      catalogId: this.account,
      // The database's name, by reference: the table is created after it.
      databaseName: this.database.ref,
      tableInput: {
        name: names.table,
        description:
          'One row per dossier received on `day` (Vietnam-local), as it stood when exported; no name, ID, address, phone, email, free text or exact time',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          EXTERNAL: 'TRUE',
          classification: 'json',
          compressionType: 'gzip',
          // Partition projection: Athena computes the `day` partitions from this range, so no crawler runs and no
          // partition is ever added by hand.
          'projection.enabled': 'true',
          'projection.day.type': 'date',
          'projection.day.format': 'yyyy-MM-dd',
          'projection.day.range': `${FIRST_EXPORT_DAY},NOW`,
          'projection.day.interval': '1',
          'projection.day.interval.unit': 'DAYS',
          'storage.location.template': `s3://${bucketName}/${FACTS_PREFIX}day=\${day}/`,
        },
        partitionKeys: [{ name: 'day', type: 'string', comment: 'Vietnam-local receipt day, YYYY-MM-DD' }],
        storageDescriptor: {
          location: `s3://${bucketName}/${FACTS_PREFIX}`,
          columns: glueColumns,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          compressed: true,
          serdeInfo: {
            serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            // A malformed line fails the query instead of being read as nulls: the export writes none.
            parameters: { 'ignore.malformed.json': 'false', 'case.insensitive': 'false' },
          },
        },
      },
    });

    this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: names.workGroup,
      description: `motcua ${config.name}: queries over the de-identified dossier facts; results encrypted, kept 30 days`,
      state: 'ENABLED',
      recursiveDeleteOption: !config.retainData,
      workGroupConfiguration: {
        // Analysts cannot point results elsewhere or turn their encryption off.
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: exports.key.keyArn },
        },
      },
    });

    // Generated here, never seen by anyone: no operator needs to create it, and no copy exists outside the account.
    const secretKey = new Key(this, 'PseudonymSecretKey', {
      description: `motcua ${config.name}: encrypts the data-sharing pseudonym key`,
      enableKeyRotation: true,
      removalPolicy,
    });
    this.pseudonymKey = new Secret(this, 'PseudonymKey', {
      secretName: pseudonymSecret.name(config.name),
      description: pseudonymSecret.description,
      encryptionKey: secretKey,
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: pseudonymSecret.key,
        passwordLength: 64,
        excludePunctuation: true,
        includeSpace: false,
      },
      removalPolicy,
    });
    acknowledgeRules(
      this.pseudonymKey,
      ['AwsSolutions-SMG4', 'NIST.800.53.R5-SecretsManagerRotationEnabled'],
      'A new pseudonym key gives every dossier a new pseudonym, so rows exported before and after it stop joining; it is rotated deliberately (and the history re-exported), never on a schedule',
    );

    const fn = new MotcuaFunction(this, 'DossierFactsExport', {
      kind: 'schedule',
      functionName: `motcua-${config.name}-${dossierFactsExport.id}`,
      entry: dossierFactsExport.handler,
      description: `Daily at 00:30 Vietnam time: ${dossierFactsExport.description}`.slice(0, 256),
      memoryMb: config.lambdaMemoryMb,
      timeoutSeconds: dossierFactsExport.timeoutSeconds,
      logRetention: config.logRetention,
      removalPolicy,
      environment: { STAGE: config.name, LOG_LEVEL: config.logLevel, APP_VERSION: props.appVersion },
      schedule: Schedule.cron(dossierFactsExport.cron),
    });
    // The branches and its own prefix of the exports bucket, narrowed (infra/least-privilege.ts)…
    const { dossiers: _readByIndexBelow, ...declared } = dossierFactsExport.uses;
    applyGrants(fn, stateful, `Schedule ${dossierFactsExport.id}`, declared, dossierFactsExportGrants);
    // … the dossiers through the register index only: Query on that index's ARN, no table item, no other index.
    const dossiersTable = stateful.tables.dossiers;
    const indexRead = new Policy(fn, 'RegisterIndexRead', {
      roles: [fn.role],
      statements: [
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['dynamodb:Query'],
          resources: [`${dossiersTable.table.tableArn}/index/${dossierFactsIndex}`],
        }),
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: [...keyActions.read],
          resources: [dossiersTable.key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${this.region}.amazonaws.com` } },
        }),
      ],
    });
    fn.function.node.addDependency(indexRead);
    fn.setEnv(tables.dossiers.envVar, dossiersTable.table.tableName);
    const secret: SecretResource = {
      kind: 'secret',
      id: pseudonymSecret.id,
      envVar: pseudonymSecret.envVar,
      secret: this.pseudonymKey,
    };
    fn.use(secret, 'read');
    this.exporter = fn;
  }
}
