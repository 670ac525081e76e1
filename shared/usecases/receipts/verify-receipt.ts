// The public check a receipt's QR code points at: whether a receipt was issued under this dossier, series and number.
import type { ReceiptStore } from '../../ports/receipts';
import type { ReceiptCheck } from '../../schemas/receipts';

/**
 * Valid if such a receipt was issued; the answer is what the receipt says of the money (amount, date, collector),
 * never who paid. An unknown one is simply not valid.
 */
export async function verifyReceipt(
  input: { code: string; series: string; number: string },
  deps: { receipts: Pick<ReceiptStore, 'get'> },
): Promise<ReceiptCheck> {
  const receipt = await deps.receipts.get(input.code, input.series, Number(input.number));
  if (!receipt) return { valid: false };
  return {
    valid: true,
    receipt: {
      amountVnd: receipt.totalVnd,
      issuedAt: receipt.issuedAt,
      collector: { name: receipt.collector.name, taxCode: receipt.collector.taxCode },
    },
  };
}
