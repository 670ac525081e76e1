// `npm run stats:rebuild [-- --write]`: folds every stored domain event into the statistics again and compares with the
// live counters, row by row (exit 1 on a difference); `--write` then sets the counters to the rebuilt values. The table
// and endpoint come from the variables the handlers read (TABLE_DOSSIERS, AWS_ENDPOINT_URL_DYNAMODB); without them,
// the `npm start` stack's.
import { tables } from '../shared/data/resources';

const local = !process.env.AWS_ENDPOINT_URL_DYNAMODB && !process.env[tables.dossiers.envVar];
if (local) {
  process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${process.env.MOTCUA_DYNAMODB_PORT ?? 8000}`;
  process.env[tables.dossiers.envVar] = 'motcua-local-dossiers';
}
if (process.env.AWS_ENDPOINT_URL_DYNAMODB) {
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
}
process.env.AWS_REGION ??= 'ap-southeast-1';

const { dynamoDocumentClient } = await import('../shared/adapters/aws');
const { dynamoStatistics } = await import('../shared/adapters/dynamo/statistics');
const { storedEvents } = await import('./stored-events');
const { rebuildStatistics } = await import('../shared/usecases/stats/record-statistics');

const write = process.argv.includes('--write');
const table = process.env[tables.dossiers.envVar]!;
const started = performance.now();
try {
  const client = dynamoDocumentClient();
  const result = await rebuildStatistics(
    { events: () => storedEvents(client, table), stats: dynamoStatistics(client, table) },
    { write },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(
    `statistics of ${table}: ${result.events} events of ${result.dossiers} dossiers fold into ${result.rows} counter rows (${seconds} s)`,
  );
  if (result.differences.length === 0) {
    console.log('the live counters are the rebuilt ones: no difference');
  } else {
    for (const d of result.differences.slice(0, 20)) {
      console.log(`  ${d.row} ${d.counter}: stored ${d.stored}, rebuilt ${d.rebuilt}`);
    }
    console.log(
      `${result.differences.length} differences${result.written ? '; counters set to the rebuilt values' : ' (run with --write to set the rebuilt values)'}`,
    );
    if (!result.written) process.exitCode = 1;
  }
} catch (error) {
  console.error(`stats:rebuild failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
