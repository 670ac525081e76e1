// Compliance of each environment: the three cdk-nag packs report nothing unacknowledged and every acknowledgement says
// why; the tables are in AWS Backup in prod only; the firewall logs requests without credentials.
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { environmentNames, loadEnvironment } from '../../infra/config/environments';
import { nagPackNames } from '../../infra/nag';
import { tableBackupRetention } from '../../infra/stacks/stateful-stack';
import { tables } from '../../shared/data/resources';
import { collectAcknowledgements, type SynthedEnv, synthForBlock } from './support';

const logicalId = (construct: IConstruct) =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as never);

describe('the backupTables setting', () => {
  it('backs up only prod, and refuses a prod that would not', () => {
    expect(environmentNames.map((name) => [name, loadEnvironment(name).backupTables])).toEqual([
      ['dev', false],
      ['staging', false],
      ['prod', true],
    ]);
    expect(() => loadEnvironment('prod', { backupTables: false })).toThrow(/prod must back up its tables/);
  });
});

describe.each(environmentNames)('compliance in %s', (envName) => {
  let env: SynthedEnv;
  synthForBlock(envName, (synthed) => {
    env = synthed;
  });

  it('runs the AwsSolutions, NIST 800-53 rev 5 and Serverless packs with no unacknowledged finding', () => {
    expect(env.nagPacks?.map((pack) => pack.readPackName)).toEqual([...nagPackNames]);
    for (const pack of env.nagPacks ?? []) {
      const report = pack.validateScope(env.app);
      expect(
        report.violations.map((v) => `${v.ruleName} at ${v.violatingResources[0]?.constructPath}`),
        pack.readPackName,
      ).toEqual([]);
      expect(report.success).toBe(true);
    }
  });

  it('gives every NIST and Serverless acknowledgement its own reason', () => {
    const acknowledgements = collectAcknowledgements(env.app).filter((a) =>
      /^(Annotation::)?(NIST\.800\.53\.R5|Serverless)-/.test(a.id),
    );
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const ack of acknowledgements)
      expect(ack.reason.trim().length, `${ack.path} ${ack.id}`).toBeGreaterThan(40);
    // A rule acknowledged for functions of different kinds says why for each kind, not one blanket reason: HTTP,
    // stream consumers, workflow tasks, and the dashboard's BucketDeployment (a CDK-provided function).
    const dlqReasons = new Set(
      acknowledgements.filter((a) => a.id.endsWith('NIST.800.53.R5-LambdaDLQ')).map((a) => a.reason),
    );
    expect(dlqReasons.size).toBe(4);
  });

  it(
    envName === 'prod' ? 'backs up every table daily and monthly' : 'leaves the tables out of AWS Backup',
    () => {
      const stateful = env.templates.stateful;
      const tableIds = Object.values(env.stateful.tables).map((t) => logicalId(t.table));
      expect(tableIds).toHaveLength(Object.keys(tables).length);
      if (envName !== 'prod') {
        for (const type of [
          'AWS::Backup::BackupVault',
          'AWS::Backup::BackupPlan',
          'AWS::Backup::BackupSelection',
        ])
          stateful.resourceCountIs(type, 0);
        return;
      }
      const vault = Object.values(stateful.findResources('AWS::Backup::BackupVault'));
      expect(vault).toHaveLength(1);
      expect(vault[0]?.Properties).toMatchObject({
        BackupVaultName: `motcua-${envName}-tables`,
        EncryptionKeyArn: { 'Fn::GetAtt': [expect.stringMatching(/^TablesKey/), 'Arn'] },
        LockConfiguration: { MinRetentionDays: tableBackupRetention.daily.toDays() },
      });
      expect(vault[0]?.DeletionPolicy).toBe('Retain');
      const plans = Object.values(stateful.findResources('AWS::Backup::BackupPlan'));
      expect(plans).toHaveLength(1);
      const rules = plans[0]?.Properties.BackupPlan.BackupPlanRule as Record<string, unknown>[];
      expect(
        rules.map((r) => [r.RuleName, (r.Lifecycle as { DeleteAfterDays: number }).DeleteAfterDays]),
      ).toEqual([
        ['daily', tableBackupRetention.daily.toDays()],
        ['monthly', tableBackupRetention.monthly.toDays()],
      ]);
      for (const rule of rules) expect(rule.ScheduleExpressionTimezone).toBe('Asia/Ho_Chi_Minh');
      const selections = Object.values(stateful.findResources('AWS::Backup::BackupSelection'));
      expect(selections).toHaveLength(1);
      const selected = JSON.stringify(selections[0]?.Properties.BackupSelection.Resources);
      for (const id of tableIds) expect(selected).toContain(`"${id}"`);
    },
  );

  it('logs the firewall’s requests, encrypted, with credentials and query strings redacted', () => {
    const api = env.templates.api;
    const logs = api.toJSON().Resources[logicalId(env.api.wafLogs)];
    expect(logs.Properties).toMatchObject({
      LogGroupName: `aws-waf-logs-motcua-${envName}`,
      KmsKeyId: { 'Fn::GetAtt': [logicalId(env.api.logsKey), 'Arn'] },
    });
    const logging = Object.values(api.findResources('AWS::WAFv2::LoggingConfiguration'));
    expect(logging).toHaveLength(1);
    expect(logging[0]?.Properties).toMatchObject({
      ResourceArn: { 'Fn::GetAtt': [env.api.getLogicalId(env.api.webAcl), 'Arn'] },
      RedactedFields: [
        { SingleHeader: { Name: 'authorization' } },
        { SingleHeader: { Name: 'x-amz-security-token' } },
        { QueryString: {} },
      ],
    });
    expect(JSON.stringify(logging[0]?.Properties.LogDestinationConfigs)).toContain(
      `:log-group:aws-waf-logs-motcua-${envName}"`,
    );
    expect(api.toJSON().Resources[logicalId(env.api.accessLogs)].Properties.KmsKeyId).toBeDefined();
  });
});
