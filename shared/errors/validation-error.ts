import { AppError } from './app-error';
import type { CodeOf } from './registry';

export class ValidationError extends AppError {
  override readonly name = 'ValidationError';
  constructor(message: string, code: CodeOf<400> = 'VALIDATION_FAILED', details?: unknown) {
    super(code, message, 400, details);
  }
}
