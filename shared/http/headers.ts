// Headers every response carries, whether a handler or the gateway itself answers.
export const securityHeaders: Readonly<Record<string, string>> = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

export function corsHeaders(origin: string | undefined, allowed: readonly string[]): Record<string, string> {
  if (!origin) return {};
  if (!allowed.includes('*') && !allowed.includes(origin)) return {};
  return {
    'access-control-allow-origin': allowed.includes('*') ? '*' : origin,
    'access-control-expose-headers': 'x-request-id, retry-after, location',
    vary: 'Origin',
  };
}

type EventHeaders = Record<string, string | undefined> | null | undefined;

/** Own entries only, so a header read never finds a member of Object.prototype (`constructor`, `toString`…). */
export function headerValue(headers: EventHeaders, name: string) {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/**
 * The headers by lower-case name (the first of names differing in case only), in a map without a prototype:
 * `headers.constructor` is a header someone sent or undefined, never Object.
 */
export function headerMap(headers: EventHeaders): Record<string, string | undefined> {
  const map: Record<string, string | undefined> = Object.create(null);
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) map[key.toLowerCase()] ??= value;
  }
  return map;
}

/** The q of the most specific range that names the type (`*\/*` counts only where `anyRange`), 0 where none does. */
function qualityOf(accept: string, type: string, anyRange: boolean): number {
  const [major] = type.split('/');
  let best = { specificity: -1, q: 0 };
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const specificity =
      range === type ? 2 : range === `${major}/*` ? 1 : range === '*/*' && anyRange ? 0 : -1;
    if (specificity < best.specificity || specificity < 0) continue;
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? '1');
    const weight = Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0;
    best =
      specificity > best.specificity
        ? { specificity, q: weight }
        : { specificity, q: Math.max(best.q, weight) };
  }
  return best.q;
}

/**
 * Whether the request wants a page rather than JSON: it names text/html (browsers send `text/html,…,*\/*;q=0.8`) above
 * application/json. `*\/*` alone, no Accept, or a tie keeps JSON, so an API client never gets a page by surprise.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const html = qualityOf(accept, 'text/html', false);
  return html > 0 && html > qualityOf(accept, 'application/json', true);
}
