import { AppError } from './app-error';
import type { CodeOf } from './registry';

export class UnsupportedMediaTypeError extends AppError {
  override readonly name = 'UnsupportedMediaTypeError';
  constructor(message: string, code: CodeOf<415> = 'UNSUPPORTED_MEDIA_TYPE', details?: unknown) {
    super(code, message, 415, details);
  }
}
