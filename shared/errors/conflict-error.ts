import { AppError } from './app-error';
import type { CodeOf } from './registry';

export class ConflictError extends AppError {
  constructor(message: string, code: CodeOf<409> = 'CONFLICT', details?: unknown) {
    super(code, message, 409, details);
  }
}
