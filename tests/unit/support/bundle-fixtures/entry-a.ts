// A fixture handler for tests/unit/function-bundles.test.ts.
import { greeting } from './shared-part';

export const handler = async () => ({ a: greeting('a') });
