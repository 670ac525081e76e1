// E-receipts on the embedded stack, end to end: a dossier paid through the sandbox checkout (as in payments.test.ts)
// gets its receipt from the receipt-issuer consumer fed by DynamoDB Local's stream; the applicant downloads the PDF
// (rendered on first download, kept in the S3 emulator), the public check its QR code points at answers what it says
// of the money, and another citizen learns nothing. Routing is off: the receipt does not depend on it.
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBirth } from '../../local/demo';
import { eventually } from '../fixtures/workflow/client';
import { FEE_VND, paymentFlow } from './support/payments';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
const { json, publishFeeVersion, receivedDossier, pay } = paymentFlow(() => stack);
const { applicant } = demoBirth;
beforeAll(async () => {
  // The QR code's URL must be https, or http on a loopback host (shared/domain/receipts.ts).
  stack = await startTestStack({ routing: false, publicBaseUrl: 'http://localhost:3000' });
  await publishFeeVersion();
}, 120_000);
afterAll(() => stack?.stop());

type Receipt = { number: string; series: string; issuedAt: string; href: string };
type View = { code: string; fees?: { paidVnd: number }; receipts?: Receipt[] };

const view = async (code: string) =>
  json<View>(await stack.call(`/v1/dossiers/${code}`, { as: 'citizen.an' }), 200);

/** Files the birth registration online, has the Ba Đình officer receive it, and pays it on the sandbox's checkout. */
async function paidDossier(): Promise<string> {
  const code = await receivedDossier();
  await pay(code, 'receipt-pay-0001');
  return code;
}

async function textOf(pdf: Uint8Array): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(pdf.slice()), { mergePages: true });
  return text;
}

describe('the e-receipt of a paid dossier', () => {
  let code: string;
  let receipt: Receipt;

  it('is issued from DossierPaid and listed on the dossier', async () => {
    code = await paidDossier();
    const listed = await eventually(async () => {
      const current = await view(code);
      return current.receipts?.length ? current : undefined;
    }, 'the receipt to be issued');
    expect(listed.fees!.paidVnd).toBe(FEE_VND);
    expect(listed.receipts).toHaveLength(1);
    receipt = listed.receipts![0]!;
    // This file's tables are its own, so its counter starts the series of this year.
    expect(receipt).toMatchObject({ number: '0000001', series: expect.stringMatching(/^BL-\d{2}E$/) });
    expect(receipt.href).toBe(`/v1/dossiers/${code}/receipts/0000001?series=${receipt.series}`);
  });

  it('downloads as a PDF carrying the number, the amount in figures and in words, and the masked payer', async () => {
    const response = await stack.call(receipt.href, { as: 'citizen.an' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = new Uint8Array(await response.arrayBuffer());
    const text = await textOf(pdf);
    expect(text).toContain('0000001');
    expect(text).toContain(receipt.series);
    expect(text).toContain('150.000');
    expect(text).toContain('Một trăm năm mươi nghìn đồng');
    expect(text).toContain('********2345');
    expect(text).not.toContain(applicant.citizenId);
    // Kept after its first download: the branch's officer gets the same bytes.
    const again = await stack.call(`/v1/dossiers/${code}/receipts/1`, { as: 'officer.badinh' });
    expect(again.status).toBe(200);
    expect(new Uint8Array(await again.arrayBuffer())).toEqual(pdf);
  });

  it('verifies publicly: valid, with the amount, date and collector, and nothing personal', async () => {
    const query = (number: string) =>
      `/v1/receipts/verify?${new URLSearchParams({ series: receipt.series, number, code })}`;
    const check = await json<Record<string, unknown>>(await stack.call(query(receipt.number)), 200);
    expect(check).toEqual({
      valid: true,
      receipt: {
        amountVnd: FEE_VND,
        issuedAt: receipt.issuedAt,
        collector: { name: expect.stringContaining('Ba Đình'), taxCode: expect.stringMatching(/^\d{10}$/) },
      },
    });
    expect(JSON.stringify(check)).not.toContain(applicant.fullName);
    expect(await json(await stack.call(query('0000002')), 200)).toEqual({ valid: false });
  });

  it('is not found for another citizen, nor for a number never issued', async () => {
    const other = await stack.call(receipt.href, { as: 'citizen.binh' });
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('DOSSIER_NOT_FOUND');
    const missing = await stack.call(`/v1/dossiers/${code}/receipts/0000002`, { as: 'citizen.an' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('RECEIPT_NOT_FOUND');
  });
});
