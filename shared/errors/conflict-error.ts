import { AppError } from './app-error';
import type { CodeOf } from './registry';

export class ConflictError extends AppError {
  override readonly name = 'ConflictError';
  constructor(message: string, code: CodeOf<409> = 'CONFLICT', details?: unknown) {
    super(code, message, 409, details);
  }
}

/** A write that lost the race for the version it read: planning it again on what is stored now may succeed. */
export const isVersionConflict = (error: unknown): boolean =>
  error instanceof ConflictError && error.code === 'VERSION_CONFLICT';
