// `npm run tokens`: prints a bearer token per demo account from the running stack's issuer (same key on disk).
import { demoAccounts } from './demo';
import { createIssuer } from './issuer';

const base = process.env.MOTCUA_URL ?? `http://localhost:${process.env.MOTCUA_PORT ?? 3000}`;
const issuer = await createIssuer(`${base}/local-idp`, '.local/data/issuer-key.json');
for (const account of demoAccounts) {
  console.log(`# ${account.username} (${account.groups.join(',')})`);
  console.log(
    `export TOKEN_${account.username.replace(/\W/g, '_').toUpperCase()}=${await issuer.mint(account)}`,
  );
}
