import { AppError } from './app-error';

export class MethodNotAllowedError extends AppError {
  constructor(allowed: string[]) {
    super('METHOD_NOT_ALLOWED', `Allowed methods: ${allowed.join(', ')}`, 405, undefined, {
      allow: allowed.join(', '),
    });
  }
}
