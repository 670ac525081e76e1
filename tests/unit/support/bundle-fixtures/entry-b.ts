// A fixture handler for tests/unit/function-bundles.test.ts.
import { greeting, nothingUsed, unused } from './shared-part';

export const handler = async () => ({ b: greeting('b'), other: unused(), nothingUsed });
