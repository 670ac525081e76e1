// `npm run bench:crash [rounds]`: kill -9 of the whole embedded stack during filings, then read every 201 back.
import { crashRounds } from './crash';

const rounds = Number(process.argv[2] ?? 20);
const report = await crashRounds({
  rounds,
  onRound: (round, acknowledged, lost) =>
    console.log(
      `round ${String(round).padStart(2)}: ${acknowledged} filings answered 201, ${lost} lost before`,
    ),
});
console.log(
  `kills ${report.kills} · acknowledged filings ${report.acknowledged} · lost ${report.lost.length} · codes re-issued ${report.reissued.length}`,
);
process.exit(report.lost.length || report.reissued.length ? 1 : 0);
