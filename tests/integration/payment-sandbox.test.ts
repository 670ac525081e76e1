// The sandbox payment provider end to end on loopback, no mocks: the production VNPay adapter, with its default fetch
// transport, builds the checkout URL and calls querydr and refund on the sandbox; a loopback server the test starts
// plays the merchant's IPN endpoint and return page.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaymentSandbox, startPaymentSandbox } from '../../local/payment-sandbox';
import {
  QUERYDR_REQUEST_FIELDS,
  QUERYDR_RESPONSE_FIELDS,
  signVnpayFields,
  signVnpayParams,
  type VnpayProvider,
  vnpayDate,
  vnpayProvider,
  vnpaySignedData,
} from '../../shared/adapters/payment/vnpay';
import type { CheckoutRequest, VerifiedCallback } from '../../shared/ports/payment-provider';

const tmnCode = 'MOTCUA01';
const hashSecret = 'SANDBOXSECRET0123456789ABCDEFGHIJ';

interface IpnRequest {
  txnRef: string;
  params: Record<string, string>;
}

/** The merchant side: records every IPN and answers it with the next code queued for its reference (default 00). */
async function startMerchant() {
  const ipns: IpnRequest[] = [];
  const replies = new Map<string, string[]>();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://merchant.invalid');
    const params = Object.fromEntries(url.searchParams);
    if (url.pathname === '/ipn') {
      const txnRef = params.vnp_TxnRef ?? '';
      ipns.push({ txnRef, params });
      const code = replies.get(txnRef)?.shift() ?? '00';
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ RspCode: code, Message: code === '00' ? 'Confirm Success' : 'Unknown error' }));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p id="returned">ok</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ipns,
    ipnsFor: (txnRef: string) => ipns.filter((ipn) => ipn.txnRef === txnRef),
    replyWith: (txnRef: string, codes: string[]) => replies.set(txnRef, codes),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Polls until the probe returns something other than undefined; the timeout only catches a hang. */
async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const paramsOf = (url: string) => Object.fromEntries(new URL(url).searchParams);
const requestId = () => randomUUID().replaceAll('-', '');
let serial = 0;
const newPaymentId = () => `PAY-${Date.now().toString(36)}-${++serial}`;

describe('payment sandbox', () => {
  let dir: string;
  let journalFile: string;
  let merchant: Awaited<ReturnType<typeof startMerchant>>;
  let sandbox: PaymentSandbox;
  let provider: VnpayProvider;

  const start = async () => {
    sandbox = await startPaymentSandbox({
      port: 0,
      tmnCode,
      hashSecret,
      journalFile,
      ipnUrl: `${merchant.url}/ipn`,
      timeScale: 0.01,
    });
    provider = vnpayProvider({ tmnCode, hashSecret, payUrl: sandbox.payUrl, apiUrl: sandbox.apiUrl });
  };

  function checkoutRequest(overrides: Partial<CheckoutRequest> = {}): CheckoutRequest {
    const createdAt = new Date();
    return {
      paymentId: newPaymentId(),
      amountVnd: 150_000,
      orderInfo: 'Lệ phí đăng ký khai sinh 000.00.01.H26-260930-0012',
      createdAt,
      expiresAt: new Date(createdAt.getTime() + 15 * 60_000),
      clientIp: '203.0.113.7',
      returnUrl: `${merchant.url}/return`,
      locale: 'vi',
      ...overrides,
    };
  }

  /** Opens the checkout page as the browser would; the nonce is read from the form, as the browser posts it. */
  async function open(url: string) {
    const response = await fetch(url);
    const page = await response.text();
    const nonce = /name="nonce" value="([^"]+)"/.exec(page)?.[1];
    return { response, page, nonce };
  }

  const decide = (txnRef: string, nonce: string, decision: string, bankCode = 'NCB') =>
    fetch(`${sandbox.url}/paymentv2/decide`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ txnRef, nonce, bankCode, decision }).toString(),
      redirect: 'manual',
    });

  /** A payment taken through the page to a decision; returns the request and the browser's 303. */
  async function pay(decision: string, overrides: Partial<CheckoutRequest> = {}) {
    const request = checkoutRequest(overrides);
    const { response, nonce } = await open(provider.checkoutUrl(request));
    expect(response.status).toBe(200);
    const decided = await decide(request.paymentId, nonce!, decision);
    expect(decided.status).toBe(303);
    return { request, location: decided.headers.get('location')! };
  }

  const query = (request: CheckoutRequest) =>
    provider.query({
      requestId: requestId(),
      paymentId: request.paymentId,
      paymentCreatedAt: request.createdAt,
      requestedAt: new Date(),
      serverIp: '127.0.0.1',
      description: 'Đối soát thanh toán',
    });

  const refund = (
    request: CheckoutRequest,
    providerTransactionNo: string,
    kind: 'full' | 'partial',
    amountVnd: number,
  ) =>
    provider.refund({
      requestId: requestId(),
      paymentId: request.paymentId,
      kind,
      amountVnd,
      providerTransactionNo,
      paymentCreatedAt: request.createdAt,
      requestedAt: new Date(),
      requestedBy: 'officer.binh',
      serverIp: '127.0.0.1',
      description: 'Hoàn lệ phí',
    });

  /** The payment's IPN as the adapter reads it; the verification itself is part of what is tested. */
  async function verifiedIpn(paymentId: string): Promise<VerifiedCallback> {
    const [ipn] = await waitFor('the IPN', () => {
      const got = merchant.ipnsFor(paymentId);
      return got.length > 0 ? got : undefined;
    });
    const verified = provider.verifyCallback(ipn!.params);
    if (!verified.ok) throw new Error(`the IPN did not verify: ${verified.reason}`);
    return verified;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'motcua-payment-sandbox-'));
    journalFile = join(dir, 'payments', 'sandbox.jsonl');
    merchant = await startMerchant();
    await start();
  });

  afterAll(async () => {
    await sandbox?.close();
    await merchant?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('checkout page', () => {
    it('serves the adapter’s signed URL as a page showing the amount in VND, the order and the sandbox marker', async () => {
      const request = checkoutRequest();
      const { response, page, nonce } = await open(provider.checkoutUrl(request));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page).toContain('<span id="amount">150.000 ₫</span>');
      expect(page).toContain(`<dd id="order-info">${request.orderInfo}</dd>`);
      expect(page).toContain(`<dd class="code" id="txn-ref">${request.paymentId}</dd>`);
      expect(page).toContain(`<dd class="code" id="merchant">${tmnCode}</dd>`);
      expect(page).toContain('SANDBOX — no money moves');
      for (const id of ['approve', 'decline', 'approve-lost-ipn']) expect(page).toContain(`id="${id}"`);
      expect(page).toContain('<option value="NCB">');
      expect(nonce).toMatch(/^[\w-]{20,}$/);
    });

    it('is served with a strict Content-Security-Policy: no script, no inline style but its own, forms only to itself and the return URL', async () => {
      const { response, page } = await open(provider.checkoutUrl(checkoutRequest()));
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain(`form-action 'self' ${merchant.url};`);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(page).not.toMatch(/<script|<img|<link|https?:\/\/(?!127\.0\.0\.1)/);
    });

    it('speaks English first for vnp_Locale=en', async () => {
      const { page } = await open(provider.checkoutUrl(checkoutRequest({ locale: 'en' })));
      expect(page).toContain('<html lang="en">');
      expect(page).toContain('>Pay / Thanh toán</button>');
    });

    it('refuses a checkout URL whose amount was changed with 400 and VNPay’s code 70 (invalid signature)', async () => {
      const url = provider.checkoutUrl(checkoutRequest());
      const tampered = url.replace('vnp_Amount=15000000', 'vnp_Amount=100');
      expect(tampered).not.toBe(url);
      const { response, page, nonce } = await open(tampered);
      expect(response.status).toBe(400);
      expect(page).toContain('data-code="70"');
      expect(page).toContain('Sai chữ ký');
      expect(nonce).toBeUndefined();
    });

    it('refuses a URL signed with another secret as code 70', async () => {
      const other = vnpayProvider({
        tmnCode,
        hashSecret: 'ANOTHERSECRET',
        payUrl: sandbox.payUrl,
        apiUrl: sandbox.apiUrl,
      });
      const { response, page } = await open(other.checkoutUrl(checkoutRequest()));
      expect(response.status).toBe(400);
      expect(page).toContain('data-code="70"');
    });

    it('refuses an expired checkout with code 15', async () => {
      const createdAt = new Date(Date.now() - 30 * 60_000);
      const request = checkoutRequest({ createdAt, expiresAt: new Date(createdAt.getTime() + 15 * 60_000) });
      const { response, page } = await open(provider.checkoutUrl(request));
      expect(response.status).toBe(400);
      expect(page).toContain('data-code="15"');
    });

    it('refuses another amount under a reference already used, with code 01', async () => {
      const request = checkoutRequest();
      expect((await open(provider.checkoutUrl(request))).response.status).toBe(200);
      const again = await open(provider.checkoutUrl({ ...request, amountVnd: 1_000 }));
      expect(again.response.status).toBe(400);
      expect(again.page).toContain('data-code="01"');
    });

    it('serves the same page again (same nonce) when the citizen reloads it before deciding', async () => {
      const url = provider.checkoutUrl(checkoutRequest());
      const first = await open(url);
      const second = await open(url);
      expect(second.response.status).toBe(200);
      expect(second.nonce).toBe(first.nonce);
    });

    it('refuses a URL without a signature as code 70, before reading anything else', async () => {
      const response = await fetch(`${sandbox.payUrl}?vnp_Amount=100`);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('data-code="70"');
    });

    it('refuses an authentic URL with a field VNPay does not accept (another currency) as code 03', async () => {
      const { vnp_SecureHash: _hash, ...params } = paramsOf(provider.checkoutUrl(checkoutRequest()));
      const usd = { ...params, vnp_CurrCode: 'USD' };
      const url = `${sandbox.payUrl}?${vnpaySignedData(usd)}&vnp_SecureHash=${signVnpayParams(usd, hashSecret)}`;
      const { response, page } = await open(url);
      expect(response.status).toBe(400);
      expect(page).toContain('data-code="03"');
      expect(page).toContain('vnp_CurrCode');
    });

    it('refuses an authentic URL for another terminal as code 02', async () => {
      const { vnp_SecureHash: _hash, ...params } = paramsOf(provider.checkoutUrl(checkoutRequest()));
      const other = { ...params, vnp_TmnCode: 'OTHER001' };
      const url = `${sandbox.payUrl}?${vnpaySignedData(other)}&vnp_SecureHash=${signVnpayParams(other, hashSecret)}`;
      const { response, page } = await open(url);
      expect(response.status).toBe(400);
      expect(page).toContain('data-code="02"');
    });
  });

  describe('decision', () => {
    it('approve: the merchant gets an IPN the adapter verifies as succeeded with the right amount and payment id', async () => {
      const { request } = await pay('approve');
      const ipn = await verifiedIpn(request.paymentId);
      expect(ipn).toMatchObject({
        ok: true,
        paymentId: request.paymentId,
        amountVnd: 150_000,
        succeeded: true,
        bankCode: 'NCB',
        responseCode: '00',
        transactionStatus: '00',
      });
      expect(ipn.providerTransactionNo).toMatch(/^\d{8}$/);
      expect(Date.parse(ipn.payDate!)).not.toBeNaN();
    });

    it('approve: the 303 goes to the return URL with parameters that verify too, the same as the IPN’s', async () => {
      const { request, location } = await pay('approve');
      expect(location.startsWith(`${merchant.url}/return?`)).toBe(true);
      const returned = provider.verifyCallback(paramsOf(location));
      expect(returned).toMatchObject({ ok: true, paymentId: request.paymentId, succeeded: true });
      const ipn = await verifiedIpn(request.paymentId);
      expect(returned).toEqual(ipn);
    });

    it('decline: the IPN is authentic and reports the customer cancelled (24 / 02), not succeeded', async () => {
      const { request, location } = await pay('decline');
      const ipn = await verifiedIpn(request.paymentId);
      expect(ipn).toMatchObject({ succeeded: false, responseCode: '24', transactionStatus: '02' });
      expect(provider.verifyCallback(paramsOf(location))).toMatchObject({ ok: true, succeeded: false });
    });

    it('gives every approved payment its own transaction number', async () => {
      const a = await pay('approve');
      const b = await pay('approve');
      const [ipnA, ipnB] = [await verifiedIpn(a.request.paymentId), await verifiedIpn(b.request.paymentId)];
      expect(ipnA.providerTransactionNo).not.toBe(ipnB.providerTransactionNo);
    });

    it('pay with the IPN lost: no IPN is sent, but querydr finds the payment paid', async () => {
      const { request, location } = await pay('approve-lost-ipn');
      // The first IPN attempt is made before the redirect, so by now it would have arrived.
      expect(merchant.ipnsFor(request.paymentId)).toEqual([]);
      expect(sandbox.transactions().find((t) => t.txnRef === request.paymentId)).toMatchObject({
        state: 'paid',
        decision: 'approve-lost-ipn',
        ipnAttempts: [],
      });
      expect(provider.verifyCallback(paramsOf(location))).toMatchObject({ ok: true, succeeded: true });
      const found = await query(request);
      expect(found).toMatchObject({
        ok: true,
        outcome: 'found',
        paymentId: request.paymentId,
        amountVnd: 150_000,
        succeeded: true,
        kind: 'payment',
        transactionStatus: '00',
      });
    });

    it('refuses a second decision on the same transaction with 409', async () => {
      const request = checkoutRequest();
      const { nonce } = await open(provider.checkoutUrl(request));
      expect((await decide(request.paymentId, nonce!, 'approve')).status).toBe(303);
      const second = await decide(request.paymentId, nonce!, 'decline');
      expect(second.status).toBe(409);
      expect(await second.text()).toContain('already been decided');
      expect((await open(provider.checkoutUrl(request))).response.status).toBe(409);
      expect(merchant.ipnsFor(request.paymentId)).toHaveLength(1);
    });

    it('refuses a decision whose nonce is not the page’s with 403, and leaves the transaction pending', async () => {
      const request = checkoutRequest();
      await open(provider.checkoutUrl(request));
      const forged = await decide(request.paymentId, 'not-the-nonce', 'approve');
      expect(forged.status).toBe(403);
      expect(sandbox.transactions().find((t) => t.txnRef === request.paymentId)?.state).toBe('pending');
    });

    it('answers 404 for a decision about a reference it never served', async () => {
      expect((await decide('NEVER-SEEN', 'x', 'approve')).status).toBe(404);
    });

    it('retries an IPN answered 99 until it is answered 00, and records both attempts and replies', async () => {
      const request = checkoutRequest();
      merchant.replyWith(request.paymentId, ['99', '00']);
      const { nonce } = await open(provider.checkoutUrl(request));
      expect((await decide(request.paymentId, nonce!, 'approve')).status).toBe(303);
      const attempts = await waitFor('the second IPN attempt to be recorded', () => {
        const tx = sandbox.transactions().find((t) => t.txnRef === request.paymentId);
        return tx && tx.ipnAttempts.length >= 2 ? tx.ipnAttempts : undefined;
      });
      expect(attempts).toMatchObject([
        { attempt: 1, status: 200, rspCode: '99', acknowledged: false },
        { attempt: 2, status: 200, rspCode: '00', message: 'Confirm Success', acknowledged: true },
      ]);
      expect(merchant.ipnsFor(request.paymentId)).toHaveLength(2);
      for (const ipn of merchant.ipnsFor(request.paymentId)) {
        expect(provider.verifyCallback(ipn.params)).toMatchObject({ ok: true, succeeded: true });
      }
      // The journal is appended after the attempt is applied in memory: wait for its line too.
      const journaled = await waitFor('the second IPN attempt in the journal', () => {
        const lines = readFileSync(journalFile, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { kind: string; txnRef?: string; rspCode?: string })
          .filter((line) => line.kind === 'ipn' && line.txnRef === request.paymentId);
        return lines.length >= 2 ? lines : undefined;
      });
      expect(journaled.map((line) => line.rspCode)).toEqual(['99', '00']);
    });

    it('keeps retrying an IPN the merchant cannot take, up to its limit, then stops', async () => {
      const request = checkoutRequest();
      merchant.replyWith(request.paymentId, ['99', '99', '99', '99', '99', '99', '99']);
      const { nonce } = await open(provider.checkoutUrl(request));
      expect((await decide(request.paymentId, nonce!, 'approve')).status).toBe(303);
      const attempts = await waitFor('five IPN attempts', () => {
        const tx = sandbox.transactions().find((t) => t.txnRef === request.paymentId);
        return tx && tx.ipnAttempts.length >= 5 ? tx.ipnAttempts : undefined;
      });
      expect(attempts.map((a) => a.acknowledged)).toEqual([false, false, false, false, false]);
    });
  });

  describe('querydr', () => {
    it('reports a transaction whose page was shown but not decided as found and pending (01)', async () => {
      const request = checkoutRequest();
      await open(provider.checkoutUrl(request));
      expect(await query(request)).toMatchObject({
        ok: true,
        outcome: 'found',
        succeeded: false,
        kind: 'payment',
        transactionStatus: '01',
      });
    });

    it('reports a declined payment as found and failed (02)', async () => {
      const { request } = await pay('decline');
      expect(await query(request)).toMatchObject({
        outcome: 'found',
        succeeded: false,
        transactionStatus: '02',
      });
    });

    it('answers not-found (91) for a reference it never saw', async () => {
      expect(await query(checkoutRequest())).toMatchObject({
        ok: true,
        outcome: 'not-found',
        responseCode: '91',
      });
    });

    it('answers not-found when the transaction date is not the payment’s creation date', async () => {
      const { request } = await pay('approve');
      const wrongDate = { ...request, createdAt: new Date(request.createdAt.getTime() - 60_000) };
      expect(await query(wrongDate)).toMatchObject({ outcome: 'not-found' });
    });

    it('refuses the same request id twice within 5 minutes (94 → duplicate-request)', async () => {
      const { request } = await pay('approve');
      const asked = {
        requestId: requestId(),
        paymentId: request.paymentId,
        paymentCreatedAt: request.createdAt,
        requestedAt: new Date(),
        serverIp: '127.0.0.1',
        description: 'Đối soát',
      };
      expect(await provider.query(asked)).toMatchObject({ outcome: 'found' });
      expect(await provider.query(asked)).toMatchObject({ outcome: 'duplicate-request', responseCode: '94' });
    });

    it('answers a request with a wrong signature with code 97, itself signed', async () => {
      const body: Record<string, string> = {
        vnp_RequestId: requestId(),
        vnp_Version: '2.1.0',
        vnp_Command: 'querydr',
        vnp_TmnCode: tmnCode,
        vnp_TxnRef: 'X',
        vnp_TransactionDate: vnpayDate(new Date()),
        vnp_CreateDate: vnpayDate(new Date()),
        vnp_IpAddr: '127.0.0.1',
        vnp_OrderInfo: 'forged',
      };
      body.vnp_SecureHash = signVnpayFields(QUERYDR_REQUEST_FIELDS, body, 'WRONGSECRET');
      const response = await fetch(sandbox.apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as Record<string, string>;
      expect(answer.vnp_ResponseCode).toBe('97');
      expect(answer.vnp_SecureHash).toBe(signVnpayFields(QUERYDR_RESPONSE_FIELDS, answer, hashSecret));
    });
  });

  describe('refund', () => {
    it('refunds a paid payment in full (02), after which querydr reports a full refund', async () => {
      const { request } = await pay('approve');
      const { providerTransactionNo } = await verifiedIpn(request.paymentId);
      expect(await refund(request, providerTransactionNo, 'full', 150_000)).toMatchObject({
        ok: true,
        outcome: 'accepted',
        paymentId: request.paymentId,
        amountVnd: 150_000,
        kind: 'full-refund',
        providerTransactionNo,
      });
      expect(await query(request)).toMatchObject({ outcome: 'found', kind: 'full-refund' });
      expect(sandbox.transactions().find((t) => t.txnRef === request.paymentId)).toMatchObject({
        state: 'refunded',
        refundedVnd: 150_000,
      });
    });

    it('refunds part of a payment found only by querydr (IPN lost), then refuses a full refund after it', async () => {
      const { request } = await pay('approve-lost-ipn');
      const found = await query(request);
      if (!found.ok || found.outcome !== 'found') throw new Error('the payment was not found');
      expect(await refund(request, found.providerTransactionNo, 'partial', 50_000)).toMatchObject({
        outcome: 'accepted',
        amountVnd: 50_000,
        kind: 'partial-refund',
      });
      expect(await refund(request, found.providerTransactionNo, 'full', 150_000)).toMatchObject({
        ok: true,
        outcome: 'full-after-partial',
        responseCode: '04',
      });
      expect(await query(request)).toMatchObject({ outcome: 'found', kind: 'partial-refund' });
      expect(sandbox.transactions().find((t) => t.txnRef === request.paymentId)).toMatchObject({
        state: 'partially-refunded',
        refundedVnd: 50_000,
      });
    });

    it('refuses a partial refund of more than what remains', async () => {
      const { request } = await pay('approve');
      const { providerTransactionNo } = await verifiedIpn(request.paymentId);
      expect(await refund(request, providerTransactionNo, 'partial', 100_000)).toMatchObject({
        outcome: 'accepted',
      });
      expect(await refund(request, providerTransactionNo, 'partial', 60_000)).toMatchObject({
        outcome: 'refused',
        responseCode: '93',
      });
      expect(await refund(request, providerTransactionNo, 'partial', 50_000)).toMatchObject({
        outcome: 'accepted',
      });
      expect(sandbox.transactions().find((t) => t.txnRef === request.paymentId)?.state).toBe('refunded');
    });

    it('refuses to refund a declined payment', async () => {
      const { request } = await pay('decline');
      const { providerTransactionNo } = await verifiedIpn(request.paymentId);
      expect(await refund(request, providerTransactionNo, 'full', 150_000)).toMatchObject({
        ok: true,
        outcome: 'refused',
        responseCode: '95',
      });
    });

    it('answers not-found for a refund of a reference it never saw', async () => {
      expect(await refund(checkoutRequest(), '12345678', 'full', 150_000)).toMatchObject({
        outcome: 'not-found',
      });
    });
  });

  describe('the sandbox itself', () => {
    it('lists its transactions at / with their IPN attempts, never cached', async () => {
      const { request } = await pay('approve');
      await verifiedIpn(request.paymentId);
      await waitFor(
        'the IPN attempt to be recorded',
        () => sandbox.transactions().find((t) => t.txnRef === request.paymentId)?.ipnAttempts[0],
      );
      const response = await fetch(`${sandbox.url}/`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const page = await response.text();
      expect(page).toContain(`<tr data-txn-ref="${request.paymentId}" data-state="paid">`);
      expect(page).toMatch(/#1 200 00 Confirm Success ✓/);
    });

    it('escapes what a merchant puts in the order info', async () => {
      const hostile = '<script>alert(1)</script>';
      const { page } = await open(provider.checkoutUrl(checkoutRequest({ orderInfo: hostile })));
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page).not.toContain('<script');
    });

    it('answers an unknown path 404, a wrong method 405 and an oversized body 413, and keeps serving', async () => {
      expect((await fetch(`${sandbox.url}/nope`)).status).toBe(404);
      const wrongMethod = await fetch(sandbox.apiUrl);
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get('allow')).toBe('POST');
      const huge = await fetch(`${sandbox.url}/paymentv2/decide`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'x'.repeat(200_000),
      }).catch(() => undefined);
      // Node may reset the connection while the body still streams; either way the sandbox does not fall over.
      if (huge) expect(huge.status).toBe(413);
      expect((await fetch(`${sandbox.url}/`)).status).toBe(200);
    });

    it('answers a body that is not JSON on the API with a signed 03', async () => {
      const response = await fetch(sandbox.apiUrl, { method: 'POST', body: 'not json' });
      const answer = (await response.json()) as Record<string, string>;
      expect(answer.vnp_ResponseCode).toBe('03');
      expect(answer.vnp_SecureHash).toBe(signVnpayFields(QUERYDR_RESPONSE_FIELDS, answer, hashSecret));
    });

    it('replays its journal after a restart: querydr still finds a payment, and a refund still counts', async () => {
      const { request } = await pay('approve');
      const { providerTransactionNo } = await verifiedIpn(request.paymentId);
      expect(await refund(request, providerTransactionNo, 'partial', 40_000)).toMatchObject({
        outcome: 'accepted',
      });
      const before = sandbox.transactions();
      await sandbox.close();
      await start();
      expect(sandbox.transactions()).toEqual(before);
      expect(await query(request)).toMatchObject({
        outcome: 'found',
        paymentId: request.paymentId,
        succeeded: true,
        kind: 'partial-refund',
        providerTransactionNo,
      });
      expect(await refund(request, providerTransactionNo, 'partial', 120_000)).toMatchObject({
        outcome: 'refused',
        responseCode: '93',
      });
      // A decided transaction stays decided: its page is not served again.
      expect((await open(provider.checkoutUrl(request))).response.status).toBe(409);
    });
  });
});
