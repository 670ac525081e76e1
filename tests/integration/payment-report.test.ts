// The daily payment report on the embedded stack, end to end: two received dossiers pay through the sandbox's
// checkout page (one approved; one declined, then approved), the `payment-ledger` consumer enters each verdict from
// the table's stream, and the branch's officer reads the day as JSON and as CSV; another branch's officer is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerDay } from '../../shared/domain/ledger';
import type { PaymentReport } from '../../shared/schemas/ledger';
import { eventually } from '../fixtures/workflow/client';
import { BA_DINH, BIRTH, FEE_VND, paymentFlow } from './support/payments';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
const { json, publishFeeVersion, receivedDossier, pay } = paymentFlow(() => stack);
beforeAll(async () => {
  stack = await startTestStack();
  // Birth registration with a ministry-set fee (Hanoi's online relief covers only council-set ones), due before
  // processing, named with a comma and quotes so the CSV has something to escape.
  await publishFeeVersion('Phí "thử nghiệm", lần 1');
}, 120_000);
afterAll(() => stack?.stop());

type Payment = { id: string; status: string; redirectUrl?: string; settledAt?: string };

/** The dossier's payments once every one has its verdict. */
const settled = (code: string) =>
  eventually(async () => {
    const view = await json<{ fees: { payments: Payment[] } }>(
      await stack.call(`/v1/dossiers/${code}`, { as: 'citizen.an' }),
      200,
    );
    const payments = view.fees.payments;
    return payments.every((p) => p.settledAt) ? payments : undefined;
  }, `the payments of ${code} to be settled`);

const report = (day: string, format: 'json' | 'csv', as = 'officer.badinh') =>
  stack.call(`/v1/payments/report?unit=${BA_DINH}&day=${day}&format=${format}`, { as });

describe('the daily payment report', () => {
  let paidCode: string;
  let retriedCode: string;
  let paymentIds: string[];
  let days: string[];
  let reports: PaymentReport[];

  beforeAll(async () => {
    [paidCode, retriedCode] = await Promise.all([receivedDossier(), receivedDossier()]);
    const paid = await pay(paidCode, 'report-paid-0001', 'approve');
    const declined = await pay(retriedCode, 'report-declined-0001', 'decline');
    // The declined verdict must be in before the second payment can start.
    await settled(retriedCode);
    const retried = await pay(retriedCode, 'report-retried-0001', 'approve');
    paymentIds = [paid, declined, retried];
    const payments = [...(await settled(paidCode)), ...(await settled(retriedCode))];
    // The days the settlements fell on (one, unless the test ran across Hanoi's midnight).
    days = [...new Set(payments.map((p) => ledgerDay(p.settledAt!)))].sort();
    reports = await eventually(async () => {
      const read = await Promise.all(
        days.map(async (day) => json<PaymentReport>(await report(day, 'json'), 200)),
      );
      return read.flatMap((r) => r.payments).length === paymentIds.length ? read : undefined;
    }, 'the ledger to hold the three verdicts');
  }, 120_000);

  it("lists every verdict of the branch's day once, paid and declined, with the fee each paid", () => {
    const payments = reports.flatMap((r) => r.payments);
    expect(payments.map((p) => p.paymentId).sort()).toEqual([...paymentIds].sort());
    const byId = new Map(payments.map((p) => [p.paymentId, p]));
    expect(byId.get(paymentIds[0]!)).toMatchObject({
      dossierCode: paidCode,
      procedureCode: BIRTH,
      channel: 'online',
      provider: 'vnpay',
      outcome: 'paid',
      amountVnd: FEE_VND,
      appliedVnd: FEE_VND,
      refundDueVnd: 0,
      feeItems: [{ feeId: 'phi-thu-nghiem', amountVnd: FEE_VND }],
    });
    expect(byId.get(paymentIds[0]!)!.providerTransactionNo).toMatch(/^\d+$/);
    expect(byId.get(paymentIds[1]!)).toMatchObject({
      dossierCode: retriedCode,
      outcome: 'failed',
      appliedVnd: 0,
    });
    expect(byId.get(paymentIds[2]!)).toMatchObject({ dossierCode: retriedCode, outcome: 'paid' });
  });

  it('totals the day per fee and channel, counting the declined payment apart', () => {
    const sum = (pick: (r: PaymentReport) => number) => reports.reduce((total, r) => total + pick(r), 0);
    expect(sum((r) => r.totals.paidVnd)).toBe(2 * FEE_VND);
    expect(sum((r) => r.totals.paidCount)).toBe(2);
    expect(sum((r) => r.totals.failedCount)).toBe(1);
    expect(sum((r) => r.totals.refundDueVnd)).toBe(0);
    const fees = reports.flatMap((r) => r.totals.byFee);
    expect(fees.every((f) => f.procedureCode === BIRTH && f.feeId === 'phi-thu-nghiem')).toBe(true);
    expect(fees.reduce((total, f) => total + f.amountVnd, 0)).toBe(2 * FEE_VND);
    const channels = reports.flatMap((r) => r.totals.byChannel);
    expect(channels.every((c) => c.channel === 'online')).toBe(true);
    expect(channels.reduce((total, c) => total + c.count, 0)).toBe(2);
  });

  it('downloads the same day as CSV: BOM, header, a row per payment, the totals, escaped Vietnamese', async () => {
    const day = days[0]!;
    const response = await report(day, 'csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="payments-${BA_DINH}-${day}.csv"`,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = new TextDecoder('utf-8', { ignoreBOM: true })
      .decode(bytes)
      .slice(1)
      .split('\r\n')
      .filter(Boolean);
    const kinds = rows.slice(1).map((row) => row.split(',')[0]);
    const expected = reports.find((r) => r.day === day)!;
    expect(rows[0]).toMatch(/^Loại \/ Kind,/);
    expect(kinds.filter((k) => k === 'payment')).toHaveLength(expected.payments.length);
    expect(kinds.filter((k) => k === 'total')).toHaveLength(2);
    expect(rows.find((row) => row.startsWith('total,') && row.includes(',paid,'))).toContain(
      `,paid,${expected.totals.paidVnd},`,
    );
    if (expected.totals.paidCount > 0) {
      expect(rows.find((row) => row.startsWith('total-fee,'))).toContain(',"Phí ""thử nghiệm"", lần 1",');
    }
  });

  it("refuses another branch's officer, in either format", async () => {
    for (const format of ['json', 'csv'] as const) {
      const refused = await report(days[0]!, format, 'officer.hoankiem');
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    }
  });

  it("lets the branch's supervisor read it", async () => {
    const read = await json<PaymentReport>(await report(days[0]!, 'json', 'supervisor'), 200);
    expect(read.payments).toEqual(reports[0]!.payments);
  });
});
