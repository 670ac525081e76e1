import { AppError } from './app-error';
import type { CodeOf } from './registry';

export class ConflictError extends AppError {
  override readonly name = 'ConflictError';
  constructor(message: string, code: CodeOf<409> = 'CONFLICT', details?: unknown) {
    super(code, message, 409, details);
  }
}
