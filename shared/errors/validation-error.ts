import { AppError } from './app-error';

export class ValidationError extends AppError {
  constructor(message: string, code = 'VALIDATION_FAILED', details?: unknown) {
    super(code, message, 400, details);
  }
}
