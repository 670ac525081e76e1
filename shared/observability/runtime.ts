// What every function wrapper shares (httpRoute, onEvents): one logger and one metrics buffer per function instance,
// the invocation's context on every line, and one rule for telling a refusal from a fault.
import type { Context } from 'aws-lambda';
import { AppError } from '../errors';
import { createLogger, type FunctionLogger, type Logger } from '../logging';
import { createFunctionMetrics, type FunctionMetrics } from './metrics';
import { mapStacksLazily } from './source-mapped-stacks';

export interface Invocation {
  log: Logger;
  metrics: FunctionMetrics;
}

export interface FunctionRuntime {
  /** The instance's logger (cold-start messages, configuration failures). */
  log: FunctionLogger;
  /** Starts an invocation: its lines carry the Lambda context; its metrics are flushed by `end`. */
  begin(context: Context | undefined, keys?: Record<string, unknown>): Invocation;
  /** Flushes the invocation's metrics; safe to call twice. */
  end(invocation: Invocation): void;
}

/**
 * `id` is the route or consumer id; the metrics' `service` is the function's name (Lambda's, or the local gateway's
 * `motcua-local-<id>`), read from the first invocation's context, else AWS_LAMBDA_FUNCTION_NAME, else the id.
 */
export function functionRuntime(id: string, keys: Record<string, unknown>): FunctionRuntime {
  // In a bundle, traces name the sources when they are read, not by a map parse at each cold start.
  mapStacksLazily(typeof __filename === 'string' ? __filename : undefined);
  const log = createLogger({ service: 'motcua', ...keys });
  let metrics: FunctionMetrics | undefined;
  return {
    log,
    begin(context, invocationKeys = {}) {
      if (context) log.addContext(context);
      metrics ??= createFunctionMetrics(
        context?.functionName || process.env.AWS_LAMBDA_FUNCTION_NAME || id,
        log,
      );
      const requestId = context?.awsRequestId;
      return { log: log.child({ ...(requestId ? { requestId } : {}), ...invocationKeys }), metrics };
    },
    end(invocation) {
      invocation.metrics.flush();
    },
  };
}

/** A refusal is an AppError below 500: shown to the caller with its code. Anything else is a fault. */
export function refusalOf(error: unknown): AppError | undefined {
  return error instanceof AppError && error.status < 500 ? error : undefined;
}
