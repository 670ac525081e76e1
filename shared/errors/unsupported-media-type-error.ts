import { AppError } from './app-error';

export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string, code = 'UNSUPPORTED_MEDIA_TYPE', details?: unknown) {
    super(code, message, 415, details);
  }
}
