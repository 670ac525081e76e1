// `npm run partner -- <command>`: a partner agency's first calls, signed with SigV4.
//   npm run partner -- tasks                      the agency's open tasks, soonest due first
//   npm run partner -- task <id>                  one task (applicant, answers, document links, earlier decisions)
//   npm run partner -- approve <id> [note]        approve it
//   npm run partner -- reject <id> <reason>       reject it
//   npm run partner -- supplement <id> <what> <why>   ask the applicant for one more document
// Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN), or on the embedded stack
// MOTCUA_AGENCY=<agency code> for that demo agency's keys. MOTCUA_URL is the API (default http://localhost:3000).

import { type Decision, PartnerApiError, partnerClient } from '../clients/partner/client';
import { demoPartners } from '../local/demo';

function credentials() {
  const agency = process.env.MOTCUA_AGENCY;
  if (agency) {
    const demo = demoPartners.find((p) => p.agency === agency);
    if (!demo)
      throw new Error(`no demo agency ${agency}; one of ${demoPartners.map((p) => p.agency).join(', ')}`);
    return demo;
  }
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = process.env;
  if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) {
    throw new Error('set MOTCUA_AGENCY (embedded stack) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  }
  return {
    accessKeyId: AWS_ACCESS_KEY_ID,
    secretAccessKey: AWS_SECRET_ACCESS_KEY,
    ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}),
  };
}

async function main() {
  const [command, id, ...rest] = process.argv.slice(2);
  const client = partnerClient({
    baseUrl: process.env.MOTCUA_URL ?? 'http://localhost:3000',
    credentials: credentials(),
  });
  const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));
  const decide = (decision: Decision) => client.decide(need(id, 'task id'), decision).then(print);
  switch (command) {
    case 'tasks':
      return print(await client.listTasks({ status: id ?? 'open' }));
    case 'task':
      return print(await client.getTask(need(id, 'task id')));
    case 'approve':
      return decide({ decision: 'approve', ...(rest[0] ? { note: rest.join(' ') } : {}) });
    case 'reject':
      return decide({ decision: 'reject', reason: need(rest.join(' ') || undefined, 'reason') });
    case 'supplement':
      return decide({
        decision: 'request-supplement',
        items: [
          { name: need(rest[0], 'document'), reason: need(rest.slice(1).join(' ') || undefined, 'why') },
        ],
      });
    default:
      console.error(
        'usage: npm run partner -- tasks | task <id> | approve <id> [note] | reject <id> <reason> | supplement <id> <what> <why>',
      );
      process.exitCode = 2;
  }
}

function need(value: string | undefined, what: string): string {
  if (!value) throw new Error(`missing ${what}`);
  return value;
}

main().catch((error) => {
  console.error(error instanceof PartnerApiError ? error.message : String(error));
  process.exitCode = 1;
});
