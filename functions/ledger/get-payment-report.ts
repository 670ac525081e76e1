// A branch's daily payment report, as JSON or as a CSV download.
import { paymentReportDeps } from '../../shared/adapters/ledger-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as paymentReportRoutes from '../../shared/http/routes/payment-reports';
import { paymentReportCsv, paymentReportFileName } from '../../shared/pages/payment-report-csv';
import { paymentReport } from '../../shared/usecases/ledger/payment-report';

const deps = paymentReportDeps();

export const handler = httpRoute(paymentReportRoutes.getPaymentReport, async ({ query, caller }) => {
  const report = await paymentReport({ unit: query.unit, day: query.day, caller }, deps);
  const headers = { 'cache-control': 'no-store' };
  if (query.format === 'json') return { body: report, headers };
  return {
    raw: { body: paymentReportCsv(report), contentType: 'text/csv; charset=utf-8' },
    headers: { ...headers, 'content-disposition': `attachment; filename="${paymentReportFileName(report)}"` },
  };
});
