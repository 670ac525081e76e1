// The sandbox's checkout page in Debian's headless Chromium, as a demo citizen uses it: what the page shows, that its
// CSP lets its own style and form through, and that clicking a button lands on the merchant's return URL after the
// IPN. Chromium is driven over the DevTools protocol with Node's own WebSocket: no browser-automation dependency.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaymentSandbox, startPaymentSandbox } from '../../local/payment-sandbox';
import { type VnpayProvider, vnpayProvider } from '../../shared/adapters/payment/vnpay';
import type { CheckoutRequest } from '../../shared/ports/payment-provider';
import { type CdpTab, Chromium } from './support/chromium';

const tmnCode = 'MOTCUA01';
const hashSecret = 'SANDBOXSECRET0123456789ABCDEFGHIJ';
const BROWSER_TIMEOUT_MS = 120_000;

describe('payment sandbox checkout page in headless Chromium', () => {
  let dir: string;
  let sandbox: PaymentSandbox;
  let provider: VnpayProvider;
  let merchantUrl: string;
  let closeMerchant: () => Promise<void>;
  const ipns: Record<string, string>[] = [];
  let chromium: Chromium | undefined;

  const checkout = (paymentId: string): CheckoutRequest => {
    const createdAt = new Date();
    return {
      paymentId,
      amountVnd: 150_000,
      orderInfo: 'Lệ phí cấp bản sao trích lục khai sinh',
      createdAt,
      expiresAt: new Date(createdAt.getTime() + 15 * 60_000),
      clientIp: '203.0.113.7',
      returnUrl: `${merchantUrl}/return`,
      locale: 'vi',
    };
  };

  /** A new 800×900 tab at the checkout page for the payment. */
  const openCheckout = async (paymentId: string) => {
    const page = await chromium!.tab({
      viewport: { width: 800, height: 900, deviceScaleFactor: 1, mobile: false },
    });
    await page.navigate(provider.checkoutUrl(checkout(paymentId)), (href) => href.startsWith(sandbox.payUrl));
    return page;
  };
  /** Waits for the page to land on the merchant's return URL; returns that URL. */
  const returned = (page: CdpTab) =>
    page.loaded(`a page at ${merchantUrl}/return?`, (href) => href.startsWith(`${merchantUrl}/return?`));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'motcua-payment-page-'));
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://merchant.invalid');
      if (url.pathname === '/ipn') {
        ipns.push(Object.fromEntries(url.searchParams));
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"RspCode":"00","Message":"Confirm Success"}');
        return;
      }
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><title>Kết quả thanh toán</title><p id="returned">Đã quay lại · returned</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    merchantUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    closeMerchant = () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    sandbox = await startPaymentSandbox({
      tmnCode,
      hashSecret,
      journalFile: join(dir, 'sandbox.jsonl'),
      ipnUrl: `${merchantUrl}/ipn`,
      timeScale: 0.01,
    });
    provider = vnpayProvider({ tmnCode, hashSecret, payUrl: sandbox.payUrl, apiUrl: sandbox.apiUrl });
    chromium = await Chromium.launch(join(dir, 'profile'));
  }, BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    await chromium?.close();
    await sandbox?.close();
    await closeMerchant?.();
    rmSync(dir, { recursive: true, force: true });
  }, BROWSER_TIMEOUT_MS);

  it(
    'shows the amount, the order and the SANDBOX marker, styled under its CSP, and a click on Pay lands on the return URL after the IPN',
    async () => {
      const paymentId = `PAGE-${Date.now().toString(36)}-1`;
      const page = await openCheckout(paymentId);

      const seen = await page.evaluate<Record<string, string | null>>(`({
        title: document.title,
        amount: document.querySelector('#amount')?.textContent ?? null,
        orderInfo: document.querySelector('#order-info')?.textContent ?? null,
        reference: document.querySelector('#txn-ref')?.textContent ?? null,
        banner: document.querySelector('[role=note]')?.innerText ?? null,
        approve: document.querySelector('#approve')?.textContent ?? null,
        decline: document.querySelector('#decline')?.textContent ?? null,
        lost: document.querySelector('#approve-lost-ipn')?.textContent ?? null,
        bank: document.querySelector('#bank')?.value ?? null,
        approveColour: document.querySelector('#approve') ? getComputedStyle(document.querySelector('#approve')).backgroundColor : null,
      })`);
      expect(seen).toEqual({
        title: 'Thanh toán VNPAY (thử nghiệm) / VNPAY checkout (sandbox)',
        amount: '150.000 ₫',
        orderInfo: 'Lệ phí cấp bản sao trích lục khai sinh',
        reference: paymentId,
        banner: expect.stringContaining('SANDBOX — no money moves'),
        approve: 'Thanh toán / Pay',
        decline: 'Hủy / Cancel',
        lost: 'Thanh toán, mất IPN / Pay, IPN lost',
        bank: 'NCB',
        // The inline style ran: the CSP's hash matches the page's one style element.
        approveColour: 'rgb(11, 92, 171)',
      });

      const png = await page.screenshot('payment-sandbox-checkout.png', { beyondViewport: false });
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');

      await page.click('#approve');
      const landed = await returned(page);
      expect(
        await page.evaluate<string | null>("document.querySelector('#returned')?.textContent ?? null"),
      ).toBe('Đã quay lại · returned');
      expect(provider.verifyCallback(Object.fromEntries(new URL(landed).searchParams))).toMatchObject({
        ok: true,
        paymentId,
        amountVnd: 150_000,
        succeeded: true,
        bankCode: 'NCB',
      });
      // The first IPN attempt is made before the redirect: it is there by the time the browser lands.
      const ipn = ipns.find((params) => params.vnp_TxnRef === paymentId);
      expect(ipn && provider.verifyCallback(ipn)).toMatchObject({
        ok: true,
        succeeded: true,
        amountVnd: 150_000,
      });
      expect(page.log.filter((entry) => /Content Security Policy/i.test(entry))).toEqual([]);
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'a click on Cancel with another bank chosen lands on the return URL with a cancelled result',
    async () => {
      const paymentId = `PAGE-${Date.now().toString(36)}-2`;
      const page = await openCheckout(paymentId);
      await page.evaluate("document.querySelector('#bank').value = 'VIETCOMBANK'");
      await page.click('#decline');
      const landed = await returned(page);
      expect(provider.verifyCallback(Object.fromEntries(new URL(landed).searchParams))).toMatchObject({
        ok: true,
        paymentId,
        succeeded: false,
        responseCode: '24',
        bankCode: 'VIETCOMBANK',
      });
      expect(ipns.some((params) => params.vnp_TxnRef === paymentId)).toBe(true);
    },
    BROWSER_TIMEOUT_MS,
  );
});
