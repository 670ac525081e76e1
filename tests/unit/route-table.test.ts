import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { buildOpenApi } from '../../shared/http/openapi';
import { responseSchema } from '../../shared/http/route-types';
import { routeList } from '../../shared/http/routes';
import { responsesOf } from '../../shared/http/routes/common';
import { lazySchema } from '../../shared/schemas/common';
import * as z from '../../shared/schemas/zod';

describe('the route table', () => {
  it('builds a response schema given as a builder only when the OpenAPI document reads it, and once', () => {
    let builds = 0;
    const schema = lazySchema(() => {
      builds += 1;
      return z.object({ answer: z.string() }).check(z.meta({ id: 'LazyAnswer' }));
    });
    const route = { ...routeList[0]!, responses: { 200: { description: 'An answer', schema } } };
    expect(builds).toBe(0);
    const document = JSON.stringify(buildOpenApi([route], { version: 'test' }));
    expect(document).toContain('#/components/schemas/LazyAnswer');
    buildOpenApi([route], { version: 'test' });
    expect(builds).toBe(1);
    expect(responseSchema(schema)).toBe(responseSchema(schema));
  });

  it('gives every route a unique id and a unique method and path', () => {
    expect(new Set(routeList.map((r) => r.id)).size).toBe(routeList.length);
    expect(new Set(routeList.map((r) => `${r.method} ${r.path}`)).size).toBe(routeList.length);
  });

  it('points every route at a handler file that exists', () => {
    for (const route of routeList) expect(existsSync(route.handler), route.handler).toBe(true);
  });

  it('declares path parameters exactly as the path names them', () => {
    for (const route of routeList) {
      const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = Object.keys(route.request?.path?.shape ?? {}).sort();
      expect(declared, route.id).toEqual(inPath);
    }
  });

  it('gives every route a success answer of its own', () => {
    for (const route of routeList) {
      expect(
        Object.keys(route.responses).some((status) => Number(status) < 300),
        route.id,
      ).toBe(true);
    }
  });

  it('documents the refusals each kind of route can give', () => {
    for (const route of routeList) {
      const statuses = Object.keys(responsesOf(route)).map(Number);
      if (route.request?.body) expect(statuses, route.id).toEqual(expect.arrayContaining([400, 413, 415]));
      if (route.auth.kind !== 'public' && route.auth.kind !== 'provider') {
        expect(statuses, route.id).toEqual(expect.arrayContaining([401, 403]));
      }
      if (route.request?.idempotent) expect(statuses, route.id).toContain(422);
    }
  });
});

describe('the committed OpenAPI document', () => {
  it('matches the route table (run `npm run openapi` after changing routes)', () => {
    const committed = JSON.parse(readFileSync('docs/openapi.json', 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildOpenApi(routeList, { version: pkg.version }))));
  });

  it('is OpenAPI 3.1 with an operation per route', () => {
    const doc = buildOpenApi(routeList, { version: pkg.version });
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(operations).toHaveLength(routeList.length);
  });
});
