// A route's bounded context is the folder of its handler (`functions/<context>/<verb-noun>.ts`): the API stack puts
// each context's functions and methods in a nested stack of its own.
import type { RouteDefinition } from '../../shared/http/route-types';

export function contextOf(route: Pick<RouteDefinition, 'id' | 'handler'>): string {
  const match = /^functions\/([a-z][a-z0-9-]*)\/[^/]+$/.exec(route.handler);
  if (!match) {
    throw new Error(
      `Route ${route.id}: handler ${route.handler} must be functions/<context>/<verb-noun>.ts (its context names its stack)`,
    );
  }
  return match[1] as string;
}

/** Routes grouped by context, contexts in first-seen order (the route table's order). */
export function routesByContext(routes: readonly RouteDefinition[]): Map<string, RouteDefinition[]> {
  const grouped = new Map<string, RouteDefinition[]>();
  for (const route of routes) {
    const context = contextOf(route);
    grouped.set(context, [...(grouped.get(context) ?? []), route]);
  }
  return grouped;
}
