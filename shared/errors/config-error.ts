import { AppError } from './app-error';
import type { CodeOf } from './registry';

export class ConfigError extends AppError {
  override readonly name = 'ConfigError';
  constructor(message: string, code: CodeOf<500> = 'CONFIG_MISSING', details?: unknown) {
    super(code, message, 500, details);
  }
}
