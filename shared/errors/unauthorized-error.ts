import { AppError } from './app-error';

export class UnauthorizedError extends AppError {
  constructor(message: string, code = 'UNAUTHENTICATED', details?: unknown) {
    super(code, message, 401, details);
  }
}
