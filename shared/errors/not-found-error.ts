import { AppError } from './app-error';
import type { CodeOf } from './registry';

export class NotFoundError extends AppError {
  override readonly name = 'NotFoundError';
  constructor(message: string, code: CodeOf<404> = 'NOT_FOUND', details?: unknown) {
    super(code, message, 404, details);
  }
}
