import { AppError } from './app-error';
import type { CodeOf } from './registry';

export class ForbiddenError extends AppError {
  override readonly name = 'ForbiddenError';
  constructor(message: string, code: CodeOf<403> = 'FORBIDDEN', details?: unknown) {
    super(code, message, 403, details);
  }
}
