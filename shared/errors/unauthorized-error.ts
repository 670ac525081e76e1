import { AppError } from './app-error';
import type { CodeOf } from './registry';

export class UnauthorizedError extends AppError {
  override readonly name = 'UnauthorizedError';
  constructor(message: string, code: CodeOf<401> = 'UNAUTHENTICATED', details?: unknown) {
    super(code, message, 401, details);
  }
}
