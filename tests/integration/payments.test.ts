// Paying a dossier's fees on the embedded stack, end to end: a received dossier whose fees are due before processing
// waits (awaiting payment); its applicant starts a payment and is sent to the sandbox provider's checkout page
// (served by the stack, signing with the same VNPay scheme as production); approving there sends the signed IPN to
// our callback route, which records the payment once, and the route starts. Real local services throughout: DynamoDB
// Local and its stream, the S3 emulator, the local workflow service, the sandbox provider over HTTP.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBirth, demoPartners } from '../../local/demo';
import { signVnpayParams, vnpayDate } from '../../shared/adapters/payment/vnpay';
import { secrets } from '../../shared/data/secrets';
import { eventually } from '../fixtures/workflow/client';
import { FEE_VND, paymentFlow } from './support/payments';
import { signedFetch } from './support/signed';
import { startTestStack, type TestStack } from './support/stack';

const [ward] = demoPartners as [(typeof demoPartners)[0]];
let stack: TestStack;
const { post, json, publishFeeVersion, receivedDossier, startPayment, checkout } = paymentFlow(() => stack);
beforeAll(async () => {
  // Reconciliation asks about every payment still without a verdict, however young (its schedule runs by hand here).
  process.env.PAYMENT_RECONCILE_PENDING_MINUTES = '0';
  stack = await startTestStack();
  await publishFeeVersion();
}, 120_000);
afterAll(() => stack?.stop());

type Payment = { id: string; status: string; amountVnd: number; redirectUrl?: string };
type View = {
  code: string;
  lookupKey: string;
  status: string;
  fees?: {
    totalVnd: number;
    paidVnd: number;
    outstandingVnd: number;
    awaitingPayment: boolean;
    payments: Payment[];
  };
  history?: { action: string; actor: { kind: string } }[];
};

const view = async (code: string) =>
  json<View>(await stack.call(`/v1/dossiers/${code}`, { as: 'citizen.an' }), 200);

/** The sandbox's merchant secret, as the payment functions read it. */
const merchant = () =>
  JSON.parse(readFileSync(process.env[secrets['payment-vnpay'].envVar]!, 'utf8')) as {
    tmnCode: string;
    hashSecret: string;
  };

/** A callback VNPay would send, signed with the merchant's key (or not). */
function callbackParams(fields: Record<string, string>, signWith = merchant().hashSecret) {
  const params: Record<string, string> = {
    vnp_TmnCode: merchant().tmnCode,
    vnp_ResponseCode: '00',
    vnp_TransactionStatus: '00',
    vnp_TransactionNo: '98765432',
    vnp_BankCode: 'NCB',
    vnp_PayDate: vnpayDate(new Date()),
    vnp_OrderInfo: 'test',
    ...fields,
  };
  return { ...params, vnp_SecureHash: signVnpayParams(params, signWith) };
}

const ipn = async (params: Record<string, string>) => {
  const response = await stack.call(`/v1/payments/vnpay/ipn?${new URLSearchParams(params)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { RspCode: string }).RspCode;
};

describe('paying a dossier whose fees are due before processing', () => {
  let code: string;
  let payment: Payment;
  let paidParams: Record<string, string>;

  it('waits for the payment once received: awaiting payment, not routed', async () => {
    code = await receivedDossier();
    const received = await view(code);
    expect(received.status).toBe('RECEIVED');
    expect(received.fees).toMatchObject({
      totalVnd: FEE_VND,
      paidVnd: 0,
      outstandingVnd: FEE_VND,
      awaitingPayment: true,
    });
    const tracking = await json<{ awaitingPayment: boolean; currentStep: { en: string } }>(
      await stack.call(`/v1/tracking/${code}?key=${received.lookupKey}`),
      200,
    );
    expect(tracking.awaitingPayment).toBe(true);
    expect(tracking.currentStep.en).toContain('Fees to pay');
  });

  it('starts one payment for the outstanding amount, and gives the same one back while it is open', async () => {
    const [a, b] = await Promise.all([
      startPayment(code, 'pay-first-0001'),
      startPayment(code, 'pay-second-0002'),
    ]);
    const answers = [await a.clone().json(), await b.clone().json()] as {
      created: boolean;
      payment: Payment;
    }[];
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(answers[0]!.payment.id).toBe(answers[1]!.payment.id);
    payment = answers[0]!.payment;
    expect(payment).toMatchObject({ status: 'pending', amountVnd: FEE_VND });
    expect(payment.redirectUrl!.startsWith(stack.payments.payUrl)).toBe(true);
    // The key replays its own answer.
    expect(
      (await json<{ payment: Payment }>(await startPayment(code, 'pay-first-0001'), a.status)).payment.id,
    ).toBe(payment.id);
    expect((await view(code)).fees!.payments).toHaveLength(1);
  });

  it('refuses another citizen, an officer and an anonymous caller', async () => {
    expect((await startPayment(code, 'pay-other-0003', 'citizen.binh')).status).toBe(404);
    expect((await startPayment(code, 'pay-staff-0004', 'officer.badinh')).status).toBe(403);
    const anonymous = await fetch(`${stack.urls.gateway}/v1/dossiers/${code}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(anonymous.status).toBe(401);
  });

  it('answers forged, unknown and mismatched callbacks with their codes and changes nothing', async () => {
    const base = { vnp_TxnRef: payment.id, vnp_Amount: String(FEE_VND * 100) };
    expect(await ipn(callbackParams(base, 'not-the-merchant-key'))).toBe('97');
    const tampered = { ...callbackParams(base), vnp_Amount: String(FEE_VND * 10) };
    expect(await ipn(tampered)).toBe('97');
    expect(await ipn(callbackParams({ ...base, vnp_TxnRef: 'P261203ZZZZZZZZZZZZ0' }))).toBe('01');
    expect(await ipn(callbackParams({ ...base, vnp_Amount: String((FEE_VND - 1000) * 100) }))).toBe('04');
    expect(await ipn({})).toBe('97');
    const after = await view(code);
    expect(after.fees).toMatchObject({ paidVnd: 0 });
    expect(after.fees!.payments[0]!.status).toBe('pending');
  });

  it('records an approval from the checkout page once, and then routes the dossier', async () => {
    // Seconds after its receipt (the router takes far less), the unpaid dossier still waits.
    expect((await view(code)).status).toBe('RECEIVED');
    const { html, location } = await checkout(payment.redirectUrl!, 'approve');
    expect(html).toContain('150.000');
    // The return URL carries the provider's signed parameters back to our return page.
    const returned = new URL(location);
    paidParams = Object.fromEntries(returned.searchParams);
    const paid = await eventually(async () => {
      const current = await view(code);
      return current.fees?.paidVnd === FEE_VND ? current : undefined;
    }, 'the payment to be recorded');
    expect(paid.fees).toMatchObject({ outstandingVnd: 0, awaitingPayment: false });
    expect(paid.fees!.payments[0]).toMatchObject({ id: payment.id, status: 'paid' });
    expect(paid.fees!.payments[0]!.redirectUrl).toBeUndefined();
    const routed = await eventually(async () => {
      const current = await view(code);
      return current.status === 'IN_PROGRESS' ? current : undefined;
    }, 'the paid dossier to be routed');
    const history = (
      await json<View>(await stack.call(`/v1/dossiers/${code}`, { as: 'officer.badinh' }), 200)
    ).history!;
    expect(history.map((h) => h.action)).toEqual(
      expect.arrayContaining(['receive', 'startPayment', 'settlePayment', 'route']),
    );
    expect(history.find((h) => h.action === 'settlePayment')!.actor.kind).toBe('provider');
    expect(routed.status).toBe('IN_PROGRESS');
  });

  it('answers a repeated callback 02 and records nothing twice', async () => {
    expect(await ipn(paidParams)).toBe('02');
    const after = await view(code);
    expect(after.fees!.paidVnd).toBe(FEE_VND);
    const history = (
      await json<View>(await stack.call(`/v1/dossiers/${code}`, { as: 'officer.badinh' }), 200)
    ).history!;
    expect(history.filter((h) => h.action === 'settlePayment')).toHaveLength(1);
  });

  it('shows the citizen the recorded outcome on the return page', async () => {
    const page = await fetch(
      `${stack.urls.gateway}/v1/payments/vnpay/return?${new URLSearchParams(paidParams)}`,
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('data-status="paid"');
    expect(html).toContain(code);
    const forged = await fetch(
      `${stack.urls.gateway}/v1/payments/vnpay/return?${new URLSearchParams({ ...paidParams, vnp_Amount: '100' })}`,
    );
    expect(await forged.text()).toContain('data-status="unverified"');
  });

  it('refuses to start a payment of a paid dossier', async () => {
    const again = await startPayment(code, 'pay-again-0005');
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('ALREADY_PAID');
  });
});

describe('a declined payment', () => {
  it('is recorded as failed, leaves the fees outstanding, and a new payment can start', async () => {
    const code = await receivedDossier();
    const first = (await json<{ payment: Payment }>(await startPayment(code, 'pay-decline-0001'), 201))
      .payment;
    await checkout(first.redirectUrl!, 'decline');
    const failed = await eventually(async () => {
      const current = await view(code);
      return current.fees?.payments[0]?.status === 'failed' ? current : undefined;
    }, 'the declined payment to be recorded');
    expect(failed.fees).toMatchObject({ paidVnd: 0, outstandingVnd: FEE_VND, awaitingPayment: true });
    expect(failed.status).toBe('RECEIVED');
    const second = (await json<{ payment: Payment }>(await startPayment(code, 'pay-decline-0002'), 201))
      .payment;
    expect(second.id).not.toBe(first.id);
  });
});

describe('reconciliation', () => {
  it('settles an approval whose IPN was lost, as the IPN would have, and the dossier is routed', async () => {
    const code = await receivedDossier();
    const payment = (await json<{ payment: Payment }>(await startPayment(code, 'pay-lost-ipn-0001'), 201))
      .payment;
    await checkout(payment.redirectUrl!, 'approve-lost-ipn');
    // The sandbox sent nothing: our record still says pending.
    expect((await view(code)).fees!.payments[0]!.status).toBe('pending');
    await stack.schedules['payment-reconcile']!.runNow();
    const paid = await view(code);
    expect(paid.fees).toMatchObject({ paidVnd: FEE_VND, outstandingVnd: 0 });
    expect(paid.fees!.payments[0]).toMatchObject({ status: 'paid' });
    const history = (
      await json<View>(await stack.call(`/v1/dossiers/${code}`, { as: 'officer.badinh' }), 200)
    ).history!;
    expect(history.find((h) => h.action === 'settlePayment')!.actor.kind).toBe('system');
    await eventually(async () => ((await view(code)).status === 'IN_PROGRESS' ? true : undefined), 'routing');
    // A run after it finds nothing left to settle for this dossier; a late IPN is answered 02.
    await stack.schedules['payment-reconcile']!.runNow();
    expect((await view(code)).fees!.paidVnd).toBe(FEE_VND);
  });

  it('leaves a payment the citizen has not finished alone', async () => {
    const code = await receivedDossier();
    const payment = (await json<{ payment: Payment }>(await startPayment(code, 'pay-open-0001'), 201))
      .payment;
    await fetch(payment.redirectUrl!);
    await stack.schedules['payment-reconcile']!.runNow();
    const open = await view(code);
    expect(open.fees!.payments[0]!.status).toBe('pending');
    expect(open.fees!.awaitingPayment).toBe(true);
  });
});

describe('refunds', () => {
  it('sends back what a withdrawn dossier paid, once, on a supervisor’s approval, through the provider', async () => {
    const code = await receivedDossier();
    const payment = (await json<{ payment: Payment }>(await startPayment(code, 'pay-refund-0001'), 201))
      .payment;
    await checkout(payment.redirectUrl!, 'approve');
    await eventually(async () => ((await view(code)).fees?.paidVnd === FEE_VND ? true : undefined), 'paid');
    await json(await post(`/v1/dossiers/${code}/withdrawal`, 'citizen.an', { reason: 'Không cần nữa' }), 200);
    const withdrawn = await view(code);
    expect(withdrawn.status).toBe('WITHDRAWN');
    expect(withdrawn.fees).toMatchObject({ paidVnd: 0, refundDueVnd: FEE_VND });

    const refund = (key: string, as: string) =>
      post(`/v1/dossiers/${code}/refunds`, as, { reason: 'Công dân rút hồ sơ' }, { 'idempotency-key': key });
    expect((await refund('refund-officer-0001', 'officer.badinh')).status).toBe(403);
    expect((await refund('refund-citizen-0001', 'citizen.an')).status).toBe(403);
    const [first, second] = await Promise.all([
      refund('refund-first-00001', 'supervisor'),
      refund('refund-second-0002', 'supervisor'),
    ]);
    // One approval reserves the refund and asks the provider; the other lost the race (409) or found it reserved
    // (202) and changed nothing.
    const statuses = [first.status, second.status].sort();
    expect(statuses[0]).toBe(200);
    expect([202, 409]).toContain(statuses[1]);
    const answer = (await (first.status === 200 ? first : second).json()) as {
      refund: { status: string; amountVnd: number; kind: string };
      refundDueVnd: number;
    };
    expect(answer).toMatchObject({
      refund: { status: 'refunded', amountVnd: FEE_VND, kind: 'full' },
      refundDueVnd: 0,
    });
    const after = await view(code);
    expect(after.fees).toMatchObject({ refundDueVnd: 0, refundedVnd: FEE_VND });
    const again = await refund('refund-third-00003', 'supervisor');
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('NOTHING_TO_REFUND');
    // The sandbox returned the money once.
    const transaction = stack.payments.transactions().find((t) => t.txnRef === payment.id)!;
    expect(transaction.refunds).toHaveLength(1);
    expect(transaction.state).toBe('refunded');
  });
});

describe('fees due before the result is released (thu sau)', () => {
  it('routes the dossier at once, holds its result until the fees are paid, then releases it', async () => {
    await publishFeeVersion('Phí thử nghiệm', 'before-release');
    const code = await receivedDossier();
    // Nothing to wait for at intake: the route starts, and the ward's step opens.
    const received = await view(code);
    expect(received.fees).toMatchObject({ outstandingVnd: FEE_VND, awaitingPayment: false });
    const task = await eventually(async () => {
      const response = await signedFetch(stack.urls.gateway, '/v1/partner/tasks?status=open&limit=100', ward);
      const { items } = (await response.json()) as { items: { id: string; dossierCode: string }[] };
      return items.find((t) => t.dossierCode === code);
    }, `the ward's task for ${code}`);
    const decided = await signedFetch(
      stack.urls.gateway,
      `/v1/partner/tasks/${encodeURIComponent(task.id)}/decision`,
      ward,
      { method: 'POST', body: { decision: 'approve' } },
    );
    expect(decided.status, await decided.clone().text()).toBe(200);
    const ready = await eventually(async () => {
      const now = await view(code);
      return now.status === 'RESULT_READY' ? now : undefined;
    }, `${code} to be RESULT_READY`);
    expect(ready.fees).toMatchObject({ outstandingVnd: FEE_VND, awaitingPayment: true });
    const tracking = await json<{ awaitingPayment: boolean; currentStep: { en: string } }>(
      await stack.call(`/v1/tracking/${code}?key=${ready.lookupKey}`),
      200,
    );
    expect(tracking.awaitingPayment).toBe(true);
    expect(tracking.currentStep.en).toContain('pay them to receive the result');

    // Held: the applicant's download and the counter's hand-over are both refused, and nothing changes.
    const download = await stack.call(`/v1/dossiers/${code}/result`, { as: 'citizen.an' });
    expect([download.status, ((await download.json()) as { error: { code: string } }).error.code]).toEqual([
      409,
      'RESULT_NOT_RELEASED',
    ]);
    const collector = { name: demoBirth.applicant.fullName, idNumber: demoBirth.applicant.citizenId };
    const handOver = await post(`/v1/dossiers/${code}/return`, 'officer.badinh', {
      method: 'counter',
      collector,
    });
    expect([handOver.status, ((await handOver.json()) as { error: { code: string } }).error.code]).toEqual([
      409,
      'RESULT_NOT_RELEASED',
    ]);
    expect((await view(code)).status).toBe('RESULT_READY');

    // Paid through the checkout: released, and the counter hands it over.
    const payment = (await json<{ payment: Payment }>(await startPayment(code, `pay-release-${code}`), 201))
      .payment;
    await checkout(payment.redirectUrl!, 'approve');
    const paid = await eventually(async () => {
      const now = await view(code);
      return now.fees?.paidVnd === FEE_VND ? now : undefined;
    }, `${code} to be paid`);
    expect(paid).toMatchObject({
      status: 'RESULT_READY',
      fees: { outstandingVnd: 0, awaitingPayment: false },
    });
    const returned = await post(`/v1/dossiers/${code}/return`, 'officer.badinh', {
      method: 'counter',
      collector,
    });
    expect(returned.status, await returned.clone().text()).toBe(200);
    expect(await returned.json()).toMatchObject({
      status: 'RETURNED',
      result: { returned: { method: 'counter' } },
    });
    // Its e-receipt is issued from the payment's event, as for fees paid before processing.
    const receipts = await eventually(async () => {
      const now = (await view(code)) as View & { receipts?: { number: string }[] };
      return now.receipts?.length ? now.receipts : undefined;
    }, `the receipt of ${code}`);
    expect(receipts).toHaveLength(1);
  });
});
