// GET /v1/health: each dependency answers or is reported down; never throws.
import type { Health } from '../../schemas/common';

export interface DependencyCheck {
  name: string;
  check: () => Promise<void>;
}

export async function checkHealth(
  checks: DependencyCheck[],
  version: string,
  now = () => performance.now(),
): Promise<Health> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      const started = now();
      try {
        await check();
        return { name, status: 'ok' as const, latencyMs: Math.round(now() - started) };
      } catch (error) {
        const message = error instanceof Error ? error.name : 'unknown';
        return { name, status: 'down' as const, latencyMs: Math.round(now() - started), error: message };
      }
    }),
  );
  return {
    status: results.every((result) => result.status === 'ok') ? ('ok' as const) : ('degraded' as const),
    version,
    checks: results,
  };
}
