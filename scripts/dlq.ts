// `npm run dlq`: lists what the local consumers dead-lettered (`<data dir>/dead-letters/<consumer>.jsonl`), oldest
// first; `npm run dlq -- --json` prints the letters themselves, records included, one per line.
import { deadLetterDir, readDeadLetters } from '../local/dead-letters';

const dataDir = process.env.MOTCUA_DATA_DIR ?? '.local/data';
const dir = deadLetterDir(dataDir);
const byConsumer = await readDeadLetters(dir);
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
if (!json) console.log(total ? `${total} in ${dir}` : `no dead letters in ${dir}`);
