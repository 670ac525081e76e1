// `npm run partner:register -- --env <dev|staging|prod> --principal <role ARN> --agency <code> [--table <name>]`:
// registers which agency an IAM principal acts for, in a deployed environment's partner registry (the catalogue
// table's `PARTNER#<ARN>` items). The principal's account must be one of the environment's partner accounts (the
// API's resource policy admits no other); the agency must be in the catalogue. Uses the caller's AWS credentials;
// the table name is the stateful stack's catalogue table (`--table`, or TABLE_CATALOGUE).
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadEnvironment } from '../infra/config/environments';
import { dynamoCatalogueRepository } from '../shared/adapters/dynamo/catalogue-repository';
import { dynamoPartnerRegistry } from '../shared/adapters/dynamo/partner-registry';

const { values } = parseArgs({
  options: {
    env: { type: 'string' },
    principal: { type: 'string' },
    agency: { type: 'string' },
    table: { type: 'string' },
  },
});
function fail(message: string): never {
  console.error(`partner:register: ${message}`);
  process.exit(2);
}
if (!values.env || !values.principal || !values.agency) {
  fail('usage: --env <dev|staging|prod> --principal <role ARN> --agency <agency code> [--table <name>]');
}
const config = loadEnvironment(values.env);
const arn = /^arn:aws:iam::(\d{12}):(role|user)\/[\w+=,.@/-]+$/.exec(values.principal);
if (!arn) fail(`${values.principal} is not an IAM role or user ARN`);
if (!config.partnerAccounts.includes(arn[1]!)) {
  fail(
    `account ${arn[1]} is not a partner account of ${config.name} (infra/config/environments.ts partnerAccounts)`,
  );
}
const table = values.table ?? process.env.TABLE_CATALOGUE;
if (!table) fail('name the catalogue table with --table or TABLE_CATALOGUE');

const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: config.region }));
// Reads only (no idempotency record is written here).
const catalogue = dynamoCatalogueRepository(client, table, '');
if (!(await catalogue.agency(values.agency))) fail(`no agency ${values.agency} in the catalogue`);
const registry = dynamoPartnerRegistry(client, table);
await registry.register({
  principalArn: values.principal,
  agency: values.agency,
  registeredAt: new Date().toISOString(),
});
console.log(
  `${values.principal} now acts for ${values.agency} in ${config.name} (within a minute for warm functions)`,
);
