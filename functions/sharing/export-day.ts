// Schedule (00:30 Vietnam time): the previous Vietnam-local day's de-identified dossier facts to the exports bucket;
// an operator's `{ "day": "YYYY-MM-DD" }` (or `npm run export:day -- --day …` locally) exports that day again.
import { exportDayDeps } from '../../shared/adapters/sharing-deps';
import { dossierFactsExport } from '../../shared/data/sharing';
import { exportDay, previousLocalDay } from '../../shared/usecases/stats/export-day';
import { workflowTask } from '../../shared/workflow/task-handler';

const deps = exportDayDeps();

/** A day asked for by hand, or EventBridge's scheduled event (its `time` is the scheduled instant, kept on retries). */
interface ExportInput {
  day?: string;
  time?: string;
  dossierCode?: string;
}

export const handler = workflowTask(dossierFactsExport, async (input: ExportInput, { log }) => {
  const day = input?.day ?? previousLocalDay(input?.time ? new Date(input.time) : deps.clock());
  const report = await exportDay({ day }, deps);
  log.info('dossier facts exported', { day, rows: report.rows, parts: report.parts.length });
  return report;
});
