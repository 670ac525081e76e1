// The sandbox's checkout page in Debian's headless Chromium, as a demo citizen uses it: what the page shows, that its
// CSP lets its own style and form through, and that clicking a button lands on the merchant's return URL after the
// IPN. Chromium is driven over the DevTools protocol with Node's own WebSocket: no browser-automation dependency.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaymentSandbox, startPaymentSandbox } from '../../local/payment-sandbox';
import { type VnpayProvider, vnpayProvider } from '../../shared/adapters/payment/vnpay';
import type { CheckoutRequest } from '../../shared/ports/payment-provider';

const tmnCode = 'MOTCUA01';
const hashSecret = 'SANDBOXSECRET0123456789ABCDEFGHIJ';
/** Gitignored; a person looks here after a run to see the page as the citizen saw it. */
const SCREENSHOTS = join(process.cwd(), '.tmp', 'screenshots');
const BROWSER_TIMEOUT_MS = 120_000;

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type CdpMessage = {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
};

/** A minimal DevTools-protocol client over one browser-level WebSocket, with flattened page sessions. */
class Cdp {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  readonly events: CdpMessage[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as CdpMessage;
      if (message.id === undefined) {
        this.events.push(message);
        return;
      }
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiting?.reject(new Error(message.error.message));
      else waiting?.resolve(message.result ?? {});
    });
    socket.addEventListener('close', () => {
      for (const waiting of this.pending.values()) waiting.reject(new Error('DevTools connection closed'));
      this.pending.clear();
    });
  }

  static async connect(url: string): Promise<Cdp> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true });
    });
    return new Cdp(socket);
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string) {
    const id = this.nextId++;
    const result = new Promise<Record<string, unknown>>((resolve, reject) =>
      this.pending.set(id, { resolve, reject }),
    );
    this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return result;
  }

  close() {
    this.socket.close();
  }
}

/** One page (tab) of the browser. */
class Page {
  constructor(
    private readonly cdp: Cdp,
    private readonly sessionId: string,
  ) {}

  static async open(cdp: Cdp): Promise<Page> {
    const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(cdp, sessionId as string);
    await page.send('Page.enable');
    await page.send('Runtime.enable');
    await page.send('Log.enable');
    await page.send('Emulation.setDeviceMetricsOverride', {
      width: 800,
      height: 900,
      deviceScaleFactor: 1,
      mobile: false,
    });
    return page;
  }

  send(method: string, params: Record<string, unknown> = {}) {
    return this.cdp.send(method, params, this.sessionId);
  }

  /** Evaluates an expression in the page and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.send('Runtime.evaluate', {
      expression,
      returnByValue: true,
    });
    if (exceptionDetails) throw new Error(`evaluation failed: ${JSON.stringify(exceptionDetails)}`);
    return (result as { value: T }).value;
  }

  /** Waits until the loaded document's URL starts with the prefix. */
  async loaded(prefix: string): Promise<string> {
    return waitFor(`a page at ${prefix}`, async () => {
      const state = await this.evaluate<{ href: string; ready: string }>(
        '({ href: location.href, ready: document.readyState })',
      ).catch(() => undefined);
      return state && state.ready === 'complete' && state.href.startsWith(prefix) ? state.href : undefined;
    });
  }

  /** A real mouse click at the middle of the element, as a person's would be. */
  async click(selector: string): Promise<void> {
    const box = await this.evaluate<{ x: number; y: number } | null>(
      `(() => { const e = document.querySelector(${JSON.stringify(selector)}); if (!e) return null;
        e.scrollIntoView({ block: 'center' }); const r = e.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; })()`,
    );
    if (!box) throw new Error(`no element ${selector}`);
    for (const type of ['mousePressed', 'mouseReleased']) {
      await this.send('Input.dispatchMouseEvent', { type, ...box, button: 'left', clickCount: 1 });
    }
  }

  /** What the browser logged for this page (CSP violations land here). */
  logEntries(): string[] {
    return this.cdp.events
      .filter((event) => event.sessionId === this.sessionId && event.method === 'Log.entryAdded')
      .map((event) => JSON.stringify(event.params));
  }
}

async function launchChromium(profile: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(
    'chromium',
    [
      '--headless',
      '--disable-gpu',
      '--no-sandbox',
      '--no-first-run',
      '--no-proxy-server',
      '--no-default-browser-check',
      `--user-data-dir=${profile}`,
      '--remote-debugging-address=127.0.0.1',
      '--remote-debugging-port=0',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`chromium did not start:\n${stderr}`)),
      BROWSER_TIMEOUT_MS / 2,
    );
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`chromium exited with ${code}:\n${stderr}`));
    });
  });
  return { child, endpoint };
}

describe('payment sandbox checkout page in headless Chromium', () => {
  let dir: string;
  let sandbox: PaymentSandbox;
  let provider: VnpayProvider;
  let merchantUrl: string;
  let closeMerchant: () => Promise<void>;
  const ipns: Record<string, string>[] = [];
  let chromium: ChildProcess | undefined;
  let cdp: Cdp | undefined;

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
    const launched = await launchChromium(join(dir, 'profile'));
    chromium = launched.child;
    cdp = await Cdp.connect(launched.endpoint);
  }, BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    if (cdp && chromium && chromium.exitCode === null) {
      const exited = new Promise((resolve) => chromium!.once('exit', resolve));
      await cdp.send('Browser.close').catch(() => undefined);
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise((resolve) => setTimeout(() => resolve(false), 20_000)),
      ]);
      if (!stopped) chromium.kill('SIGKILL');
    }
    cdp?.close();
    await sandbox?.close();
    await closeMerchant?.();
    rmSync(dir, { recursive: true, force: true });
  }, BROWSER_TIMEOUT_MS);

  it(
    'shows the amount, the order and the SANDBOX marker, styled under its CSP, and a click on Pay lands on the return URL after the IPN',
    async () => {
      const paymentId = `PAGE-${Date.now().toString(36)}-1`;
      const page = await Page.open(cdp!);
      await page.send('Page.navigate', { url: provider.checkoutUrl(checkout(paymentId)) });
      await page.loaded(sandbox.payUrl);

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

      const { data } = await page.send('Page.captureScreenshot', { format: 'png' });
      const png = Buffer.from(data as string, 'base64');
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      mkdirSync(SCREENSHOTS, { recursive: true });
      writeFileSync(join(SCREENSHOTS, 'payment-sandbox-checkout.png'), png);

      await page.click('#approve');
      const landed = await page.loaded(`${merchantUrl}/return?`);
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
      expect(page.logEntries().filter((entry) => /Content Security Policy/i.test(entry))).toEqual([]);
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'a click on Cancel with another bank chosen lands on the return URL with a cancelled result',
    async () => {
      const paymentId = `PAGE-${Date.now().toString(36)}-2`;
      const page = await Page.open(cdp!);
      await page.send('Page.navigate', { url: provider.checkoutUrl(checkout(paymentId)) });
      await page.loaded(sandbox.payUrl);
      await page.evaluate("document.querySelector('#bank').value = 'VIETCOMBANK'");
      await page.click('#decline');
      const landed = await page.loaded(`${merchantUrl}/return?`);
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
