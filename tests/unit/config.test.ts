import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readHttpConfig, requireResourceNames, resetConfigForTests } from '../../shared/config';
import { ConfigError } from '../../shared/errors';
import { onEvents } from '../../shared/events/handler';
import { httpRoute } from '../../shared/http/middleware';
import type { RouteDefinition } from '../../shared/http/route-types';

const saved = { ...process.env };
const names = ['STAGE', 'PUBLIC_BASE_URL', 'CORS_ORIGINS', 'TABLE_CATALOGUE', 'TABLE_AUDIT'];

const route = {
  id: 'configRoute',
  method: 'GET',
  path: '/v1/things',
  summary: 'test',
  tags: [],
  auth: { kind: 'public' },
  handler: 'none',
  responses: {},
  uses: { catalogue: 'read' },
} as const satisfies RouteDefinition;

function configure(values: Record<string, string | undefined>) {
  for (const name of names) delete process.env[name];
  for (const [name, value] of Object.entries(values)) if (value !== undefined) process.env[name] = value;
  resetConfigForTests();
}

describe('readHttpConfig', () => {
  beforeEach(() => {
    process.env.LOG_LEVEL = 'silent';
  });
  afterEach(() => {
    process.env = { ...saved };
    resetConfigForTests();
  });

  it('reads the stage, the public base URL and the CORS origins once', () => {
    configure({
      STAGE: 'prod',
      PUBLIC_BASE_URL: 'https://api.motcua.example.vn/',
      CORS_ORIGINS: 'https://a.vn, https://b.vn',
    });
    expect(readHttpConfig()).toEqual({
      stage: 'prod',
      publicBaseUrl: 'https://api.motcua.example.vn',
      corsOrigins: ['https://a.vn', 'https://b.vn'],
    });
    process.env.PUBLIC_BASE_URL = 'https://changed.example.vn';
    expect(readHttpConfig().publicBaseUrl).toBe('https://api.motcua.example.vn');
  });

  it('stops naming STAGE when it is missing: no stage is assumed', () => {
    configure({ PUBLIC_BASE_URL: 'https://api.motcua.example.vn' });
    expect(() => readHttpConfig()).toThrow(/STAGE/);
  });

  it('stops naming PUBLIC_BASE_URL when it is missing or blank', () => {
    configure({ STAGE: 'dev' });
    expect(() => readHttpConfig()).toThrow(/Missing environment variable PUBLIC_BASE_URL/);
    configure({ STAGE: 'dev', PUBLIC_BASE_URL: '  ' });
    expect(() => readHttpConfig()).toThrow(/PUBLIC_BASE_URL/);
  });

  it('refuses a localhost base URL outside the embedded stack, and accepts it there', () => {
    for (const url of [
      'http://localhost:3000',
      'https://127.0.0.1',
      'https://[::1]:8443',
      'https://app.localhost',
    ]) {
      configure({ STAGE: 'staging', PUBLIC_BASE_URL: url });
      expect(() => readHttpConfig(), url).toThrow(/only the embedded stack \(STAGE=local\)/);
    }
    configure({ STAGE: 'local', PUBLIC_BASE_URL: 'http://localhost:3000' });
    expect(readHttpConfig().publicBaseUrl).toBe('http://localhost:3000');
  });

  it('refuses a plain-http or relative base URL outside the embedded stack', () => {
    configure({ STAGE: 'prod', PUBLIC_BASE_URL: 'http://api.motcua.example.vn' });
    expect(() => readHttpConfig()).toThrow(/must be https/);
    configure({ STAGE: 'prod', PUBLIC_BASE_URL: '/v1' });
    expect(() => readHttpConfig()).toThrow(/not an absolute URL/);
  });

  it('refuses a CORS entry that is not an origin', () => {
    configure({
      STAGE: 'local',
      PUBLIC_BASE_URL: 'http://localhost:3000',
      CORS_ORIGINS: 'https://a.vn/path',
    });
    expect(() => readHttpConfig()).toThrow(/CORS_ORIGINS holds https:\/\/a.vn\/path/);
  });
});

describe('the cold start of a function', () => {
  beforeEach(() => {
    process.env.LOG_LEVEL = 'silent';
  });
  afterEach(() => {
    process.env = { ...saved };
    resetConfigForTests();
  });

  it('names an empty table name instead of starting with it', () => {
    configure({ TABLE_CATALOGUE: '' });
    expect(() => requireResourceNames(['catalogue'])).toThrow(
      new ConfigError('Missing environment variable TABLE_CATALOGUE'),
    );
  });

  it('stops an HTTP function at module load when a resource its route uses has no name', () => {
    configure({ STAGE: 'local', PUBLIC_BASE_URL: 'http://localhost:3000' });
    expect(() => httpRoute(route, async () => ({}))).toThrow(/TABLE_CATALOGUE/);
    configure({ STAGE: 'local', PUBLIC_BASE_URL: 'http://localhost:3000', TABLE_CATALOGUE: 'cat' });
    expect(() => httpRoute(route, async () => ({}))).not.toThrow();
  });

  it('stops a partner function without the registry and audit tables', () => {
    configure({ STAGE: 'local', PUBLIC_BASE_URL: 'http://localhost:3000', TABLE_CATALOGUE: 'cat' });
    const partner = { ...route, id: 'partnerRoute', auth: { kind: 'partner' }, uses: {} } as const;
    expect(() => httpRoute(partner, async () => ({}))).toThrow(/TABLE_AUDIT/);
  });

  it('stops an HTTP function at module load when the shared settings are unusable', () => {
    configure({ STAGE: 'prod', PUBLIC_BASE_URL: 'http://localhost:3000', TABLE_CATALOGUE: 'cat' });
    expect(() => httpRoute(route, async () => ({}))).toThrow(/PUBLIC_BASE_URL points at localhost/);
  });

  it('stops a declared stream consumer at module load without the tables it declares', () => {
    configure({});
    expect(() => onEvents(['DossierFiled'], async () => undefined, { consumer: 'audit-log' })).toThrow(
      /TABLE_AUDIT/,
    );
  });
});
