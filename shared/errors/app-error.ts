// Base of every error the API shows: a stable machine code, an HTTP status, optional details for the caller.
import type { ErrorCode } from './registry';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    // Each subclass names itself in a literal: a bundle's minifier renames classes, and logs would show `Jn`.
    this.name = 'AppError';
  }
}
