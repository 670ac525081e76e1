// `npm run dlq`: lists what the local consumers dead-lettered (`<data dir>/dead-letters/<consumer>.jsonl`) and the
// agency webhooks given up on (`<data dir>/dead-letters/agency-webhooks.jsonl`, with the agency and the webhook id),
// oldest first; `npm run dlq -- --json` prints the letters themselves, records and messages included, one per line.
import {
  AGENCY_WEBHOOK_DEAD_LETTERS,
  deadLetterDir,
  readDeadLetters,
  readUndeliveredNotices,
} from '../local/dead-letters';

const dataDir = process.env.MOTCUA_DATA_DIR ?? '.local/data';
const dir = deadLetterDir(dataDir);
const byConsumer = await readDeadLetters(dir);
const webhooks = await readUndeliveredNotices(dir);
const json = process.argv.includes('--json');
let total = 0;
for (const [consumer, letters] of byConsumer) {
  total += letters.length;
  if (json) {
    for (const letter of letters) console.log(JSON.stringify(letter));
    continue;
  }
  console.log(`${consumer}: ${letters.length} dead-lettered`);
  for (const letter of letters) {
    const event = letter.event
      ? `${letter.event.name ?? '?'} ${letter.event.dossierCode ?? ''} ${letter.event.id ?? ''}`
      : 'not an event';
    console.log(
      `  ${letter.at}  seq ${letter.sequenceNumber}  ${event.trim()}  after ${letter.attempts} attempts (${letter.reason}${letter.error ? `: ${letter.error}` : ''})`,
    );
  }
}
if (webhooks.length) {
  total += webhooks.length;
  if (json) {
    for (const letter of webhooks) console.log(JSON.stringify(letter));
  } else {
    console.log(`${AGENCY_WEBHOOK_DEAD_LETTERS}: ${webhooks.length} undelivered`);
    for (const letter of webhooks) {
      const last = letter.deliveries.at(-1)?.error;
      const why = letter.refused ?? last ?? letter.reason;
      console.log(
        `  ${letter.at}  agency ${letter.agency}  ${letter.message.type} ${letter.message.data.dossierCode}  webhook ${letter.message.id}  from ${letter.source}  after ${letter.attempts} attempts (${letter.reason}: ${why})`,
      );
    }
  }
}
if (!json) console.log(total ? `${total} in ${dir}` : `no dead letters in ${dir}`);
