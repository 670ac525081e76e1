import { AppError } from './app-error';

export class ConfigError extends AppError {
  constructor(message: string, code = 'CONFIG_MISSING', details?: unknown) {
    super(code, message, 500, details);
  }
}
