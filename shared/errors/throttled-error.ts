import { AppError } from './app-error';

export class ThrottledError extends AppError {
  constructor(retryAfterSeconds: number) {
    super('THROTTLED', 'Too many requests; slow down', 429, undefined, {
      'retry-after': String(retryAfterSeconds),
    });
  }
}
