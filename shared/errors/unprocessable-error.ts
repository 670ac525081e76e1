import { AppError } from './app-error';
import type { CodeOf } from './registry';

/** A well-formed request the current state or rules refuse on its content (422), e.g. a forward the route forbids. */
export class UnprocessableError extends AppError {
  override readonly name = 'UnprocessableError';
  constructor(message: string, code: CodeOf<422>, details?: unknown) {
    super(code, message, 422, details);
  }
}
