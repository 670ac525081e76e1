// `node --import tsx infra/build-function.ts <entry>`: builds one function bundle into the cache, for
// `functionBundleSync`, whose synchronous callers cannot run esbuild's plugins in their own process.
import { rebuildFunction } from './function-bundles';

await rebuildFunction(process.argv[2]!);
