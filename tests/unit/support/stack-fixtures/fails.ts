// Bundled by tests/unit/source-mapped-stacks.test.ts as a function is bundled: the traces of its errors name this file.
import { ConflictError } from '../../../../shared/errors';
import { functionRuntime } from '../../../../shared/observability/runtime';

const runtime = functionRuntime('stack-fixture', {});

export function failOnPurpose(): never {
  throw new TypeError('failed on purpose'); // the thrown line
}

/** Logs the error as a function wrapper logs an unexpected one, and answers its stack. */
export const handler = async () => {
  try {
    failOnPurpose();
  } catch (error) {
    runtime.log.error('unexpected error', { error });
    return (error as Error).stack;
  }
};

/** A refusal of the API's own: its name survives the minifier, as logs and answers show it. */
export function refuse(): Error {
  return new ConflictError('refused on purpose');
}
