import { AppError } from './app-error';

export class IdempotencyKeyReusedError extends AppError {
  constructor(message: string, code = 'IDEMPOTENCY_KEY_REUSED', details?: unknown) {
    super(code, message, 422, details);
  }
}
