// The public API as a citizen's app or an officer's desk calls it: bearer-token JSON calls to the gateway, each POST
// with its own Idempotency-Key, sent again with the same key when the answer is lost or a 5xx (so a retry never files
// or moves anything twice), a refusal thrown with its stable code, and every request counted (API calls that move the
// dossier apart from those that only wait for it, and the presigned S3 transfers that bypass the gateway).
import { randomUUID } from 'node:crypto';

export interface RequestCounts {
  /** Gateway requests that do a step of the dossier's life (filing, receipt, payment, decision, return…). */
  steps: number;
  /** Gateway requests that only wait: task lists polled by the agencies, status reads until the route ends. */
  polls: number;
  /** Presigned S3 transfers (uploads, result downloads): they never reach the gateway. */
  s3: number;
  /** Requests to the payment provider's checkout page (the citizen's browser). */
  provider: number;
  /** Requests sent again after a 5xx, a 429 or a lost connection (POSTs with the same Idempotency-Key). */
  retries: number;
}

/** A refusal of the API: its HTTP status and stable error code (`INVALID_TRANSITION`, `TASK_NOT_FOUND`, …). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CallOptions {
  /** The demo account the call is made as; none for public routes. */
  as?: string;
  body?: unknown;
  /** Counted as waiting, not as a step. */
  poll?: boolean;
  headers?: Record<string, string>;
}

/** Times a request is sent again (after 0.5, 1, 2 s) before its failure is the caller's. */
const RETRIES = 3;

/**
 * Runs `attempt` again after a lost connection (fetch's TypeError) or an answer that says to try later (5xx, 429, on
 * an `ApiError` or the partner client's error, both carrying `status`); the attempt reuses its Idempotency-Key.
 */
export async function retrying<T>(counts: RequestCounts, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n += 1) {
    try {
      return await attempt();
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      const transient =
        typeof status === 'number' ? status >= 500 || status === 429 : error instanceof TypeError;
      if (!transient || n > RETRIES) throw error;
      counts.retries += 1;
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** (n - 1)));
    }
  }
}

export type TokenSource = (username: string) => Promise<string>;

export interface MotcuaApi {
  baseUrl: string;
  counts: RequestCounts;
  get<T>(path: string, options?: CallOptions): Promise<T>;
  post<T>(path: string, options?: CallOptions): Promise<T>;
  /** A raw gateway request (pages, PDFs), counted as a step. */
  fetch(path: string, init?: RequestInit & { as?: string }): Promise<Response>;
}

export function motcuaApi(baseUrl: string, token: TokenSource): MotcuaApi {
  const counts: RequestCounts = { steps: 0, polls: 0, s3: 0, provider: 0, retries: 0 };

  async function send(path: string, init: RequestInit & { as?: string }, poll = false) {
    const { as, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (as) headers.set('authorization', `Bearer ${await token(as)}`);
    if (poll) counts.polls += 1;
    else counts.steps += 1;
    try {
      return await fetch(new URL(path, baseUrl), { ...rest, headers });
    } catch (error) {
      throw new TypeError(`cannot reach ${baseUrl} (${(error as Error).message})`);
    }
  }

  async function call<T>(method: 'GET' | 'POST', path: string, options: CallOptions = {}): Promise<T> {
    const headers: Record<string, string> = { ...options.headers };
    if (method === 'POST') {
      headers['idempotency-key'] ??= randomUUID();
      if (options.body !== undefined) headers['content-type'] = 'application/json';
    }
    const init = {
      method,
      headers,
      ...(options.as ? { as: options.as } : {}),
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    };
    return retrying(counts, async () => {
      const response = await send(path, init, options.poll);
      const text = await response.text();
      if (response.ok) return (text ? JSON.parse(text) : {}) as T;
      const error = parseError(text);
      throw new ApiError(
        response.status,
        error.code,
        `${method} ${path} answered ${response.status} ${error.code}: ${error.message}`,
      );
    });
  }

  return {
    baseUrl,
    counts,
    get: (path, options) => call('GET', path, options),
    post: (path, options) => call('POST', path, options),
    fetch: (path, init = {}) => send(path, init),
  };
}

function parseError(text: string): { code: string; message: string } {
  try {
    const { error } = JSON.parse(text) as { error?: { code?: string; message?: string } };
    return { code: error?.code ?? 'UNKNOWN', message: error?.message ?? text.slice(0, 300) };
  } catch {
    return { code: 'UNKNOWN', message: text.slice(0, 300) };
  }
}

/** Tokens from the embedded stack's local OIDC issuer (`POST /local-idp/token`), one per account, kept for an hour. */
export function localIssuerTokens(baseUrl: string): TokenSource {
  const tokens = new Map<string, Promise<string>>();
  return (username) => {
    let token = tokens.get(username);
    if (!token) {
      token = fetch(new URL('/local-idp/token', baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username }),
      }).then(async (response) => {
        if (!response.ok) throw new Error(`no token for ${username}: ${response.status}`);
        return ((await response.json()) as { id_token: string }).id_token;
      });
      token.catch(() => tokens.delete(username));
      tokens.set(username, token);
      setTimeout(() => tokens.delete(username), 3_600_000).unref();
    }
    return token;
  };
}
