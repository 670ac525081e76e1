// Structured JSON logs with keys; never a citizen ID or document content (CONVENTIONS.md §9).
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(message: string, keys?: Record<string, unknown>): void;
  info(message: string, keys?: Record<string, unknown>): void;
  warn(message: string, keys?: Record<string, unknown>): void;
  error(message: string, keys?: Record<string, unknown>): void;
  child(keys: Record<string, unknown>): Logger;
}

// Keys whose values must never reach a log line, whatever a caller passes.
const redacted = new Set(['citizenId', 'cccd', 'idNumber', 'authorization', 'token', 'content', 'body']);

function emit(level: Level, base: Record<string, unknown>, message: string, keys?: Record<string, unknown>) {
  const threshold = (process.env.LOG_LEVEL ?? 'info') as Level | 'silent';
  if (order[level] < (order[threshold] ?? 20)) return;
  const entry: Record<string, unknown> = { level, time: new Date().toISOString(), message, ...base };
  for (const [key, value] of Object.entries(keys ?? {})) {
    entry[key] = redacted.has(key) ? '[redacted]' : value instanceof Error ? value.message : value;
  }
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}

export function createLogger(base: Record<string, unknown> = {}): Logger {
  return {
    debug: (m, k) => emit('debug', base, m, k),
    info: (m, k) => emit('info', base, m, k),
    warn: (m, k) => emit('warn', base, m, k),
    error: (m, k) => emit('error', base, m, k),
    child: (keys) => createLogger({ ...base, ...keys }),
  };
}

export const logger = createLogger({ service: 'motcua' });
