import { AppError } from './app-error';

export class NotFoundError extends AppError {
  constructor(message: string, code = 'NOT_FOUND', details?: unknown) {
    super(code, message, 404, details);
  }
}
