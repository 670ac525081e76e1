import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import {
  EnvironmentConfigError,
  environmentNames,
  loadEnvironment,
  partnerPrincipalMap,
} from '../../infra/config/environments';
import { cleanUp, scratchDir } from './support';

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
      'motcua-staging-api',
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

  it('names the setting that is out of range', () => {
    expect(() => loadEnvironment('dev', { wafRateLimitPer5MinPerIp: 5 })).toThrow(/wafRateLimitPer5MinPerIp/);
  });

  it('refuses a partner principal that is not an IAM role or user ARN', () => {
    expect(() =>
      loadEnvironment('dev', { partnerPrincipals: [{ agency: '000.00.13.H26', principalArn: 'police' }] }),
    ).toThrow(/IAM role or user ARN/);
  });

  it('maps partner principals to agency codes as PARTNER_PRINCIPALS expects', () => {
    const config = loadEnvironment('dev', {
      partnerPrincipals: [{ agency: '000.00.13.H26', principalArn: 'arn:aws:iam::123456789012:role/police' }],
    });
    expect(partnerPrincipalMap(config)).toEqual({ 'arn:aws:iam::123456789012:role/police': '000.00.13.H26' });
  });
});
