// Public: the check an e-receipt's QR code points at; one item by key, nothing about the payer.
import { receiptStore } from '../../shared/adapters/receipt-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as receiptRoutes from '../../shared/http/routes/receipts';
import { verifyReceipt } from '../../shared/usecases/receipts/verify-receipt';

const deps = { receipts: receiptStore() };

export const handler = httpRoute(receiptRoutes.verifyReceipt, async ({ query }) => ({
  body: await verifyReceipt(query, deps),
}));
