// Schema compatibility: the responses clients were promised (docs/contract-baseline.json) still hold.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import {
  contractBreaks,
  ERROR_BODY_KEY,
  type ResponseContract,
  responseContract,
} from '../../shared/http/contract';
import { buildOpenApi } from '../../shared/http/openapi';
import type { RouteDefinition } from '../../shared/http/route-types';
import { routeList, routes } from '../../shared/http/routes';
import { deadlineSchema, dossierViewSchema, trackingSchema } from '../../shared/schemas/dossiers';
import * as z from '../../shared/schemas/zod';

const contractOf = (list: readonly RouteDefinition[]) =>
  responseContract(buildOpenApi(list, { version: pkg.version }));

/** The route table with one route's success response replaced. */
function withResponse(route: RouteDefinition, status: number, schema: z.ZodMiniType): RouteDefinition[] {
  return routeList.map((r) =>
    r.id === route.id
      ? { ...r, responses: { ...r.responses, [status]: { ...r.responses[status]!, schema } } }
      : r,
  );
}

const baseline = contractOf(routeList);
const TRACK = 'GET /v1/tracking/{code} 200';
const GET_DOSSIER = 'GET /v1/dossiers/{code} 200';

describe('the committed response contract', () => {
  it('still holds: no published field removed, retyped or made optional (see scripts/write-contract-baseline.ts)', () => {
    const committed = JSON.parse(readFileSync('docs/contract-baseline.json', 'utf8')) as ResponseContract;
    expect(contractBreaks(committed, baseline)).toEqual([]);
  });

  it('covers the success response of every route that answers JSON, and the error body', () => {
    const committed = JSON.parse(readFileSync('docs/contract-baseline.json', 'utf8')) as ResponseContract;
    const json = routeList.flatMap((r) =>
      Object.entries(r.responses)
        .filter(([status, spec]) => Number(status) < 300 && spec.schema && !spec.contentType)
        .map(([status]) => `${r.method} ${r.path} ${status}`),
    );
    expect(Object.keys(committed).sort()).toEqual([...json, ERROR_BODY_KEY].sort());
  });
});

describe('responseContract', () => {
  it('lists nested fields, array elements and map values with their type and presence', () => {
    expect(baseline[GET_DOSSIER]).toMatchObject({
      $: 'object',
      '$.deadline': 'optional object',
      '$.deadline.computedAt': 'string(date-time)',
      '$.deadline.pauses[].to': 'optional string',
      '$.supplement.items[].requirementId': 'optional string',
      '$.history[].from': 'null | string',
      '$.answers.*': 'optional any',
      '$.version': 'integer',
    });
  });
});

describe('contractBreaks', () => {
  it('accepts the contract it was taken from, and an added optional field', () => {
    const added = contractOf(
      withResponse(routes.trackDossier, 200, z.extend(trackingSchema(), { note: z.optional(z.string()) })),
    );
    expect(contractBreaks(baseline, baseline)).toEqual([]);
    expect(contractBreaks(baseline, added)).toEqual([]);
    expect(added[TRACK]).toHaveProperty('$.note', 'optional string');
  });

  it('fails when a published field is removed, at the top or deep inside', () => {
    const topRemoved = contractOf(
      withResponse(routes.trackDossier, 200, z.omit(trackingSchema(), { paused: true })),
    );
    expect(contractBreaks(baseline, topRemoved)).toEqual([`${TRACK}: $.paused was removed`]);

    const deepRemoved = contractOf(
      withResponse(
        routes.getDossier,
        200,
        z.extend(dossierViewSchema(), {
          deadline: z.optional(z.omit(deadlineSchema(), { computedAt: true })),
        }),
      ),
    );
    expect(contractBreaks(baseline, deepRemoved)).toEqual([
      `${GET_DOSSIER}: $.deadline.computedAt was removed`,
    ]);
  });

  it('fails when a published field changes type', () => {
    const retyped = contractOf(
      withResponse(routes.trackDossier, 200, z.extend(trackingSchema(), { paused: z.enum(['yes', 'no']) })),
    );
    expect(contractBreaks(baseline, retyped)).toEqual([
      `${TRACK}: $.paused changed type from boolean to string`,
    ]);

    const nullable = contractOf(
      withResponse(
        routes.trackDossier,
        200,
        z.extend(trackingSchema(), { submittedAt: z.nullable(z.string()) }),
      ),
    );
    expect(contractBreaks(baseline, nullable)).toEqual([
      `${TRACK}: $.submittedAt changed type from string to null | string`,
    ]);
  });

  it('fails when a field that was always present becomes optional', () => {
    const optional = contractOf(
      withResponse(routes.trackDossier, 200, z.extend(trackingSchema(), { paused: z.optional(z.boolean()) })),
    );
    expect(contractBreaks(baseline, optional)).toEqual([
      `${TRACK}: $.paused was always present and is now optional`,
    ]);
  });

  it('fails when a published response disappears', () => {
    const gone = contractOf(routeList.filter((r) => r.id !== routes.trackDossier.id));
    expect(contractBreaks(baseline, gone)).toEqual([`${TRACK}: the response is gone`]);
  });

  it('accepts a narrower type: a client of the wider one still reads it', () => {
    const wide: ResponseContract = { r: { '$.a': 'null | string', '$.b': 'number' } };
    const narrow: ResponseContract = { r: { '$.a': 'string', '$.b': 'integer' } };
    expect(contractBreaks(wide, narrow)).toEqual([]);
    expect(contractBreaks(narrow, wide)).toHaveLength(2);
  });
});
