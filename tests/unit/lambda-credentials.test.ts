// The bundles' credential provider (shared/adapters/lambda-credentials.ts): the environment's credentials, as Lambda
// sets them for the function's role, and a clear refusal when they are not there.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultProvider } from '../../shared/adapters/lambda-credentials';

const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;
const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));

afterEach(() => {
  for (const name of names) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe('the bundles’ credential provider', () => {
  it('gives the role credentials Lambda puts in the environment, read when asked', async () => {
    const provider = defaultProvider();
    process.env.AWS_ACCESS_KEY_ID = 'ASIAEXAMPLEROLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret-of-the-role';
    process.env.AWS_SESSION_TOKEN = 'session-of-the-role';
    expect(await provider()).toMatchObject({
      accessKeyId: 'ASIAEXAMPLEROLE',
      secretAccessKey: 'secret-of-the-role',
      sessionToken: 'session-of-the-role',
    });
  });

  it('refuses, naming where it looked, when the environment holds no credentials', async () => {
    for (const name of names) delete process.env[name];
    await expect(defaultProvider()()).rejects.toThrow('Unable to find environment variable credentials.');
  });
});
