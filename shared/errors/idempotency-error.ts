import { AppError } from './app-error';
import type { CodeOf } from './registry';

export class IdempotencyKeyReusedError extends AppError {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor(message: string, code: CodeOf<422> = 'IDEMPOTENCY_KEY_REUSED', details?: unknown) {
    super(code, message, 422, details);
  }
}
