// Structured JSON logs through Powertools Logger: one line per entry on stdout, keys never interpolated, personal data
// redacted at any depth (CONVENTIONS.md §9), stack traces for errors passed as values.
import { LogFormatter, LogItem, Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';

export interface Logger {
  debug(message: string, keys?: Record<string, unknown>): void;
  info(message: string, keys?: Record<string, unknown>): void;
  warn(message: string, keys?: Record<string, unknown>): void;
  error(message: string, keys?: Record<string, unknown>): void;
  child(keys: Record<string, unknown>): Logger;
}

/** A logger of a function: it also takes the invocation's Lambda context (request id, cold start, function name). */
export interface FunctionLogger extends Logger {
  addContext(context: Context): void;
}

export const REDACTED = '[redacted]';

/**
 * Keys whose values never reach a log line, compared without case and separators (`citizen_id`, `x-amz-security-token`
 * and `childFullName` are caught by the same rules): exact names, and names ending in a personal or secret suffix.
 */
const redactedNames = new Set([
  'cccd',
  'idnumber',
  'citizenid',
  'authorization',
  'cookie',
  'setcookie',
  'token',
  'content',
  'body',
  'answers',
  'applicant',
  'password',
  'secret',
  'signature',
  'email',
  'dateofbirth',
  'birthdate',
]);
const redactedSuffixes = [
  'fullname',
  'phone',
  'phonenumber',
  'address',
  'citizenid',
  'cccd',
  'idnumber',
  'token',
  'secret',
  'secretaccesskey',
  'password',
  'email',
];

const normalized = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Whether a key's value is redacted; `name` only where it names a person (beside `sub`, as callers and claims do). */
export function isRedactedKey(key: string, holder?: unknown): boolean {
  const name = normalized(key);
  if (redactedNames.has(name) || redactedSuffixes.some((suffix) => name.endsWith(suffix))) return true;
  return name === 'name' && typeof holder === 'object' && holder !== null && 'sub' in holder;
}

// A 12-digit run not inside a longer number, an ARN (whose account ids are 12 digits between colons) or a UUID (whose
// last group is all digits about once in 280 request ids): a citizen ID that reached a message or an error text.
const citizenIdPattern =
  /(?<![\d:]|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-)\d{12}(?![\d:])/g;

/** The JSON replacer every entry is serialized through: it sees every key at every depth, arrays included. */
export function redactingReplacer(this: unknown, key: string, value: unknown): unknown {
  if (key !== '' && isRedactedKey(key, this)) return REDACTED;
  if (typeof value === 'string') return value.replace(citizenIdPattern, REDACTED);
  return value;
}

/** Redacts a value as a log line would show it (tests and callers that print elsewhere). */
export function redact(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, redactingReplacer) ?? 'null');
}

/** The line shape the platform has always written (`level`, `time`, `message`, keys), so log queries keep working. */
class MotcuaLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const lambda = attributes.lambdaContext;
    return new LogItem({
      attributes: {
        level: attributes.logLevel.toLowerCase(),
        time: this.formatTimestamp(attributes.timestamp),
        message: attributes.message,
        service: attributes.serviceName,
        ...(lambda
          ? {
              function_name: lambda.functionName,
              cold_start: lambda.coldStart,
              requestId: lambda.awsRequestId,
            }
          : {}),
        ...(attributes.xRayTraceId ? { xray_trace_id: attributes.xRayTraceId } : {}),
      },
    }).addAttributes(additional);
  }
}

/** Every level on stdout as one line: Lambda sends both streams to the log group, local tools read stdout. */
class MotcuaPowertoolsLogger extends PowertoolsLogger {
  protected override createLogger(options?: ConstructorParameters<typeof PowertoolsLogger>[0]) {
    return new MotcuaPowertoolsLogger(options);
  }
  protected override printLog(_level: number, log: LogItem): void {
    log.prepareForPrint();
    // Redaction first, then Powertools' own rules (errors with their stack, bigints, cycles); both need the holder.
    const powertools = this.getJsonReplacer() as (this: unknown, key: string, value: unknown) => unknown;
    const replacer = function (this: unknown, key: string, value: unknown) {
      return powertools.call(this, key, redactingReplacer.call(this, key, value));
    };
    process.stdout.write(`${JSON.stringify(log.getAttributes(), replacer)}\n`);
  }
}

type LevelName = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
const levels: readonly LevelName[] = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'];

/** LOG_LEVEL (debug, info, warn, error, silent; any case); anything else is info. */
export function logLevelFromEnv(raw = process.env.LOG_LEVEL): LevelName {
  const upper = (raw ?? '').toUpperCase();
  return (levels as readonly string[]).includes(upper) ? (upper as LevelName) : 'INFO';
}

function wrap(inner: PowertoolsLogger): FunctionLogger {
  // LOG_LEVEL is followed as it changes (tests raise and lower it around one request): one string compare a line.
  let applied = process.env.LOG_LEVEL;
  const follow = () => {
    if (process.env.LOG_LEVEL !== applied) {
      applied = process.env.LOG_LEVEL;
      inner.setLogLevel(logLevelFromEnv(applied));
    }
  };
  return {
    debug: (message, keys) => {
      follow();
      inner.debug(message, keys ?? {});
    },
    info: (message, keys) => {
      follow();
      inner.info(message, keys ?? {});
    },
    warn: (message, keys) => {
      follow();
      inner.warn(message, keys ?? {});
    },
    error: (message, keys) => {
      follow();
      inner.error(message, keys ?? {});
    },
    child: (keys) => {
      follow();
      return wrap(inner.createChild({ persistentKeys: withoutReserved(keys) }));
    },
    addContext: (context) => inner.addContext(context),
  };
}

// Powertools owns these keys; a caller's `service` names the logger's service instead of being dropped.
const reserved = new Set(['level', 'message', 'sampling_rate', 'service', 'timestamp']);
function withoutReserved(keys: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(keys).filter(([key]) => !reserved.has(key)));
}

/** A logger with keys on every line; `service` (default `motcua`) is the Powertools service name. */
export function createLogger(base: Record<string, unknown> = {}): FunctionLogger {
  const inner = new MotcuaPowertoolsLogger({
    serviceName: typeof base.service === 'string' ? base.service : 'motcua',
    logLevel: logLevelFromEnv(),
    logFormatter: new MotcuaLogFormatter(),
    persistentKeys: withoutReserved(base) as LogAttributes,
  });
  return wrap(inner);
}

// Pure: constructing a logger writes nothing, so a bundle that never imports this one does not build it at cold start
// (every function logs through its own runtime's logger).
export const logger = /* @__PURE__ */ createLogger({ service: 'motcua' });
