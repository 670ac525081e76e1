// `npm start`: runs the whole platform on the embedded stack and tells a newcomer how to try every role.
import { demoAccounts, demoPartners } from './demo';
import { StartupError } from './emulators';
import { prebuildFunctions } from './function-pool';
import { LOCAL_SUPERVISORS_EMAIL, startStack } from './stack';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ports = {
  gateway: port('MOTCUA_PORT', 3000),
  dynamodb: port('MOTCUA_DYNAMODB_PORT', 8000),
  s3: port('MOTCUA_S3_PORT', 4569),
  workflow: port('MOTCUA_WORKFLOW_PORT', 8083),
  inbox: port('MOTCUA_INBOX_PORT', 8084),
  payments: port('MOTCUA_PAYMENTS_PORT', 8085),
  outbox: port('MOTCUA_OUTBOX_PORT', 8086),
};
process.env.LOG_LEVEL ??= 'warn';
const dataDir = process.env.MOTCUA_DATA_DIR ?? '.local/data';

async function main() {
  // The bundles build in one esbuild run as the stack starts (a fresh clone has none; later starts reuse them).
  const [, stack] = await Promise.all([prebuildFunctions(), startStack({ dataDir, ports })]);
  const base = stack.urls.gateway.replace('127.0.0.1', 'localhost');
  const lines = [
    '',
    'motcua is running on the embedded stack',
    `  API           ${base}   (OpenAPI ${base}/openapi.json, reference ${base}/docs)`,
    `  Dashboard     ${base}/dashboard/   (supervisors: the service index, trends, overdue radar; sign in as supervisor)`,
    `  DynamoDB      ${stack.urls.dynamodb}   (data in ${dataDir}, kept across restarts)`,
    `  S3 emulator   ${stack.urls.s3}`,
    `  Workflows     ${stack.urls.workflow}   (Step Functions API; time scale ${stack.workflow.timeScale}, WORKFLOW_TIME_SCALE)`,
    `  Agency inbox  ${stack.urls.inbox}/inbox   (signed webhooks the agencies receive for their tasks)`,
    `  Payments      ${stack.urls.payments}   (VNPay sandbox: checkout pages, signed IPN, querydr and refund; no money moves)`,
    `  Outbox        ${stack.urls.outbox}/outbox   (emails and SMS the applicants would have received, and the supervisors' overdue alerts to ${LOCAL_SUPERVISORS_EMAIL}; SES v2 and SNS APIs)`,
    `  Catalogue     ${stack.seeded?.procedures} procedures (${plural(stack.seeded?.published ?? 0, 'version')} published now), ${stack.seeded?.agencies} agencies, ${stack.seeded?.branches} branches`,
    '',
    'Try it:',
    `  curl '${base}/v1/procedures?q=khai%20sinh'`,
    `  curl ${base}/v1/health`,
    '',
    `Demo accounts (token: curl -s -XPOST ${base}/local-idp/token -d '{"username":"citizen.an"}', or npm run tokens):`,
    ...demoAccounts.map(
      (a) =>
        `  ${a.username.padEnd(18)} ${a.groups.join(',').padEnd(11)} ${a.name}${a.branch ? `  branch ${a.branch}` : ''}`,
    ),
    '',
    'Partner agencies (AWS SigV4, service execute-api, region ap-southeast-1):',
    ...demoPartners.map((p) => `  ${p.agency}  ${p.accessKeyId} / ${p.secretAccessKey}  ${p.name}`),
    '',
    'Ctrl-C stops everything.',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  if (error instanceof StartupError) console.error(`motcua: ${error.message}`);
  else if (code === 'EADDRINUSE') {
    console.error(
      `motcua: port ${ports.gateway} (API gateway) is busy. Stop what uses it or set MOTCUA_PORT.`,
    );
  } else console.error(`motcua: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
