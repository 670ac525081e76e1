// The data-sharing stack's intent: a Glue table whose columns are the fact rows' (one declaration), partition
// projection on `day` (no crawler), encrypted Athena results, the nightly schedule, least-privilege grants, cdk-nag.
import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { dossierFactsIndex, factsPrefix } from '../../infra/least-privilege';
import { nagFindings } from '../../infra/nag';
import { buckets, tables } from '../../shared/data/resources';
import { FACTS_PREFIX, glueNames, pseudonymSecret } from '../../shared/data/sharing';
import { deidentify, factColumns } from '../../shared/domain/deidentify';
import type { Dossier } from '../../shared/domain/dossier';
import { type SynthedEnv, synthForBlock } from './support';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
interface TableInput {
  Name: string;
  TableType: string;
  PartitionKeys: unknown[];
  Parameters: Record<string, unknown>;
  StorageDescriptor: {
    Columns: { Name: string; Type: string; Comment: string }[];
    Location: unknown;
    InputFormat: string;
    SerdeInfo: { SerializationLibrary: string };
  };
}
interface WorkGroupConfiguration {
  EnforceWorkGroupConfiguration: boolean;
  ResultConfiguration: {
    OutputLocation: unknown;
    EncryptionConfiguration: { EncryptionOption: string; KmsKey: unknown };
  };
}
const asArray = <T>(value: T | T[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

describe.each(['dev', 'prod'] as const)('the %s data-sharing stack', (envName) => {
  let env: SynthedEnv;
  synthForBlock(envName, (synthed) => {
    env = synthed;
  });

  const template = () => env.templateOf(env.dataSharing);
  const resources = (type: string) =>
    Object.entries(template().toJSON().Resources as Record<string, Resource>).filter(
      ([, r]) => r.Type === type,
    );
  const tableInput = () => {
    const [table] = resources('AWS::Glue::Table');
    return table![1].Properties.TableInput as TableInput;
  };
  /** A token (an ARN built from another stack's resources) as this stack's template renders it. */
  const rendered = (token: unknown) => JSON.stringify(Stack.of(env.dataSharing).resolve(token));
  /** Every statement of the export function's role. */
  const exporterStatements = (): Statement[] => {
    const fn = env.dataSharing.exporter;
    const roleId = Stack.of(fn).getLogicalId(fn.role.node.defaultChild as never);
    return resources('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  };
  const onResource = (statements: Statement[], resource: unknown) =>
    statements.filter((s) => asArray(s.Resource).some((r) => JSON.stringify(r) === rendered(resource)));

  it("declares the table's columns as the fact rows' fields, from the one list in shared/domain/deidentify.ts", () => {
    const columns = tableInput().StorageDescriptor.Columns as {
      Name: string;
      Type: string;
      Comment: string;
    }[];
    expect(columns).toEqual(factColumns.map((c) => ({ Name: c.name, Type: c.type, Comment: c.comment })));
    // What the export writes has exactly those keys.
    const row = deidentify(
      {
        code: '000.02.01.H26-261201-0001',
        procedure: { code: '1.001193', version: 1, name: { vi: 'x', en: 'x' }, processingDays: 3 },
        unit: '000.02.01.H26',
        channel: 'online',
        documents: [],
        status: 'SUBMITTED',
        submittedAt: '2026-12-01T02:00:00.000Z',
      } as unknown as Dossier,
      'a-pseudonym-key-of-at-least-32-characters',
    );
    expect(Object.keys(row)).toEqual(columns.map((c) => c.Name));
    for (const column of columns) expect(column.Comment.length, column.Name).toBeLessThanOrEqual(255);
  });

  it('reads the gzipped NDJSON with the JSON SerDe, partitioned by day with projection (no crawler)', () => {
    const input = tableInput();
    const names = glueNames(envName);
    const bucket = env.stateful.buckets.exports.bucket.bucketName;
    expect(input.Name).toBe(names.table);
    expect(input.TableType).toBe('EXTERNAL_TABLE');
    expect(input.PartitionKeys).toEqual([expect.objectContaining({ Name: 'day', Type: 'string' })]);
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy-MM-dd',
      'projection.day.range': expect.stringMatching(/^\d{4}-\d{2}-\d{2},NOW$/),
      'projection.day.interval': '1',
      'projection.day.interval.unit': 'DAYS',
    });
    expect(JSON.stringify(input.Parameters['storage.location.template'])).toBe(
      rendered(`s3://${bucket}/${FACTS_PREFIX}day=\${day}/`),
    );
    expect(JSON.stringify(input.StorageDescriptor.Location)).toBe(rendered(`s3://${bucket}/${FACTS_PREFIX}`));
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(input.StorageDescriptor.InputFormat).toBe('org.apache.hadoop.mapred.TextInputFormat');
    template().hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: names.database } });
    expect(resources('AWS::Glue::Crawler')).toEqual([]);
  });

  it('keeps Athena results in the exports bucket, encrypted with its key, and lets no query change that', () => {
    const exports = env.stateful.buckets.exports;
    const [[, workGroup]] = resources('AWS::Athena::WorkGroup') as [[string, Resource]];
    const configuration = workGroup.Properties.WorkGroupConfiguration as WorkGroupConfiguration;
    expect(workGroup.Properties.Name).toBe(glueNames(envName).workGroup);
    expect(configuration.EnforceWorkGroupConfiguration).toBe(true);
    expect(JSON.stringify(configuration.ResultConfiguration.OutputLocation)).toBe(
      rendered(`s3://${exports.bucket.bucketName}/athena-results/`),
    );
    expect(configuration.ResultConfiguration.EncryptionConfiguration.EncryptionOption).toBe('SSE_KMS');
    expect(JSON.stringify(configuration.ResultConfiguration.EncryptionConfiguration.KmsKey)).toBe(
      rendered(exports.key.keyArn),
    );
    // The results expire; the facts do not, and no browser may upload into the bucket.
    const bucket = env.templates.stateful.toJSON().Resources[
      env.stateful.getLogicalId(exports.bucket.node.defaultChild as never)
    ] as Resource;
    expect((bucket.Properties.LifecycleConfiguration as { Rules: unknown[] }).Rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ Prefix: 'athena-results/', ExpirationInDays: 30 })]),
    );
    expect(bucket.Properties.CorsConfiguration).toBeUndefined();
    expect(buckets.exports.transientPrefixes?.map((p) => p.prefix)).not.toContain(FACTS_PREFIX);
  });

  it('runs the export every day at 00:30 Vietnam time (17:30 UTC), on the function built by the one construct', () => {
    const fn = env.dataSharing.exporter;
    expect(fn.kind).toBe('schedule');
    const functionId = Stack.of(fn).getLogicalId(fn.function.node.defaultChild as never);
    template().hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(30 17 * * ? *)',
      Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId, 'Arn'] } })]),
    });
    template().hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: `motcua-${envName}-dossier-facts-export`,
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: Match.objectLike({
          [tables.dossiers.envVar]: Match.anyValue(),
          [tables.catalogue.envVar]: Match.anyValue(),
          [buckets.exports.envVar]: Match.anyValue(),
          [pseudonymSecret.envVar]: Match.anyValue(),
        }),
      },
    });
  });

  it('lets the export Query the dossiers through the register index only, never the table or another index', () => {
    const statements = exporterStatements();
    const dossiers = env.stateful.tables.dossiers.table;
    const onDossiers = statements.filter((s) =>
      asArray(s.Resource).some((r) => JSON.stringify(r).includes(rendered(dossiers.tableArn).slice(1, -1))),
    );
    expect(onDossiers).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: JSON.parse(rendered(`${dossiers.tableArn}/index/${dossierFactsIndex}`)),
      },
    ]);
    const actions = statements.flatMap((s) => asArray(s.Action));
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((a) => a.startsWith('dynamodb:') && a !== 'dynamodb:Query')).toEqual([]);
  });

  it('lets it write only under dossier-facts/ of the exports bucket, read only the branches, and read its key', () => {
    const statements = exporterStatements();
    const exports = env.stateful.buckets.exports.bucket;
    const objectStatements = statements.filter((s) => asArray(s.Action).some((a) => /^s3:.*Object/.test(a)));
    expect(objectStatements.map((s) => JSON.stringify(s.Resource))).toEqual([
      rendered(exports.arnForObjects(`${factsPrefix}*`)),
    ]);
    expect(factsPrefix).toBe(FACTS_PREFIX);
    // No other bucket at all.
    expect(
      onResource(statements, env.stateful.buckets.documents.bucket.arnForObjects('*')).concat(
        onResource(statements, env.stateful.buckets.documents.bucket.bucketArn),
      ),
    ).toEqual([]);
    const catalogue = onResource(statements, env.stateful.tables.catalogue.table.tableArn);
    expect(catalogue).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:Query',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['BRANCH'] } },
      }),
    ]);
    const secret = statements.filter((s) => asArray(s.Action).includes('secretsmanager:GetSecretValue'));
    expect(secret.map((s) => JSON.stringify(s.Resource))).toEqual([
      rendered(env.dataSharing.pseudonymKey.secretArn),
    ]);
    // The idempotency, audit and other tables are not touched.
    for (const id of ['idempotency', 'audit'] as const) {
      expect(onResource(statements, env.stateful.tables[id].table.tableArn), id).toEqual([]);
    }
  });

  it('generates the pseudonym key in Secrets Manager under its declared name, encrypted with its own rotating key', () => {
    const [[, secret]] = resources('AWS::SecretsManager::Secret') as [[string, Resource]];
    expect(secret.Properties).toMatchObject({
      Name: pseudonymSecret.name(envName),
      GenerateSecretString: { GenerateStringKey: pseudonymSecret.key, PasswordLength: 64 },
      KmsKeyId: expect.anything(),
    });
    expect(secret.DeletionPolicy).toBe(envName === 'prod' ? 'Retain' : 'Delete');
    for (const [, key] of resources('AWS::KMS::Key')) expect(key.Properties.EnableKeyRotation).toBe(true);
  });

  it('reports no unacknowledged finding of AwsSolutions, NIST 800-53 rev 5 or Serverless', () => {
    expect(nagFindings(env.dataSharing as IConstruct)).toEqual([]);
  });
});
