import { AppError } from './app-error';

export class PayloadTooLargeError extends AppError {
  constructor(message: string, code = 'PAYLOAD_TOO_LARGE', details?: unknown) {
    super(code, message, 413, details);
  }
}
