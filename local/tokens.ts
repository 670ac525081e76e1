// `npm run -s tokens`: prints export lines with a bearer token per demo account, under the names the README's
// commands use, signed with the running stack's issuer key (on disk) for the stack's port.
import { demoAccounts } from './demo';
import { createIssuer } from './issuer';

/** The shell variable each demo account's token goes into, as the README uses them. */
const variableOf: Record<string, string> = {
  'citizen.an': 'CITIZEN',
  'citizen.binh': 'CITIZEN_BINH',
  'officer.badinh': 'OFFICER',
  'officer.hoankiem': 'OFFICER_HOANKIEM',
  supervisor: 'SUPERVISOR',
  admin: 'ADMIN',
};

const base = process.env.MOTCUA_URL ?? `http://localhost:${process.env.MOTCUA_PORT ?? 3000}`;
const dataDir = process.env.MOTCUA_DATA_DIR ?? '.local/data';
const issuer = await createIssuer(`${base}/local-idp`, `${dataDir}/issuer-key.json`);
console.log(`# tokens for the stack at ${base} (set MOTCUA_PORT or MOTCUA_URL for another), valid 8 hours`);
for (const account of demoAccounts) {
  const name = variableOf[account.username] ?? account.username.replace(/\W/g, '_').toUpperCase();
  console.log(
    `export ${name}=${await issuer.mint(account)}  # ${account.username} (${account.groups.join(',')})`,
  );
}
