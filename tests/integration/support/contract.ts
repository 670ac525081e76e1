// Holds every answer the tests receive to the published contract: the route's declared status, content type and
// schema, with unknown keys refused at any depth. The gateway's own answers (unknown path, wrong method, a
// malformed request) must still be the error body.

import { gatewayAnswers } from '../../../shared/http/gateway-responses';
import { type RouteDefinition, responseSchema } from '../../../shared/http/route-types';
import { routeList } from '../../../shared/http/routes';
import { responsesOf } from '../../../shared/http/routes/common';
import { errorBodySchema } from '../../../shared/schemas/common';
import * as z from '../../../shared/schemas/zod';
import { deepStrict } from './deep-strict';

export class ContractError extends Error {
  override name = 'ContractError';
}

const matchers = routeList.map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  params: (route.path.match(/\{/g) ?? []).length,
}));

/** The route API Gateway would pick: a literal segment wins over a parameter. */
export function routeFor(method: string, pathname: string): RouteDefinition | undefined {
  return matchers
    .filter((m) => m.route.method === method.toUpperCase() && m.pattern.test(pathname))
    .sort((a, b) => a.params - b.params)[0]?.route;
}

/**
 * The gateway refuses some requests itself, before any route's function (gateway-responses.ts). Its 5xx are not
 * excused: they mean a function failed.
 */
function isGatewayRefusal(status: number, text: string): boolean {
  if (status >= 500) return false;
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return Object.values(gatewayAnswers).some((answer) => answer.status === status && answer.code === code);
  } catch {
    return false;
  }
}

const isJson = (contentType: string | null) =>
  !!contentType && /^application\/json\s*(;|$)/i.test(contentType);

function parsed(what: string, schema: z.ZodMiniType, text: string): void {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ContractError(`${what}: the body is not JSON: ${text.slice(0, 200)}`);
  }
  const result = deepStrict(schema).safeParse(body);
  if (!result.success) {
    throw new ContractError(
      `${what} does not match its schema:\n${z.prettifyError(result.error)}\nbody: ${text.slice(0, 2000)}`,
    );
  }
}

/**
 * Throws a `ContractError` naming the route and the zod issues when the answer strays from the route table.
 * Pass a clone when the caller still reads the body.
 */
export async function assertContract(method: string, url: string, response: Response): Promise<void> {
  const pathname = new URL(url, 'http://contract.invalid').pathname;
  const route = routeFor(method, pathname);
  const contentType = response.headers.get('content-type');
  const status = response.status;
  if (!route) {
    if (status >= 400 && isJson(contentType)) {
      parsed(`${method} ${pathname} (no route) answered ${status}`, errorBodySchema, await response.text());
    }
    return;
  }
  const what = `${route.id} (${route.method} ${route.path}) answered ${status}`;
  const spec = responsesOf(route)[status];
  if (!spec) {
    const text = await response.text();
    if (isJson(contentType) && isGatewayRefusal(status, text)) {
      parsed(`${what} from the gateway`, errorBodySchema, text);
      return;
    }
    throw new ContractError(
      `${what}, a status the route does not declare (${Object.keys(responsesOf(route)).join(', ')}): ${text.slice(0, 500)}`,
    );
  }
  if (!spec.schema) return;
  // Another representation the route declares (a report as CSV): its content type is the contract.
  if (spec.alternatives?.some((alt) => contentType?.startsWith(alt.contentType))) return;
  const declared = spec.contentType ?? 'application/json';
  if (declared !== 'application/json') {
    if (!contentType?.startsWith(declared)) {
      throw new ContractError(`${what} as ${contentType ?? 'no content type'}, not ${declared}`);
    }
    return;
  }
  if (!isJson(contentType)) {
    throw new ContractError(`${what} as ${contentType ?? 'no content type'}, not application/json`);
  }
  parsed(what, responseSchema(spec.schema), await response.text());
}
