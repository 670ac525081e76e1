// `npm run audit:verify`: recomputes the audit log's hash chain and names the first entry altered or missing (exit 1),
// else prints how many entries link correctly and how long it took. The table and endpoint come from the same
// variables the handlers read (TABLE_AUDIT, AWS_ENDPOINT_URL_DYNAMODB); without them, the `npm start` stack's.
import { tables } from '../shared/data/resources';

const local = !process.env.AWS_ENDPOINT_URL_DYNAMODB && !process.env[tables.audit.envVar];
if (local) {
  process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${process.env.MOTCUA_DYNAMODB_PORT ?? 8000}`;
  process.env[tables.audit.envVar] = 'motcua-local-audit';
}
if (process.env.AWS_ENDPOINT_URL_DYNAMODB) {
  // DynamoDB Local accepts any key; set one so the SDK does not look for real credentials.
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
}
process.env.AWS_REGION ??= 'ap-southeast-1';

// Imported once the environment is set: the client reads the endpoint when it is created.
const { dynamoDocumentClient } = await import('../shared/adapters/aws');
const { dynamoAuditLog } = await import('../shared/adapters/dynamo/audit-log');
const { verifyAuditLog } = await import('../shared/usecases/audit/verify-audit-log');

const started = performance.now();
try {
  const audit = dynamoAuditLog(dynamoDocumentClient(), process.env[tables.audit.envVar]!);
  const result = await verifyAuditLog({ audit });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const table = process.env[tables.audit.envVar];
  if (result.ok) {
    console.log(`audit log ${table}: ${result.count} entries, chain intact (verified in ${seconds} s)`);
  } else {
    console.error(`audit log ${table}: ${result.problem.message}`);
    console.error(`  ${result.count} entries before it link correctly (checked in ${seconds} s)`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(
    `audit:verify could not read the log: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 2;
}
