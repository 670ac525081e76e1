// The second handler that bundles the PDF renderer: a receipt is rendered here on first download, then served as stored.
import { receiptDownloadDeps } from '../../shared/adapters/receipt-deps';
import { formatReceiptNumber } from '../../shared/domain/receipts';
import { renderEReceipt } from '../../shared/forms/e-receipt';
import { httpRoute } from '../../shared/http/middleware';
import * as receiptRoutes from '../../shared/http/routes/receipts';
import { getReceipt } from '../../shared/usecases/receipts/get-receipt';

const deps = receiptDownloadDeps((data) => renderEReceipt(data));

export const handler = httpRoute(receiptRoutes.getDossierReceipt, async ({ path, query, caller }) => {
  const { pdf, receipt } = await getReceipt(
    { code: path.code, number: path.number, ...(query.series ? { series: query.series } : {}), caller },
    deps,
  );
  const { series } = receipt.receiptNumber;
  const number = formatReceiptNumber(receipt.receiptNumber.number);
  return {
    raw: { body: Buffer.from(pdf).toString('base64'), contentType: 'application/pdf', base64: true },
    headers: { 'content-disposition': `inline; filename="bien-lai-${series}-${number}.pdf"` },
  };
});
