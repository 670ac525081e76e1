// Form 07, a branch's dossier register, as JSON, CSV or PDF. The PDF renderer (pdfkit, fonts) is imported only when a
// PDF is asked for, so JSON and CSV requests never load it.
import { catalogueRepository } from '../../shared/adapters/deps';
import { dossierRepository } from '../../shared/adapters/dossier-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as registerRoutes from '../../shared/http/routes/register';
import { registerCsv, registerFileName } from '../../shared/pages/register-csv';
import { dossierRegister, registerPrintout } from '../../shared/usecases/dossiers/register';

const deps = { dossiers: dossierRepository(), catalogue: catalogueRepository(), clock: () => new Date() };

export const handler = httpRoute(registerRoutes.getRegister, async ({ path, query, caller }) => {
  const register = await dossierRegister({ unit: path.unit, from: query.from, to: query.to, caller }, deps);
  const headers = { 'cache-control': 'no-store' };
  if (query.format === 'json') return { body: register, headers };
  if (query.format === 'csv') {
    return {
      raw: { body: registerCsv(register), contentType: 'text/csv; charset=utf-8' },
      headers: {
        ...headers,
        'content-disposition': `attachment; filename="${registerFileName(register, 'csv')}"`,
      },
    };
  }
  const { renderRegister, formatDateTime, formatDay, parseInstant } = await import(
    '../../shared/forms/register-pdf'
  );
  const pdf = await renderRegister(
    registerPrintout(register, deps.clock(), {
      time: (iso) => formatDateTime(parseInstant(iso, 'time')),
      day: (day) => formatDay(day, 'day'),
    }),
  );
  return {
    raw: { body: Buffer.from(pdf).toString('base64'), contentType: 'application/pdf', base64: true },
    headers: { ...headers, 'content-disposition': `inline; filename="${registerFileName(register, 'pdf')}"` },
  };
});
