// The sandbox payment provider of the embedded stack (issue #9): it imitates VNPay v2.1.0's sandbox closely enough
// that the production adapter (shared/adapters/payment/vnpay.ts) talks to it unchanged, and it signs and verifies with
// that adapter's own exported functions, so the local path is the production path. A demo citizen approves or
// declines on a checkout page; the sandbox then sends the signed IPN (retrying like VNPay), redirects the browser to
// the return URL, and answers `querydr` and `refund`. Everything it learns goes to an append-only JSONL journal that
// is replayed at start, so transactions, refunds and the 5-minute request-id window survive a restart.

import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import {
  fromVnpayAmount,
  parseVnpayDate,
  QUERYDR_REQUEST_FIELDS,
  QUERYDR_RESPONSE_FIELDS,
  REFUND_REQUEST_FIELDS,
  REFUND_RESPONSE_FIELDS,
  signVnpayFields,
  signVnpayParams,
  VNPAY_VERSION,
  verifyVnpayParams,
  vnpayDate,
  vnpaySignedData,
} from '../shared/adapters/payment/vnpay';
import { escapeHtml, html, Markup } from '../shared/pages/html';
import { readJournal } from './journal';

export interface PaymentSandboxOptions {
  /** 0 (the default) takes a free port. */
  port?: number;
  /** Loopback only: the sandbox is for the machine it runs on. */
  host?: '127.0.0.1';
  tmnCode: string;
  /** Shared with the adapter's config; never logged. */
  hashSecret: string;
  /** Append-only JSONL; replayed at start. Its directory is created when missing. */
  journalFile: string;
  /** Where the IPN goes: a GET with the signed callback parameters in the query string, as VNPay sends it. */
  ipnUrl: string;
  /** Multiplies the IPN retry delays (1 s, 2 s, 4 s, 8 s at 1; default 1): tests and demos make them short. */
  timeScale?: number;
  /** The transport for IPN requests (default: global fetch). */
  fetch?: typeof fetch;
  log?: (msg: string, fields: Record<string, unknown>) => void;
}

export type SandboxDecision = 'approve' | 'decline' | 'approve-lost-ipn';
export type SandboxState = 'pending' | 'paid' | 'declined' | 'partially-refunded' | 'refunded';

export interface SandboxIpnAttempt {
  attempt: number;
  at: string;
  /** The receiver's HTTP status, when it answered at all. */
  status?: number;
  rspCode?: string;
  message?: string;
  /** Why there was no usable answer (connection refused, timeout, not JSON). */
  error?: string;
  /** RspCode 00 or 02: VNPay stops sending. */
  acknowledged: boolean;
}

export interface SandboxRefund {
  requestId: string;
  transactionType: '02' | '03';
  amountVnd: number;
  at: string;
  createBy: string;
}

export interface SandboxTransaction {
  txnRef: string;
  amountVnd: number;
  orderInfo: string;
  locale: 'vn' | 'en';
  returnUrl: string;
  ipAddr: string;
  /** `vnp_CreateDate` as the merchant sent it: querydr and refund find the transaction by it. */
  createDate: string;
  expireDate: string;
  /** ISO instant the checkout page was first served. */
  recordedAt: string;
  state: SandboxState;
  decision?: SandboxDecision;
  decidedAt?: string;
  /** `vnp_TransactionNo`: 8 digits for a payment; `0` for a cancelled one, as VNPay sends it. */
  transactionNo?: string;
  bankCode?: string;
  /** `vnp_PayDate` (GMT+7 yyyyMMddHHmmss). */
  payDate?: string;
  /** The signed parameters of the IPN and of the return URL. */
  callback?: Readonly<Record<string, string>>;
  ipnAttempts: SandboxIpnAttempt[];
  refunds: SandboxRefund[];
  refundedVnd: number;
}

export interface PaymentSandbox {
  /** The base URL, e.g. `http://127.0.0.1:PORT`; `/` lists the transactions. */
  url: string;
  /** The adapter's `payUrl`. */
  payUrl: string;
  /** The adapter's `apiUrl`. */
  apiUrl: string;
  transactions(): readonly SandboxTransaction[];
  close(): Promise<void>;
}

type Transaction = SandboxTransaction & { nonce: string };

type JournalLine =
  | { kind: 'checkout'; at: string; params: Record<string, string>; nonce: string }
  | {
      kind: 'decision';
      at: string;
      txnRef: string;
      decision: SandboxDecision;
      callback: Record<string, string>;
    }
  | ({ kind: 'ipn'; txnRef: string } & SandboxIpnAttempt)
  | ({ kind: 'refund'; txnRef: string } & SandboxRefund)
  | {
      kind: 'api';
      at: string;
      command: string;
      /** Present when the request counted for the duplicate window (authentic and well formed). */
      requestId?: string;
      txnRef?: string;
      responseCode: string;
    };

const PAY_PATH = '/paymentv2/vpcpay.html';
const DECIDE_PATH = '/paymentv2/decide';
const API_PATH = '/merchant_webapi/api/transaction';
const MAX_BODY_BYTES = 64 * 1024;
const DUPLICATE_WINDOW_MS = 5 * 60_000;
const MAX_IPN_ATTEMPTS = 5;
const FIRST_RETRY_DELAY_MS = 1_000;
const IPN_TIMEOUT_MS = 10_000;
const HASH_PATTERN = /^[0-9a-fA-F]{128}$/;
const BANKS = [
  ['NCB', 'ATM', 'Ngân hàng Quốc Dân (NCB)'],
  ['VIETCOMBANK', 'ATM', 'Vietcombank'],
  ['VIETINBANK', 'ATM', 'VietinBank'],
  ['BIDV', 'ATM', 'BIDV'],
  ['AGRIBANK', 'ATM', 'Agribank'],
  ['TECHCOMBANK', 'ATM', 'Techcombank'],
  ['VNPAYQR', 'QRCODE', 'VNPAY-QR'],
  ['INTCARD', 'CREDIT', 'Thẻ quốc tế · International card'],
] as const;
const CARD_TYPES: Record<string, string> = Object.fromEntries(BANKS.map(([code, card]) => [code, card]));

/** A refusal of the pay page: VNPay's own codes, as its error page shows them. */
class PayPageError extends Error {
  constructor(
    readonly code: string,
    readonly vi: string,
    readonly en: string,
    readonly detail?: string,
    readonly status = 400,
  ) {
    super(`${code} ${en}`);
  }
}
const invalidSignature = () => new PayPageError('70', 'Sai chữ ký', 'Invalid signature');
const invalidFormat = (detail: string) =>
  new PayPageError('03', 'Dữ liệu gửi sang không đúng định dạng', 'Invalid data format', detail);
const invalidMerchant = () =>
  new PayPageError('02', 'Merchant không hợp lệ', 'Invalid merchant', 'vnp_TmnCode');
const expired = () =>
  new PayPageError('15', 'Giao dịch đã quá thời gian chờ thanh toán', 'The payment window has expired');
const duplicateTxnRef = () =>
  new PayPageError(
    '01',
    'Giao dịch đã tồn tại',
    'Transaction already exists',
    'vnp_TxnRef was used for another amount or creation date',
  );

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly vi: string,
    readonly en: string,
  ) {
    super(en);
  }
}

// ---- HTML: every interpolated value is escaped unless it is markup built here ----

const CSS = `body { font-family: system-ui, sans-serif; margin: 0; color: #1d2733; background: #f4f6f9; }
main { max-width: 36rem; margin: 2rem auto; background: #fff; border: 1px solid #cfd6de; border-radius: .5rem; padding: 1.5rem; }
main.wide { max-width: 72rem; }
.sandbox { background: #fff3cd; color: #664d03; border: 2px dashed #c99a06; padding: .6rem .8rem; font-weight: bold; margin: 0 0 1rem; }
.sandbox span, .en { color: #5b6876; font-weight: normal; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1rem; }
dt { color: #5b6876; }
dd { margin: 0; }
#amount { font-size: 1.5rem; font-weight: bold; white-space: nowrap; }
.code { font-family: ui-monospace, monospace; }
label { display: block; margin: 1rem 0 .3rem; }
select, button { font: inherit; padding: .5rem .8rem; }
.actions { display: flex; flex-wrap: wrap; gap: .6rem; margin-top: 1.2rem; }
#approve { background: #0b5cab; color: #fff; border: 1px solid #0b5cab; }
#decline { background: #fff; color: #b3261e; border: 1px solid #b3261e; }
#approve-lost-ipn { background: #fff; color: #5b6876; border: 1px dashed #5b6876; }
.error { color: #b3261e; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #cfd6de; padding: .35rem .6rem; text-align: left; vertical-align: top; }
th { background: #eef2f6; }
.none { color: #9aa5b1; }`;
const STYLE_HASH = `'sha256-${createHash('sha256').update(CSS, 'utf8').digest('base64')}'`;

function securityHeaders(formAction: string): Record<string, string> {
  return {
    // No script, no image, no font, no frame: only this page's one style element, by its hash.
    'content-security-policy': `default-src 'none'; style-src ${STYLE_HASH}; base-uri 'none'; form-action ${formAction}; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
}

function htmlDocument(lang: 'vi' | 'en', title: string, body: Markup, wide = false): string {
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${new Markup(CSS)}</style>
</head>
<body>
<main${new Markup(wide ? ' class="wide"' : '')}>
<p class="sandbox" id="sandbox" role="note">SANDBOX — no money moves<br><span lang="vi">Môi trường thử nghiệm — không có tiền thật nào được chuyển</span></p>
${body}
</main>
</body>
</html>
`.text;
}

/** `150.000 ₫`: Vietnamese digit grouping. */
export function formatVnd(amountVnd: number): string {
  return `${String(amountVnd).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;
}

/** Vietnamese first, English beneath, or the other way round for vnp_Locale=en. */
function both(locale: 'vn' | 'en', vi: string, en: string): Markup {
  return locale === 'en'
    ? html`${en}<br><span class="en" lang="vi">${vi}</span>`
    : html`${vi}<br><span class="en" lang="en">${en}</span>`;
}
const slash = (locale: 'vn' | 'en', vi: string, en: string) =>
  locale === 'en' ? `${en} / ${vi}` : `${vi} / ${en}`;

function checkoutPage(tmnCode: string, tx: Transaction): string {
  const l = tx.locale;
  return htmlDocument(
    l === 'en' ? 'en' : 'vi',
    slash(l, 'Thanh toán VNPAY (thử nghiệm)', 'VNPAY checkout (sandbox)'),
    html`<h1>${both(l, 'Thanh toán trực tuyến', 'Online payment')}</h1>
<dl>
<dt>${both(l, 'Nhà cung cấp', 'Merchant')}</dt><dd class="code" id="merchant">${tmnCode}</dd>
<dt>${both(l, 'Số tiền', 'Amount')}</dt><dd><span id="amount">${formatVnd(tx.amountVnd)}</span></dd>
<dt>${both(l, 'Nội dung', 'Order info')}</dt><dd id="order-info">${tx.orderInfo}</dd>
<dt>${both(l, 'Mã tham chiếu', 'Reference')}</dt><dd class="code" id="txn-ref">${tx.txnRef}</dd>
</dl>
<form method="post" action="${DECIDE_PATH}" id="decide" aria-label="${slash(l, 'Xác nhận thanh toán', 'Confirm payment')}">
<input type="hidden" name="txnRef" value="${tx.txnRef}">
<input type="hidden" name="nonce" value="${tx.nonce}">
<label for="bank">${slash(l, 'Ngân hàng (không bắt buộc)', 'Bank (optional)')}</label>
<select id="bank" name="bankCode">
${BANKS.map(([code, , name]) => html`<option value="${code}">${name}</option>\n`)}</select>
<div class="actions">
<button type="submit" id="approve" name="decision" value="approve">${slash(l, 'Thanh toán', 'Pay')}</button>
<button type="submit" id="decline" name="decision" value="decline">${slash(l, 'Hủy', 'Cancel')}</button>
<button type="submit" id="approve-lost-ipn" name="decision" value="approve-lost-ipn">${slash(l, 'Thanh toán, mất IPN', 'Pay, IPN lost')}</button>
</div>
</form>`,
  );
}

function errorPage(code: string | undefined, vi: string, en: string, detail?: string): string {
  return htmlDocument(
    'vi',
    'Lỗi giao dịch · Transaction error',
    html`<h1 class="error">Giao dịch không thực hiện được<br><span class="en" lang="en">The transaction cannot go on</span></h1>
<p id="error" role="alert"${new Markup(code ? ` data-code="${escapeHtml(code)}"` : '')}>${
      code ? html`<strong>Mã lỗi · code ${code}</strong>: ` : ''
    }${vi}<br><span class="en" lang="en">${en}</span></p>
${detail ? html`<p class="code" id="error-detail">${detail}</p>` : ''}`,
  );
}

function listPage(transactions: readonly Transaction[]): string {
  const rows = transactions.toReversed().map(
    (tx) => html`<tr data-txn-ref="${tx.txnRef}" data-state="${tx.state}">
<td class="code">${tx.txnRef}</td>
<td>${formatVnd(tx.amountVnd)}${tx.refundedVnd > 0 ? html`<br><small>− ${formatVnd(tx.refundedVnd)}</small>` : ''}</td>
<td>${tx.state}${tx.decision ? html`<br><small>${tx.decision}</small>` : ''}</td>
<td class="code">${tx.transactionNo ?? ''}</td>
<td>${
      tx.ipnAttempts.length === 0
        ? html`<span class="none">—</span>`
        : tx.ipnAttempts.map(
            (a) =>
              html`#${a.attempt} ${a.status ?? ''} ${a.rspCode ?? ''} ${a.message ?? ''}${a.error ?? ''}${a.acknowledged ? ' ✓' : ''}<br>`,
          )
    }</td>
<td>${tx.orderInfo}</td>
</tr>`,
  );
  return htmlDocument(
    'vi',
    'Giao dịch thử nghiệm · Sandbox transactions',
    html`<h1>Giao dịch thử nghiệm<br><span class="en" lang="en">Sandbox transactions</span></h1>
${
  rows.length === 0
    ? html`<p class="none">Chưa có giao dịch · <span lang="en">No transaction yet</span></p>`
    : html`<table>
<thead><tr><th>Mã tham chiếu<br><span class="en">Reference</span></th><th>Số tiền<br><span class="en">Amount</span></th><th>Trạng thái<br><span class="en">State</span></th><th>Mã GD VNPAY<br><span class="en">Transaction no</span></th><th>IPN<br><span class="en">Attempts and replies</span></th><th>Nội dung<br><span class="en">Order info</span></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
}`,
    true,
  );
}

// ---- HTTP plumbing ----

function sendPage(response: ServerResponse, status: number, body: string, formAction = "'none'"): void {
  response
    .writeHead(status, { ...securityHeaders(formAction), 'content-type': 'text/html; charset=utf-8' })
    .end(body);
}

function sendJson(response: ServerResponse, value: unknown): void {
  response
    .writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    .end(JSON.stringify(value));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpFailure(413, 'Yêu cầu quá lớn', 'Request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One value per key: a repeated `vnp_*` key is refused rather than guessed at. */
function singleValued(search: URLSearchParams): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [key, value] of search) {
    if (Object.hasOwn(params, key)) return undefined;
    params[key] = value;
  }
  return params;
}

const withQuery = (base: string, params: Readonly<Record<string, string>>) =>
  `${base}${base.includes('?') ? '&' : '?'}${vnpaySignedData(params)}&vnp_SecureHash=${params.vnp_SecureHash}`;

const str = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : '';

function sameHash(offered: string, expected: string): boolean {
  if (!HASH_PATTERN.test(offered)) return false;
  const a = Buffer.from(offered, 'hex');
  const b = Buffer.from(expected, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function isDate(text: string): boolean {
  try {
    parseVnpayDate(text);
    return true;
  } catch {
    return false;
  }
}

/** The origin a checkout page's form may end up at (the 303 to the return URL), as a CSP source; undefined if unfit. */
function returnOrigin(returnUrl: string): string | undefined {
  try {
    const url = new URL(returnUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return /^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(url.origin) ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

const API_MESSAGES: Record<string, string> = {
  '00': 'Success',
  '02': 'Invalid merchant (vnp_TmnCode)',
  '03': 'Invalid data format',
  '04': 'Full refund not allowed after a partial refund',
  '91': 'Transaction not found',
  '93': 'Invalid refund amount: more than what remains refundable',
  '94': 'Duplicate request (same vnp_RequestId within 5 minutes)',
  '95': 'The transaction did not succeed at VNPAY: refund refused',
  '97': 'Invalid checksum',
  '99': 'Other error',
};

export async function startPaymentSandbox(options: PaymentSandboxOptions): Promise<PaymentSandbox> {
  const { tmnCode, hashSecret, journalFile, ipnUrl } = options;
  for (const [name, value] of Object.entries({ tmnCode, hashSecret, journalFile, ipnUrl })) {
    if (typeof value !== 'string' || value.trim() === '')
      throw new Error(`payment sandbox: ${name} is missing`);
  }
  if (!returnOrigin(ipnUrl)) throw new Error('payment sandbox: ipnUrl is not an absolute http(s) URL');
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale >= 0) || !Number.isFinite(timeScale)) throw new Error('payment sandbox: timeScale is ≥ 0');
  const send: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const log = options.log ?? (() => undefined);

  const transactions: Transaction[] = [];
  const byRef = new Map<string, Transaction>();
  const usedTransactionNos = new Set<string>();
  const requestSeen = new Map<string, number>();

  // ---- state changes: one function per journal line, used live and on replay alike ----

  function transactionOf(params: Record<string, string>, nonce: string, at: string): Transaction {
    return {
      txnRef: params.vnp_TxnRef!,
      amountVnd: fromVnpayAmount(params.vnp_Amount!)!,
      orderInfo: params.vnp_OrderInfo!,
      locale: params.vnp_Locale === 'en' ? 'en' : 'vn',
      returnUrl: params.vnp_ReturnUrl!,
      ipAddr: params.vnp_IpAddr!,
      createDate: params.vnp_CreateDate!,
      expireDate: params.vnp_ExpireDate!,
      recordedAt: at,
      state: 'pending',
      ipnAttempts: [],
      refunds: [],
      refundedVnd: 0,
      nonce,
    };
  }

  function apply(line: JournalLine): void {
    if (line.kind === 'checkout') {
      const tx = transactionOf(line.params, line.nonce, line.at);
      transactions.push(tx);
      byRef.set(tx.txnRef, tx);
      return;
    }
    if (line.kind === 'api') {
      if (line.requestId !== undefined) noteRequest(line.requestId, Date.parse(line.at));
      return;
    }
    const tx = byRef.get(line.txnRef);
    if (!tx) return;
    if (line.kind === 'decision') {
      tx.decision = line.decision;
      tx.decidedAt = line.at;
      tx.state = line.decision === 'decline' ? 'declined' : 'paid';
      tx.callback = line.callback;
      tx.transactionNo = line.callback.vnp_TransactionNo;
      tx.bankCode = line.callback.vnp_BankCode;
      tx.payDate = line.callback.vnp_PayDate;
      if (tx.transactionNo) usedTransactionNos.add(tx.transactionNo);
    } else if (line.kind === 'ipn') {
      const { kind: _kind, txnRef: _ref, ...attempt } = line;
      tx.ipnAttempts.push(attempt);
    } else {
      const { kind: _kind, txnRef: _ref, ...refund } = line;
      tx.refunds.push(refund);
      tx.refundedVnd += refund.amountVnd;
      tx.state = tx.refundedVnd >= tx.amountVnd ? 'refunded' : 'partially-refunded';
    }
  }

  /** Whether the request id was seen in the last 5 minutes; if not, it is from now on. */
  function noteRequest(requestId: string, atMs: number): boolean {
    const seen = requestSeen.get(requestId);
    if (seen !== undefined && atMs - seen < DUPLICATE_WINDOW_MS) return true;
    requestSeen.set(requestId, atMs);
    return false;
  }

  await mkdir(dirname(journalFile), { recursive: true });
  for (const line of await readJournal<JournalLine>(journalFile)) apply(line);

  // Appends one at a time, in order; a state change is answered only once its line is written.
  let writes: Promise<void> = Promise.resolve();
  const record = (line: JournalLine): Promise<void> => {
    apply(line);
    const write = writes.then(() => appendFile(journalFile, `${JSON.stringify(line)}\n`));
    writes = write.catch(() => undefined);
    return write;
  };

  function newTransactionNo(): string {
    for (;;) {
      const candidate = String(randomInt(10_000_000, 100_000_000));
      if (!usedTransactionNos.has(candidate)) {
        usedTransactionNos.add(candidate);
        return candidate;
      }
    }
  }

  // ---- IPN: the first attempt before the redirect, the retries in the background ----

  let closing = false;
  const stopping = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<unknown>>();
  const track = (task: Promise<unknown>) => {
    const tracked = task
      .catch((error: unknown) => log('payment sandbox task failed', { error: String(error) }))
      .finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  async function attemptIpn(tx: Transaction, attempt: number): Promise<boolean> {
    const result: SandboxIpnAttempt = { attempt, at: new Date().toISOString(), acknowledged: false };
    try {
      const response = await send(withQuery(ipnUrl, tx.callback!), {
        method: 'GET',
        headers: { accept: 'application/json' },
        signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(IPN_TIMEOUT_MS)]),
      });
      result.status = response.status;
      const text = await response.text();
      let reply: unknown;
      try {
        reply = JSON.parse(text);
      } catch {
        result.error = 'the reply is not JSON';
      }
      if (reply !== null && typeof reply === 'object') {
        const { RspCode, Message } = reply as Record<string, unknown>;
        if (typeof RspCode === 'string') result.rspCode = RspCode;
        if (typeof Message === 'string') result.message = Message.slice(0, 200);
      }
      result.acknowledged = response.ok && (result.rspCode === '00' || result.rspCode === '02');
    } catch (error) {
      result.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    log('payment sandbox IPN attempt', {
      txnRef: tx.txnRef,
      attempt,
      status: result.status,
      rspCode: result.rspCode,
      acknowledged: result.acknowledged,
      ...(result.error ? { error: result.error } : {}),
    });
    await record({ kind: 'ipn', txnRef: tx.txnRef, ...result });
    return result.acknowledged;
  }

  function scheduleIpn(tx: Transaction, attempt: number): void {
    if (closing || attempt > MAX_IPN_ATTEMPTS) return;
    const delay = attempt <= 1 ? 0 : FIRST_RETRY_DELAY_MS * 2 ** (attempt - 2) * timeScale;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (closing) return;
      track(
        attemptIpn(tx, attempt).then((acknowledged) => {
          if (!acknowledged) scheduleIpn(tx, attempt + 1);
        }),
      );
    }, delay);
    timers.add(timer);
  }

  // A restart picks up the retries a stop cut short.
  for (const tx of transactions) {
    if (!tx.callback || tx.decision === 'approve-lost-ipn') continue;
    if (tx.ipnAttempts.some((a) => a.acknowledged)) continue;
    scheduleIpn(tx, tx.ipnAttempts.length + 1);
  }

  // ---- the pay page ----

  function checkPayParams(params: Record<string, string>): void {
    // Nothing is read before the signature holds, as the adapter does with callbacks.
    if (!verifyVnpayParams(params, hashSecret)) throw invalidSignature();
    const required = [
      'vnp_Version',
      'vnp_Command',
      'vnp_TmnCode',
      'vnp_Amount',
      'vnp_CurrCode',
      'vnp_TxnRef',
      'vnp_OrderInfo',
      'vnp_ReturnUrl',
      'vnp_IpAddr',
      'vnp_CreateDate',
      'vnp_ExpireDate',
      'vnp_Locale',
    ];
    for (const key of required) if (!params[key]?.trim()) throw invalidFormat(`${key} is missing`);
    if (params.vnp_Version !== VNPAY_VERSION) throw invalidFormat('vnp_Version');
    if (params.vnp_Command !== 'pay') throw invalidFormat('vnp_Command');
    if (params.vnp_TmnCode !== tmnCode) throw invalidMerchant();
    if (fromVnpayAmount(params.vnp_Amount!) === undefined) throw invalidFormat('vnp_Amount');
    if (params.vnp_CurrCode !== 'VND') throw invalidFormat('vnp_CurrCode');
    if (params.vnp_TxnRef!.length > 100) throw invalidFormat('vnp_TxnRef');
    if (params.vnp_OrderInfo!.length > 255) throw invalidFormat('vnp_OrderInfo');
    if (!returnOrigin(params.vnp_ReturnUrl!)) throw invalidFormat('vnp_ReturnUrl');
    if (params.vnp_Locale !== 'vn' && params.vnp_Locale !== 'en') throw invalidFormat('vnp_Locale');
    if (!isDate(params.vnp_CreateDate!)) throw invalidFormat('vnp_CreateDate');
    if (!isDate(params.vnp_ExpireDate!)) throw invalidFormat('vnp_ExpireDate');
    const expiresAt = parseVnpayDate(params.vnp_ExpireDate!).getTime();
    if (expiresAt <= parseVnpayDate(params.vnp_CreateDate!).getTime()) throw invalidFormat('vnp_ExpireDate');
    if (Date.now() > expiresAt) throw expired();
  }

  async function payPage(url: URL, response: ServerResponse): Promise<void> {
    const params = singleValued(url.searchParams);
    if (!params) throw invalidFormat('a parameter is repeated');
    checkPayParams(params);
    const txnRef = params.vnp_TxnRef!;
    let tx = byRef.get(txnRef);
    if (tx) {
      if (tx.amountVnd !== fromVnpayAmount(params.vnp_Amount!) || tx.createDate !== params.vnp_CreateDate) {
        throw duplicateTxnRef();
      }
      if (tx.decision) throw alreadyDecided();
    } else {
      const signed = Object.fromEntries(Object.entries(params).filter(([key]) => key.startsWith('vnp_')));
      await record({
        kind: 'checkout',
        at: new Date().toISOString(),
        params: signed,
        nonce: randomBytes(18).toString('base64url'),
      });
      tx = byRef.get(txnRef)!;
      log('payment sandbox checkout', { txnRef, amountVnd: tx.amountVnd });
    }
    sendPage(response, 200, checkoutPage(tmnCode, tx), `'self' ${returnOrigin(tx.returnUrl)}`);
  }

  const alreadyDecided = () =>
    new HttpFailure(409, 'Giao dịch này đã được xử lý', 'This transaction has already been decided');

  function callbackOf(tx: Transaction, decision: SandboxDecision, bankCode: string): Record<string, string> {
    const approved = decision !== 'decline';
    const transactionNo = approved ? newTransactionNo() : '0';
    const params: Record<string, string> = {
      vnp_Amount: String(tx.amountVnd * 100),
      vnp_BankCode: bankCode,
      ...(approved ? { vnp_BankTranNo: `VNP${transactionNo}` } : {}),
      vnp_CardType: CARD_TYPES[bankCode] ?? 'ATM',
      vnp_OrderInfo: tx.orderInfo,
      vnp_PayDate: vnpayDate(new Date()),
      vnp_ResponseCode: approved ? '00' : '24',
      vnp_TmnCode: tmnCode,
      vnp_TransactionNo: transactionNo,
      vnp_TransactionStatus: approved ? '00' : '02',
      vnp_TxnRef: tx.txnRef,
    };
    return { ...params, vnp_SecureHash: signVnpayParams(params, hashSecret) };
  }

  async function decide(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(request));
    const tx = byRef.get(form.get('txnRef') ?? '');
    if (!tx) throw new HttpFailure(404, 'Không tìm thấy giao dịch', 'No such transaction');
    if (!sameText(form.get('nonce') ?? '', tx.nonce)) {
      throw new HttpFailure(403, 'Biểu mẫu không hợp lệ', 'This form is not the one the sandbox served');
    }
    if (tx.decision) throw alreadyDecided();
    const decision = form.get('decision');
    if (decision !== 'approve' && decision !== 'decline' && decision !== 'approve-lost-ipn') {
      throw invalidFormat('decision');
    }
    const bankCode = form.get('bankCode') || 'NCB';
    if (!(bankCode in CARD_TYPES)) throw invalidFormat('bankCode');
    if (Date.now() > parseVnpayDate(tx.expireDate).getTime()) throw expired();
    // Decided in memory before the first await, so a second click racing this one gets the 409.
    const line: JournalLine = {
      kind: 'decision',
      at: new Date().toISOString(),
      txnRef: tx.txnRef,
      decision,
      callback: callbackOf(tx, decision, bankCode),
    };
    await record(line);
    log('payment sandbox decision', { txnRef: tx.txnRef, decision });
    if (decision !== 'approve-lost-ipn') {
      const first = attemptIpn(tx, 1).then((acknowledged) => {
        if (!acknowledged) scheduleIpn(tx, 2);
      });
      track(first);
      await first;
    }
    response
      .writeHead(303, { location: withQuery(tx.returnUrl, line.callback), 'cache-control': 'no-store' })
      .end();
  }

  // ---- the merchant API ----

  type ApiAnswer = Record<string, string>;

  function answer(command: string, code: string, fields: Record<string, string> = {}): ApiAnswer {
    const body: ApiAnswer = {
      vnp_ResponseId: randomBytes(16).toString('hex'),
      vnp_Command: command,
      vnp_ResponseCode: code,
      vnp_Message: API_MESSAGES[code] ?? 'Other error',
      vnp_TmnCode: tmnCode,
      ...fields,
    };
    const signedFields = command === 'refund' ? REFUND_RESPONSE_FIELDS : QUERYDR_RESPONSE_FIELDS;
    return { ...body, vnp_SecureHash: signVnpayFields(signedFields, body, hashSecret) };
  }

  /** The checks querydr and refund share, in VNPay's order; a response code, or undefined when all hold. */
  function commonRefusal(fields: readonly string[], body: Record<string, unknown>): string | undefined {
    if (!sameHash(str(body.vnp_SecureHash), signVnpayFields(fields, body, hashSecret))) return '97';
    if (str(body.vnp_TmnCode) !== tmnCode) return '02';
    const requestId = str(body.vnp_RequestId);
    if (!requestId || requestId.length > 32) return '03';
    if (str(body.vnp_Version) !== VNPAY_VERSION) return '03';
    for (const key of ['vnp_TxnRef', 'vnp_OrderInfo', 'vnp_IpAddr']) if (!str(body[key]).trim()) return '03';
    if (!isDate(str(body.vnp_CreateDate)) || !isDate(str(body.vnp_TransactionDate))) return '03';
    return undefined;
  }

  /** The transaction a request names: VNPay finds it by TxnRef and the payment's original CreateDate. */
  function named(body: Record<string, unknown>): Transaction | undefined {
    const tx = byRef.get(str(body.vnp_TxnRef));
    return tx && tx.createDate === str(body.vnp_TransactionDate) ? tx : undefined;
  }

  function querydr(body: Record<string, unknown>): { code: string; answer: ApiAnswer } {
    const tx = named(body);
    if (!tx) return { code: '91', answer: answer('querydr', '91', { vnp_TxnRef: str(body.vnp_TxnRef) }) };
    const transactionType = tx.refunds.some((r) => r.transactionType === '03')
      ? '03'
      : tx.refunds.length > 0
        ? '02'
        : '01';
    const transactionStatus = tx.state === 'pending' ? '01' : tx.state === 'declined' ? '02' : '00';
    return {
      code: '00',
      answer: answer('querydr', '00', {
        vnp_TxnRef: tx.txnRef,
        vnp_Amount: String(tx.amountVnd * 100),
        vnp_BankCode: tx.bankCode ?? '',
        vnp_PayDate: tx.payDate ?? '',
        // VNPay has no number for a transaction nobody has paid yet; it answers 0.
        vnp_TransactionNo: tx.transactionNo ?? '0',
        vnp_TransactionType: transactionType,
        vnp_TransactionStatus: transactionStatus,
        vnp_OrderInfo: tx.orderInfo,
      }),
    };
  }

  async function refund(body: Record<string, unknown>): Promise<{ code: string; answer: ApiAnswer }> {
    const refusal = (code: string) => ({
      code,
      answer: answer('refund', code, { vnp_TxnRef: str(body.vnp_TxnRef) }),
    });
    const transactionType = str(body.vnp_TransactionType);
    const amountVnd = fromVnpayAmount(str(body.vnp_Amount));
    if (transactionType !== '02' && transactionType !== '03') return refusal('03');
    if (amountVnd === undefined || !str(body.vnp_CreateBy).trim()) return refusal('03');
    const tx = named(body);
    if (!tx) return refusal('91');
    if (tx.state === 'pending' || tx.state === 'declined') return refusal('95');
    const transactionNo = str(body.vnp_TransactionNo);
    if (transactionNo && transactionNo !== tx.transactionNo) return refusal('91');
    const remaining = tx.amountVnd - tx.refundedVnd;
    if (transactionType === '02') {
      if (tx.refunds.some((r) => r.transactionType === '03')) return refusal('04');
      if (remaining < tx.amountVnd || amountVnd !== tx.amountVnd) return refusal('93');
    } else if (amountVnd > remaining) {
      return refusal('93');
    }
    const at = new Date();
    await record({
      kind: 'refund',
      txnRef: tx.txnRef,
      requestId: str(body.vnp_RequestId),
      transactionType,
      amountVnd,
      at: at.toISOString(),
      createBy: str(body.vnp_CreateBy),
    });
    log('payment sandbox refund', { txnRef: tx.txnRef, transactionType, amountVnd });
    return {
      code: '00',
      answer: answer('refund', '00', {
        vnp_TxnRef: tx.txnRef,
        vnp_Amount: String(amountVnd * 100),
        vnp_BankCode: tx.bankCode ?? '',
        vnp_PayDate: vnpayDate(at),
        vnp_TransactionNo: tx.transactionNo ?? '0',
        vnp_TransactionType: transactionType,
        vnp_TransactionStatus: '00',
        vnp_OrderInfo: str(body.vnp_OrderInfo),
      }),
    };
  }

  async function api(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(request));
    } catch (error) {
      if (error instanceof HttpFailure) throw error;
      body = undefined;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return sendJson(response, answer('querydr', '03'));
    }
    const fields = body as Record<string, unknown>;
    const command = str(fields.vnp_Command);
    if (command !== 'querydr' && command !== 'refund') {
      return sendJson(response, answer(command || 'querydr', '03'));
    }
    const requestFields = command === 'querydr' ? QUERYDR_REQUEST_FIELDS : REFUND_REQUEST_FIELDS;
    const at = new Date();
    const refused = commonRefusal(requestFields, fields);
    // Only an authentic, well-formed request takes a place in the duplicate window.
    const requestId = refused === undefined ? str(fields.vnp_RequestId) : undefined;
    let result: { code: string; answer: ApiAnswer };
    if (refused !== undefined) {
      result = { code: refused, answer: answer(command, refused, { vnp_TxnRef: str(fields.vnp_TxnRef) }) };
    } else if (noteRequest(requestId!, at.getTime())) {
      result = { code: '94', answer: answer(command, '94', { vnp_TxnRef: str(fields.vnp_TxnRef) }) };
    } else {
      result = command === 'querydr' ? querydr(fields) : await refund(fields);
    }
    const txnRef = str(fields.vnp_TxnRef);
    await record({
      kind: 'api',
      at: at.toISOString(),
      command,
      ...(requestId !== undefined ? { requestId } : {}),
      ...(txnRef ? { txnRef } : {}),
      responseCode: result.code,
    });
    log('payment sandbox api', { command, txnRef, responseCode: result.code });
    sendJson(response, result.answer);
  }

  // ---- routing ----

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    const method = request.method ?? 'GET';
    const routes: Record<string, [string, () => Promise<void> | void]> = {
      '/': ['GET', () => sendPage(response, 200, listPage(transactions))],
      [PAY_PATH]: ['GET', () => payPage(url, response)],
      [DECIDE_PATH]: ['POST', () => decide(request, response)],
      [API_PATH]: ['POST', () => api(request, response)],
    };
    const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined;
    if (!route) throw new HttpFailure(404, 'Không tìm thấy trang', 'Not found');
    const [allowed, run] = route;
    if (method !== allowed && !(allowed === 'GET' && method === 'HEAD')) {
      response.setHeader('allow', allowed === 'GET' ? 'GET, HEAD' : allowed);
      throw new HttpFailure(405, 'Phương thức không được phép', 'Method not allowed');
    }
    await run();
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) return void response.destroy();
      if (error instanceof PayPageError) {
        sendPage(response, error.status, errorPage(error.code, error.vi, error.en, error.detail));
      } else if (error instanceof HttpFailure) {
        // The rest of an oversized body is never read: the connection cannot carry another request.
        if (error.status === 413) response.setHeader('connection', 'close');
        sendPage(response, error.status, errorPage(undefined, error.vi, error.en));
      } else {
        log('payment sandbox request failed', { path: request.url?.split('?')[0], error: String(error) });
        sendPage(response, 500, errorPage('99', 'Lỗi hệ thống thử nghiệm', 'Sandbox internal error'));
      }
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  log('payment sandbox listening', { url, transactions: transactions.length });

  return {
    url,
    payUrl: `${url}${PAY_PATH}`,
    apiUrl: `${url}${API_PATH}`,
    transactions: () => transactions.map(({ nonce: _nonce, ...tx }) => structuredClone(tx)),
    async close() {
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      stopping.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await Promise.allSettled([...inFlight]);
      await writes;
    },
  };
}
