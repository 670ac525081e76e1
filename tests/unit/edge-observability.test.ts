// The wrappers' shared behaviour: metrics flushed per invocation, refusals logged once with their code, faults
// counted as ServerErrors, refused partner calls in the audit log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetConfigForTests } from '../../shared/config';
import { ConflictError } from '../../shared/errors';
import { onEvents } from '../../shared/events/handler';
import { httpRoute } from '../../shared/http/middleware';
import type { RouteDefinition } from '../../shared/http/route-types';
import * as z from '../../shared/schemas/zod';
import type { AuditDeps } from '../../shared/usecases/audit/deps';
import { memoryAuditLog } from './fakes/memory-audit';
import { memoryPartnerRegistry } from './fakes/memory-partners';
import { context, event } from './support/events';
import { linesOf, metricDocuments } from './support/stdout';
import { eventRecord, sampleEvent } from './support/stream';

const saved = { ...process.env };
const functionName = 'motcua-dev-testRoute';
const lambdaContext = (id: string) => ({ ...context, awsRequestId: id, functionName }) as typeof context;

const route = {
  id: 'testRoute',
  method: 'POST',
  path: '/v1/things/{code}',
  summary: 'test',
  tags: [],
  auth: { kind: 'public' },
  handler: 'none',
  request: { path: z.object({ code: z.string() }) },
  responses: { 201: { description: 'made' } },
  uses: {},
} as const satisfies RouteDefinition;

const partnerRoute = {
  ...route,
  id: 'partnerThing',
  method: 'GET',
  path: '/v1/partner/things/{code}',
  auth: { kind: 'partner' },
} as const satisfies RouteDefinition;

const police = 'arn:aws:iam::111111111111:role/police';
const stranger = 'arn:aws:iam::999999999999:role/stranger';

function auditDeps(log = memoryAuditLog().log): AuditDeps {
  return { audit: log, clock: () => new Date('2026-11-27T03:00:00.000Z'), sleep: async () => undefined };
}

beforeEach(() => {
  process.env.STAGE = 'local';
  process.env.PUBLIC_BASE_URL = 'http://localhost:3000';
  process.env.LOG_LEVEL = 'info';
  resetConfigForTests();
});
afterEach(() => {
  process.env = { ...saved };
  resetConfigForTests();
});

describe('httpRoute metrics', () => {
  const handler = () =>
    httpRoute(route, async ({ path, metrics }) => {
      if (path.code === 'boom') throw new Error('secret internals');
      if (path.code === 'busy') throw new ConflictError('busy');
      metrics.count('Filings', { unit: '000.02.01.H26', procedure: '1.001193' });
      return { body: { ok: true } };
    });

  it('counts a handled 5xx as ServerErrors in namespace motcua with the function name as service', async () => {
    const h = handler();
    let status = 0;
    const lines = await linesOf(async () => {
      status = (await h(event({ pathParameters: { code: 'boom' } }), lambdaContext('r1'))).statusCode;
    });
    expect(status).toBe(500);
    expect(metricDocuments(lines)).toEqual([
      expect.objectContaining({
        Namespace: 'motcua',
        Dimensions: [['service']],
        Metrics: [{ Name: 'ServerErrors', Unit: 'Count' }],
        values: expect.objectContaining({ service: functionName, ServerErrors: 1 }),
      }),
    ]);
    const error = lines.find((l) => l.message === 'unhandled error');
    expect(error).toMatchObject({
      level: 'error',
      error: { message: 'secret internals', stack: expect.any(String) },
    });
  });

  it('counts a filing by unit and by procedure, never crossed, and flushes it with its invocation', async () => {
    const h = handler();
    const first = await linesOf(() => h(event({ pathParameters: { code: '1' } }), lambdaContext('r1')));
    expect(metricDocuments(first)).toEqual([
      expect.objectContaining({
        Namespace: 'motcua',
        Dimensions: [
          ['service', 'unit'],
          ['service', 'procedure'],
        ],
        Metrics: [{ Name: 'Filings', Unit: 'Count' }],
        values: expect.objectContaining({
          service: functionName,
          unit: '000.02.01.H26',
          procedure: '1.001193',
          Filings: 1,
        }),
      }),
    ]);
    const second = await linesOf(() => h(event({ pathParameters: { code: '2' } }), lambdaContext('r2')));
    expect(metricDocuments(second).map((d) => d.values.Filings)).toEqual([1]);
  });

  it('logs a refusal once, at info, with its code, and counts no server error', async () => {
    const h = handler();
    const lines = await linesOf(() => h(event({ pathParameters: { code: 'busy' } }), lambdaContext('r3')));
    const refusals = lines.filter((l) => l.message === 'refused');
    expect(refusals).toEqual([
      expect.objectContaining({ level: 'info', code: 'CONFLICT', status: 409, requestId: 'r3' }),
    ]);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(metricDocuments(lines)).toEqual([]);
  });

  it('writes no metric document at LOG_LEVEL=silent', async () => {
    process.env.LOG_LEVEL = 'silent';
    const h = handler();
    expect(await linesOf(() => h(event({ pathParameters: { code: 'boom' } }), lambdaContext('r4')))).toEqual(
      [],
    );
  });
});

describe('a refused partner call', () => {
  beforeEach(() => {
    process.env.LOG_LEVEL = 'silent';
  });

  it('lands in the audit log when an unregistered SigV4 principal calls: who, route, when, code', async () => {
    const audit = memoryAuditLog();
    const h = httpRoute(partnerRoute, async () => ({ body: {} }), {
      partners: memoryPartnerRegistry({ [police]: '000.33.08.H26' }),
      audit: auditDeps(audit.log),
    });
    const response = await h(
      event({ userArn: stranger, pathParameters: { code: '000.02.01.H26-261127-0042' } }),
      lambdaContext('req-refused'),
    );
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body).error.code).toBe('ACCESS_DENIED');
    const entries = [...audit.entries.values()];
    expect(entries).toEqual([
      expect.objectContaining({
        seq: 1,
        who: { kind: 'principal', id: stranger },
        what: { action: 'GET /v1/partner/things/{code}', subject: '000.02.01.H26-261127-0042' },
        result: { outcome: 'refused', code: 'ACCESS_DENIED' },
        source: { kind: 'request', id: 'req-refused' },
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      }),
    ]);
  });

  it('is audited when no signature reached the function (401), and a served call is not', async () => {
    const audit = memoryAuditLog();
    const h = httpRoute(partnerRoute, async () => ({ body: {} }), {
      partners: memoryPartnerRegistry({ [police]: '000.33.08.H26' }),
      audit: auditDeps(audit.log),
    });
    expect((await h(event(), lambdaContext('unsigned'))).statusCode).toBe(401);
    expect(
      (await h(event({ userArn: police, pathParameters: { code: 'c' } }), lambdaContext('served')))
        .statusCode,
    ).toBe(201);
    expect([...audit.entries.values()].map((e) => [e.who, e.result.code, e.source.id])).toEqual([
      [{ kind: 'anonymous' }, 'SIGV4_REQUIRED', 'unsigned'],
    ]);
  });

  it('names the registered agency when its call is refused after authentication', async () => {
    const audit = memoryAuditLog();
    const h = httpRoute(
      partnerRoute,
      async () => {
        throw new (await import('../../shared/errors')).ForbiddenError('not your step');
      },
      { partners: memoryPartnerRegistry({ [police]: '000.33.08.H26' }), audit: auditDeps(audit.log) },
    );
    expect(
      (await h(event({ userArn: police, pathParameters: { code: 'c' } }), lambdaContext('later'))).statusCode,
    ).toBe(403);
    expect([...audit.entries.values()][0]?.who).toEqual({ kind: 'agency', id: '000.33.08.H26' });
  });

  it('still answers the refusal when the audit log is down, and logs and counts the miss', async () => {
    const broken: AuditDeps = {
      audit: {
        head: async () => {
          throw new Error('audit table unreachable');
        },
        append: async () => 'appended',
        appendAll: async () => undefined,
        entries: async function* () {},
      },
      clock: () => new Date(),
      sleep: async () => undefined,
    };
    process.env.LOG_LEVEL = 'info';
    const h = httpRoute(partnerRoute, async () => ({ body: {} }), {
      partners: memoryPartnerRegistry({}),
      audit: broken,
    });
    let status = 0;
    const lines = await linesOf(async () => {
      status = (await h(event({ userArn: stranger }), lambdaContext('miss'))).statusCode;
    });
    expect(status).toBe(403);
    expect(lines.find((l) => l.message === 'refusal not audited')).toMatchObject({
      level: 'error',
      code: 'ACCESS_DENIED',
    });
    expect(metricDocuments(lines).flatMap((d) => d.Metrics.map((m) => m.Name))).toEqual([
      'RefusalsNotAudited',
    ]);
  });
});

describe('onEvents shares the logging and metrics', () => {
  it('logs a failed event with its stack and counts it as EventsFailed for the consumer function', async () => {
    const handler = onEvents(
      ['DossierReceived'],
      async () => {
        throw new Error('downstream unavailable');
      },
      { consumer: 'observability-test' },
    );
    const lines = await linesOf(() =>
      handler({ Records: [eventRecord(sampleEvent('DossierReceived'), 1)] }, {
        ...context,
        functionName: 'motcua-dev-observability-test',
      } as typeof context),
    );
    expect(lines.find((l) => l.message === 'event failed')).toMatchObject({
      level: 'error',
      consumer: 'observability-test',
      error: { message: 'downstream unavailable', stack: expect.any(String) },
    });
    expect(metricDocuments(lines)).toEqual([
      expect.objectContaining({
        Namespace: 'motcua',
        Dimensions: [['service']],
        values: expect.objectContaining({ service: 'motcua-dev-observability-test', EventsFailed: 1 }),
      }),
    ]);
  });
});
