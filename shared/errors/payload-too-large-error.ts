import { AppError } from './app-error';
import type { CodeOf } from './registry';

export class PayloadTooLargeError extends AppError {
  override readonly name = 'PayloadTooLargeError';
  constructor(message: string, code: CodeOf<413> = 'PAYLOAD_TOO_LARGE', details?: unknown) {
    super(code, message, 413, details);
  }
}
