// A paid dossier's e-receipt, issued from its DossierPaid event, out of the request path.
import { receiptIssuerDeps } from '../../shared/adapters/receipt-deps';
import { onEvents } from '../../shared/events/handler';
import { issueReceipt, RECEIPT_ISSUER_CONSUMER } from '../../shared/usecases/receipts/issue-receipt';

const deps = receiptIssuerDeps();

export const handler = onEvents(
  ['DossierPaid'],
  async (event, { log }) => {
    const result = await issueReceipt(event, deps);
    if (result.outcome === 'issued') {
      const { series, number } = result.receipt.receiptNumber;
      log.info('receipt issued', { series, number, totalVnd: result.receipt.totalVnd });
    } else log.info('no receipt issued', { outcome: result.outcome });
  },
  { consumer: RECEIPT_ISSUER_CONSUMER },
);
