// In-memory UndeliveredNotices (the letters it kept, or a keeper that always fails), and a logger and metrics that
// record what a reporting sender said and counted.
import type { Logger } from '../../../shared/logging';
import type { OperationalMetric } from '../../../shared/observability/metrics';
import type { UndeliveredNotice, UndeliveredNotices } from '../../../shared/ports/undelivered-notices';

export function memoryUndeliveredNotices(
  options: { failing?: boolean } = {},
): UndeliveredNotices & { letters: UndeliveredNotice[] } {
  const letters: UndeliveredNotice[] = [];
  return {
    letters,
    async keep(letter) {
      if (options.failing) throw new Error('queue unreachable');
      letters.push(structuredClone(letter));
    },
  };
}

export function recordingReport() {
  const lines: { level: string; message: string; keys?: Record<string, unknown> }[] = [];
  const counted: OperationalMetric[] = [];
  const log: Logger = {
    debug: (message, keys) => void lines.push({ level: 'debug', message, ...(keys ? { keys } : {}) }),
    info: (message, keys) => void lines.push({ level: 'info', message, ...(keys ? { keys } : {}) }),
    warn: (message, keys) => void lines.push({ level: 'warn', message, ...(keys ? { keys } : {}) }),
    error: (message, keys) => void lines.push({ level: 'error', message, ...(keys ? { keys } : {}) }),
    child: () => log,
  };
  const metrics = { countOperational: (metric: OperationalMetric) => void counted.push(metric) };
  return { log, metrics, lines, counted };
}
