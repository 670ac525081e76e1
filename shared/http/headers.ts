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
