// Shapes every route shares: the error body, pagination, health.
import * as z from './zod';

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z
        .string()
        .check(
          z.describe(
            'Stable machine-readable code, e.g. VALIDATION_FAILED; every code is listed in `x-error-codes`',
          ),
        ),
      message: z.string(),
      details: z.optional(z.unknown()),
    }),
  })
  .check(z.meta({ id: 'Error' }));

export const cursorSchema = z
  .string()
  .check(
    z.maxLength(512),
    z.regex(/^[A-Za-z0-9_-]+$/, 'an opaque cursor from a previous page'),
    z.describe('Opaque cursor from the previous page (`nextCursor`)'),
  );

export const limitSchema = z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20);

/**
 * A schema built on its first use, for the response schemas: only the OpenAPI document and the contract tests read
 * them, so the functions that answer with them do not build them at their cold start (the route table takes the
 * function as the response's schema). Named `…Schema` so the bundles' schema shaking leaves an unused one out.
 */
export function lazySchema<T extends z.ZodMiniType>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}

export function pageSchema<T extends z.ZodMiniType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.optional(z.string()).check(z.describe('Present when more items follow')),
    })
    .check(z.meta({ id }));
}

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    checks: z.array(
      z.object({
        name: z.string(),
        status: z.enum(['ok', 'down']),
        latencyMs: z.number(),
        error: z.optional(z.string()),
      }),
    ),
  })
  .check(z.meta({ id: 'Health' }));
export type Health = z.infer<typeof healthSchema>;
