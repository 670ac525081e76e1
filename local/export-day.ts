// `npm run export:day [-- --day YYYY-MM-DD]`: runs the data-sharing export's handler (functions/sharing/export-day.ts)
// against the `npm start` stack for one Vietnam-local day (default: yesterday), as the nightly schedule does in the
// cloud, and prints what it wrote. The objects land in the S3 emulator's `motcua-local-exports` bucket.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { localPseudonymSecret } from './pseudonym-secret';
import { handlerEnvironment } from './stack';

const { values } = parseArgs({ options: { day: { type: 'string' } } });
const dataDir = process.env.MOTCUA_DATA_DIR ?? '.local/data';
const urls = {
  dynamodb: `http://127.0.0.1:${process.env.MOTCUA_DYNAMODB_PORT ?? 8000}`,
  s3: `http://127.0.0.1:${process.env.MOTCUA_S3_PORT ?? 4569}`,
};
const { pseudonymSecret } = await import('../shared/data/sharing');
Object.assign(
  process.env,
  handlerEnvironment(urls, 'motcua-local', {
    [pseudonymSecret.envVar]: localPseudonymSecret(join(dataDir, 'secrets')),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  }),
);

try {
  const { handler } = await import('../functions/sharing/export-day');
  const report = await handler(values.day ? { day: values.day } : {});
  for (const part of report.parts) console.log(`  ${part.rows} rows  s3://motcua-local-exports/${part.key}`);
  console.log(`exported ${report.rows} dossiers received on ${report.day} (${report.parts.length} branches)`);
} catch (error) {
  console.error(`export:day failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
