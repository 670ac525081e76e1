import { AppError } from './app-error';

export class ForbiddenError extends AppError {
  constructor(message: string, code = 'FORBIDDEN', details?: unknown) {
    super(code, message, 403, details);
  }
}
