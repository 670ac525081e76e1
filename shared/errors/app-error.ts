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
    this.name = new.target.name;
  }
}
