// Shapes every route shares: the error body, pagination, health.
import * as z from 'zod';

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z
        .string()
        .describe(
          'Stable machine-readable code, e.g. VALIDATION_FAILED; every code is listed in `x-error-codes`',
        ),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

export const cursorSchema = z
  .string()
  .max(512)
  .regex(/^[A-Za-z0-9_-]+$/, 'an opaque cursor from a previous page')
  .describe('Opaque cursor from the previous page (`nextCursor`)');

export const limitSchema = z.coerce.number().int().min(1).max(100).default(20);

export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().optional().describe('Present when more items follow'),
    })
    .meta({ id });
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
        error: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'Health' });
export type Health = z.infer<typeof healthSchema>;
