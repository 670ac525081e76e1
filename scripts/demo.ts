// `npm run demo [-- <procedure code>] [--citizen citizen.binh] [--return download|post|counter]`: one fee-bearing
// dossier's whole life on the running embedded stack (`npm start`), through the public API only: the citizen files it
// online, the Ba Đình officer receives it, the citizen pays on the VNPay sandbox's checkout page, the agencies of its
// route decide through signed calls, the result is returned and rated. Prints every step with its time and the
// dossier's status, then the notifications it produced (the local outbox) and its public tracking page.
// Default: permanent residence registration (1.004222), whose ministry-set charge Resolution 77 does not zero online.
import { parseArgs } from 'node:util';
import { agencyDesk } from './lifecycle/agencies';
import { catalogueReader, type DossierView, liveDossier, type ReturnMethod } from './lifecycle/dossier';
import { localIssuerTokens, motcuaApi } from './lifecycle/http';

const base = process.env.MOTCUA_URL ?? `http://localhost:${process.env.MOTCUA_PORT ?? 3000}`;
const outbox = process.env.MOTCUA_OUTBOX_URL ?? `http://127.0.0.1:${process.env.MOTCUA_OUTBOX_PORT ?? 8086}`;
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    citizen: { type: 'string', default: 'citizen.an' },
    return: { type: 'string', default: 'download' },
  },
});
const procedureCode = positionals[0] ?? '1.004222';
const returnBy = values.return as ReturnMethod;

const started = performance.now();
const seconds = () => `${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s`;
let step = 0;

interface OutboxMessage {
  at: string;
  channel: 'email' | 'sms';
  to: string;
  kind?: string;
  subject?: string;
  text: string;
  dossierCode?: string;
}

/** The dossier's messages in the local outbox, once no new one arrived for two seconds (at most 20 s). */
async function notificationsOf(code: string): Promise<OutboxMessage[]> {
  let last: OutboxMessage[] = [];
  let stableSince = Date.now();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { messages } = (await (await fetch(`${outbox}/outbox.json`)).json()) as {
      messages: OutboxMessage[];
    };
    const mine = messages.filter((m) => m.dossierCode === code);
    if (mine.length !== last.length) stableSince = Date.now();
    last = mine;
    if (Date.now() - stableSince > 2_000) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return last;
}

async function main() {
  if (!['download', 'post', 'counter'].includes(returnBy))
    throw new Error(`--return is download, post or counter, not ${returnBy}`);
  const health = await fetch(`${base}/v1/health`).catch(() => undefined);
  if (!health)
    throw new Error(
      `the embedded stack is not reachable on ${base}: start it with \`npm start\` in another terminal`,
    );

  const api = motcuaApi(base, localIssuerTokens(base));
  const procedure = catalogueReader(api);
  const { name, route } = await procedure(procedureCode);
  console.log(`${procedureCode} ${name.vi}`);
  console.log(`route: ${route.map((stage) => stage.steps.map((s) => s.agency).join(' + ')).join(' → ')}\n`);

  const life = await liveDossier(
    {
      procedureCode,
      channel: 'online',
      citizen: values.citizen,
      officer: 'officer.badinh',
      returnBy,
      rating: { score: 5, comment: 'Nhanh, gọn' },
    },
    { api, agencies: agencyDesk(base, api.counts, { pollMs: 200 }), procedure, observe: true },
    ({ actor, what, status }) =>
      console.log(
        `${String(++step).padStart(2)}. ${seconds()}  ${actor.padEnd(15)} ${what}${status ? `  → ${status}` : ''}`,
      ),
  );
  if (life.paidVnd === 0)
    console.log(`\n(${procedureCode} owes nothing when filed online: no payment step. 1.004222 does.)`);

  const view = await api.get<DossierView>(`/v1/dossiers/${life.code}`, { as: 'officer.badinh' });
  const history = view.history ?? [];
  console.log(`\nHistory of ${life.code} (${history.length} entries, seq 1…${history.at(-1)?.seq}):`);
  console.log(`  ${history.map((h) => `${h.seq} ${h.action}→${h.to}`).join(' · ')}`);
  console.log(`Forms: ${view.forms.map((f) => f.form).join(', ')}`);
  if (view.receipts?.length)
    console.log(`E-receipts: ${view.receipts.map((r) => `${r.series} ${r.number}`).join(', ')}`);

  const messages = await notificationsOf(life.code);
  console.log(`\nNotifications it produced (${outbox}/outbox, ${messages.length}):`);
  for (const m of messages)
    console.log(
      `  ${m.at.slice(11, 19)}  ${m.channel.padEnd(5)} ${(m.kind ?? '').padEnd(16)} ${m.to.padEnd(22)} ${(m.subject ?? m.text).replace(/\s+/g, ' ').slice(0, 80)}`,
    );

  // The URL the QR code of form 01 holds: the public tracking page (HTML in a browser, JSON otherwise).
  const tracking = `${base}/v1/tracking/${life.code}?key=${life.lookupKey}`;
  const page = await fetch(tracking, { headers: { accept: 'text/html' } });
  const title = /<title>([^<]*)<\/title>/.exec(await page.text())?.[1] ?? '';
  console.log(`\nTracking page (the QR code on the forms): ${tracking}`);
  console.log(`  ${page.status} ${title}  ·  English: ${tracking}&lang=en`);
  const c = api.counts;
  console.log(
    `\n${life.status} in ${seconds().trim()}: ${c.steps} API calls doing steps, ${c.polls} waiting, ${c.s3} S3 transfers, ${c.provider} on the provider's page`,
  );
}

main().catch((error) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
