import { Token } from 'aws-cdk-lib';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import {
  assertDeployAccount,
  EnvironmentConfigError,
  environmentNames,
  loadEnvironment,
  pinnedAccountEnvironments,
} from '../../infra/config/environments';
import { cleanUp, scratchDir, skipBundling } from './support';

const outdir = scratchDir('environments');
afterAll(() => cleanUp(outdir));

describe('environment selection', () => {
  it('stops synth with one message listing the valid names when the name is unknown', () => {
    expect(() => buildApp('qa')).toThrow(
      new EnvironmentConfigError(
        'motcua CDK app: unknown environment "qa"; pass -c env=<name> with one of: dev, staging, prod',
      ),
    );
  });

  it('stops synth with the same guidance when no environment is given', () => {
    expect(() => buildApp(undefined, { outdir })).toThrow(
      new EnvironmentConfigError(
        'motcua CDK app: no environment; pass -c env=<name> with one of: dev, staging, prod',
      ),
    );
  });

  it('reads the environment from context `env` when none is passed', () => {
    const built = buildApp(undefined, {
      outdir,
      context: { env: 'staging', 'aws:cdk:bundling-stacks': [] },
      nag: false,
    });
    expect(built.config.name).toBe('staging');
    expect(built.app.node.children.map((c) => c.node.id)).toEqual([
      'motcua-staging-stateful',
      'motcua-staging-workflow',
      'motcua-staging-api',
      'motcua-staging-events',
      'motcua-staging-dashboard',
      'motcua-staging-data-sharing',
      'motcua-staging-monitoring',
    ]);
  });
});

describe('environment settings', () => {
  it.each(environmentNames)('validates %s and places it in ap-southeast-1', (name) => {
    const config = loadEnvironment(name);
    expect(config.name).toBe(name);
    expect(config.region).toBe('ap-southeast-1');
    expect(config.throttling.burstLimit).toBeGreaterThanOrEqual(config.throttling.rateLimit);
  });

  it('retains data only in prod', () => {
    expect(environmentNames.map((name) => [name, loadEnvironment(name).retainData])).toEqual([
      ['dev', false],
      ['staging', false],
      ['prod', true],
    ]);
  });

  it('refuses a prod that would not retain data', () => {
    expect(() => loadEnvironment('prod', { retainData: false })).toThrow(/prod must retain data/);
  });

  it('refuses a receipt book whose tax code lacks its check digit, or of another shape', () => {
    const book = loadEnvironment('prod').receipts;
    expect(() => loadEnvironment('prod', { receipts: { ...book, collectorTaxCode: '0109999905' } })).toThrow(
      /not a tax code[^\n]*\n\s*→ at receipts/,
    );
    expect(() => loadEnvironment('prod', { receipts: { ...book, seriesLetters: 'B' } })).toThrow(
      /two capital letters/,
    );
    expect(
      loadEnvironment('prod', { receipts: { ...book, collectorTaxCode: '0109999904' } }).receipts,
    ).toEqual({
      ...book,
      collectorTaxCode: '0109999904',
    });
  });

  it('names the setting that is out of range', () => {
    expect(() => loadEnvironment('dev', { wafRateLimitPer5MinPerIp: 5 })).toThrow(/wafRateLimitPer5MinPerIp/);
  });

  it('refuses a partner account that is not a 12-digit id, or one listed twice', () => {
    expect(() => loadEnvironment('dev', { partnerAccounts: ['police'] })).toThrow(/12-digit AWS account id/);
    expect(() => loadEnvironment('dev', { partnerAccounts: ['123456789012', '123456789012'] })).toThrow(
      /each partner account may appear once/,
    );
  });

  it('names the partner accounts only, never a principal: agencies are registry data', () => {
    for (const name of environmentNames) {
      const config = loadEnvironment(name) as Record<string, unknown>;
      expect(config.partnerAccounts, name).toEqual(
        expect.arrayContaining([expect.stringMatching(/^\d{12}$/)]),
      );
      expect(
        Object.keys(config).filter((key) => /principal/i.test(key)),
        name,
      ).toEqual([]);
    }
  });
});

describe('deploy accounts', () => {
  // The CLI sets CDK_DEFAULT_ACCOUNT from the credentials it finds; these tests decide what it holds.
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.CDK_DEFAULT_ACCOUNT;
    delete process.env.CDK_DEFAULT_ACCOUNT;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.CDK_DEFAULT_ACCOUNT;
    else process.env.CDK_DEFAULT_ACCOUNT = saved;
  });
  const build = (name: string, account?: string) =>
    buildApp(name, { outdir, context: skipBundling, nag: false, ...(account ? { account } : {}) });

  it.each(pinnedAccountEnvironments)('requires %s to name the one account it deploys into', (name) => {
    expect(loadEnvironment(name).account).toMatch(/^\d{12}$/);
    expect(() => loadEnvironment(name, { account: undefined })).toThrow(`${name} must name its account`);
  });

  it.each(pinnedAccountEnvironments)(
    'stops a %s synth with credentials of another account, naming both',
    (name) => {
      const pinned = loadEnvironment(name).account as string;
      const message =
        `motcua-${name} deploys only into account ${pinned}, but the credentials are for account 999999999999: ` +
        `use credentials for ${pinned} (e.g. AWS_PROFILE) or choose another -c env`;
      expect(() => build(name, '999999999999')).toThrow(new EnvironmentConfigError(message));
      // The same when the account comes from the CLI's environment rather than an option.
      process.env.CDK_DEFAULT_ACCOUNT = '999999999999';
      expect(() => build(name)).toThrow(new EnvironmentConfigError(message));
    },
  );

  it.each(pinnedAccountEnvironments)('synthesizes %s into its account with matching credentials', (name) => {
    const pinned = loadEnvironment(name).account as string;
    const built = build(name, pinned);
    expect([built.stateful, built.api, built.events, built.monitoring].map((stack) => stack.account)).toEqual(
      [pinned, pinned, pinned, pinned],
    );
  });

  it.each(pinnedAccountEnvironments)('synthesizes %s offline, without credentials, still pinned', (name) => {
    const built = build(name);
    expect(built.api.account).toBe(loadEnvironment(name).account);
  });

  it('keeps dev account-agnostic: it deploys wherever the credentials point', () => {
    expect(() => assertDeployAccount(loadEnvironment('dev'), '999999999999')).not.toThrow();
    expect(build('dev', '999999999999').api.account).toBe('999999999999');
    expect(Token.isUnresolved(build('dev').api.account)).toBe(true);
  });
});
