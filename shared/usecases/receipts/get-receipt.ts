// Downloading an e-receipt: whoever may see the dossier gets the PDF, rendered on first download from the issued record
// and kept beside the dossier's forms.
import type { Caller } from '../../domain/caller';
import { type IssuedReceipt, verificationPath } from '../../domain/issued-receipts';
import { formatReceiptNumber, type ReceiptData } from '../../domain/receipts';
import { NotFoundError } from '../../errors';
import type { ObjectStore } from '../../ports/documents';
import type { DossierRepository } from '../../ports/dossier-repository';
import type { ReceiptStore } from '../../ports/receipts';
import { assertCanSee } from '../dossiers/access';

export interface GetReceiptDeps {
  dossiers: Pick<DossierRepository, 'get'>;
  receipts: Pick<ReceiptStore, 'listByDossier'>;
  objects: Pick<ObjectStore, 'get' | 'put'>;
  render: (data: ReceiptData) => Promise<Uint8Array>;
  /** Base of the public verification URL the QR code encodes. */
  publicBaseUrl: string;
}

/** Beside the dossier's forms (`dossiers/<code>/forms/…`), under the same prefix and grant. */
export function receiptObjectKey(receipt: Pick<IssuedReceipt, 'dossierCode' | 'receiptNumber'>): string {
  const { series, number } = receipt.receiptNumber;
  return `dossiers/${receipt.dossierCode}/receipts/${series}-${formatReceiptNumber(number)}.pdf`;
}

const notFound = () => new NotFoundError('No such receipt of this dossier', 'RECEIPT_NOT_FOUND');

export async function getReceipt(
  input: { code: string; number: string; series?: string; caller: Caller },
  deps: GetReceiptDeps,
): Promise<{ pdf: Uint8Array; receipt: IssuedReceipt }> {
  const dossier = assertCanSee(await deps.dossiers.get(input.code), input.code, input.caller);
  const number = Number(input.number);
  // A number restarts each year, so without its series the latest receipt of that number is meant.
  const receipt = (await deps.receipts.listByDossier(dossier.code))
    .filter((r) => r.receiptNumber.number === number)
    .filter((r) => input.series === undefined || r.receiptNumber.series === input.series)
    .at(-1);
  if (!receipt) throw notFound();
  const key = receiptObjectKey(receipt);
  const stored = await deps.objects.get(key);
  if (stored) return { pdf: stored, receipt };
  // First download (or the object was lost): the record is committed, so the same record gives the same bytes.
  const pdf = await deps.render({
    receiptNumber: receipt.receiptNumber,
    issuedAt: receipt.issuedAt,
    collector: receipt.collector,
    // The whole ID stays on the dossier; the receipt prints it masked.
    payer: { name: receipt.payer.name, idNumber: dossier.applicant.citizenId },
    dossierCode: receipt.dossierCode,
    items: receipt.items,
    totalVnd: receipt.totalVnd,
    amountInWords: receipt.amountInWords,
    paidAt: receipt.paidAt,
    payment: receipt.payment,
    verificationUrl: `${deps.publicBaseUrl}${verificationPath(receipt)}`,
  });
  await deps.objects.put(key, pdf, 'application/pdf');
  return { pdf, receipt };
}
