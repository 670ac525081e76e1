import { Bucket } from 'aws-cdk-lib/aws-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import { cleanUp, scratchDir, skipBundling } from './support';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) cleanUp(dir);
});
const outdir = () => {
  const dir = scratchDir('guards');
  dirs.push(dir);
  return dir;
};

describe('synth guards', () => {
  it('cdk-nag stops synth on an unacknowledged finding', () => {
    const { app, stateful } = buildApp('dev', {
      outdir: outdir(),
      context: skipBundling,
      cfnValidation: false,
    });
    new Bucket(stateful, 'Unlogged');
    expect(() => app.synth()).toThrow(/AwsSolutions-S1'/);
  });
});
