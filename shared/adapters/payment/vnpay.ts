// VNPay v2.1.0 behind the PaymentProvider port: a redirect URL and callbacks signed with HMAC-SHA512 over the sorted,
// URL-encoded `vnp_*` parameters; `querydr` and `refund` as JSON POSTs signed over `|`-joined fields. Pure apart from
// the injected transport; node:crypto only. The signing functions are exported so the local sandbox provider signs
// and verifies with this very code, not a copy of it.
//
// Sources: the pay/IPN scheme from VNPay's integration guide (sandbox.vnpayment.vn/apis/docs/thanh-toan-pay/pay.html)
// and its PHP/Node samples. The querydr and refund field orders (requests and responses) were confirmed against the
// open-source `vnpay` npm library (github.com/lehuygiang28/vnpay, src/services/query.service.ts) and several
// independent integrations that agree with it; VNPay's own page (apis/docs/truy-van-hoan-tien/querydr&refund.html)
// was found but its checksum section was not readable there. They match FACTS.md where FACTS names them.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../../errors';
import type {
  CallbackOutcomeCode,
  CallbackVerification,
  CheckoutRequest,
  HttpTransport,
  PaymentProvider,
  ProviderUnavailable,
  QueryRequest,
  QueryResult,
  RefundRequest,
  RefundResult,
  RejectedMessage,
  TransactionKind,
} from '../../ports/payment-provider';

export const VNPAY_VERSION = '2.1.0';
const SECURE_HASH = 'vnp_SecureHash';
/** Sent by 2.0.x only; never part of the signed data either way. */
const SECURE_HASH_TYPE = 'vnp_SecureHashType';
const HASH_PATTERN = /^[0-9a-fA-F]{128}$/;
const GMT7_MS = 7 * 60 * 60 * 1000;
/** `vnp_Amount` is Numeric[1,12] in hundredths of a đồng. */
const MAX_VND = 9_999_999_999;
const REQUEST_TIMEOUT_MS = 15_000;

export interface VnpayConfig {
  /** `vnp_TmnCode`: the merchant terminal VNPay issued. */
  tmnCode: string;
  /** The HMAC key; never logged, never in an error message. */
  hashSecret: string;
  /** The redirect page, e.g. `https://sandbox.vnpayment.vn/paymentv2/vpcpay.html`. */
  payUrl: string;
  /** The merchant API, e.g. `https://sandbox.vnpayment.vn/merchant_webapi/api/transaction`. */
  apiUrl: string;
}

// ---- dates: VNPay reads and writes wall-clock time in Vietnam (GMT+7, no daylight saving) ----

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `yyyyMMddHHmmss` in GMT+7, whatever the machine's time zone. */
export function vnpayDate(date: Date): string {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('not a valid date');
  const local = new Date(ms + GMT7_MS);
  const year = local.getUTCFullYear();
  if (year < 1000 || year > 9999) throw new RangeError('a VNPay date has a four-digit year');
  return (
    pad(year, 4) +
    pad(local.getUTCMonth() + 1) +
    pad(local.getUTCDate()) +
    pad(local.getUTCHours()) +
    pad(local.getUTCMinutes()) +
    pad(local.getUTCSeconds())
  );
}

/** The inverse of vnpayDate; RangeError for anything that is not a real GMT+7 `yyyyMMddHHmmss` instant. */
export function parseVnpayDate(text: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!match) throw new RangeError('a VNPay date is yyyyMMddHHmmss');
  const [y, mo, d, h, mi, s] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s) - GMT7_MS);
  // Date.UTC rolls 31 February over into March; the round trip refuses it instead.
  if (vnpayDate(date) !== text) throw new RangeError('a VNPay date names a day or time that does not exist');
  return date;
}

// ---- amounts: integer VND on our side, hundredths on VNPay's ----

/** `vnp_Amount` for an integer VND amount; RangeError for a fractional, non-positive or too large one. */
export function toVnpayAmount(amountVnd: number): string {
  if (!Number.isSafeInteger(amountVnd) || amountVnd <= 0 || amountVnd > MAX_VND) {
    throw new RangeError(`an amount is a whole number of VND from 1 to ${MAX_VND}`);
  }
  return String(amountVnd * 100);
}

/** Integer VND from a `vnp_Amount`, or undefined when it is not a whole number of đồng. */
export function fromVnpayAmount(text: string): number | undefined {
  if (!/^\d{1,12}$/.test(text)) return undefined;
  const hundredths = Number(text);
  return hundredths > 0 && hundredths % 100 === 0 ? hundredths / 100 : undefined;
}

// ---- the redirect / callback signature ----

/**
 * One key or value as VNPay's samples encode it: PHP `urlencode` (UTF-8 bytes, only `A-Za-z0-9-_.` left as they
 * are, so `!'()*~` are encoded too, unlike encodeURIComponent). One difference, on purpose: spaces become `%20`, as
 * FACTS.md says, where PHP `urlencode`, Java `URLEncoder` and VNPay's Node sample write `+`. verifyVnpayParams also
 * accepts the `+` form (see there); `space: '+'` exists for that.
 */
export function vnpayEncode(value: string, space: '%20' | '+' = '%20'): string {
  const encoded = encodeURIComponent(value).replace(
    /[!'()*~]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  // A literal `%` is `%25` by now, so every `%20` left stands for a space.
  return space === '+' ? encoded.replaceAll('%20', '+') : encoded;
}

/**
 * The signed data of a redirect or callback: every `vnp_*` parameter but the hash itself, sorted by key, each key and
 * value encoded, joined as `k=v&k=v`. The checkout URL's query string is this very string, as in VNPay's samples.
 * Other parameters (ours, on the same URL) are neither signed nor trusted.
 */
export function vnpaySignedData(
  params: Readonly<Record<string, string>>,
  space: '%20' | '+' = '%20',
): string {
  return Object.keys(params)
    .filter((key) => key.startsWith('vnp_') && key !== SECURE_HASH && key !== SECURE_HASH_TYPE)
    .sort()
    .map((key) => `${vnpayEncode(key, space)}=${vnpayEncode(params[key]!, space)}`)
    .join('&');
}

/** Lower-case hex HMAC-SHA512 of the signed data, keyed with the secret's UTF-8 bytes. */
export function vnpayHmac(data: string, hashSecret: string): string {
  return createHmac('sha512', hashSecret).update(data, 'utf8').digest('hex');
}

/** `vnp_SecureHash` for a set of parameters: what the checkout URL carries and what the sandbox's callbacks carry. */
export function signVnpayParams(params: Readonly<Record<string, string>>, hashSecret: string): string {
  return vnpayHmac(vnpaySignedData(params), hashSecret);
}

/** Constant-time comparison of an offered hex hash with the expected one; any case, exactly 64 bytes. */
function sameHash(offered: string, expected: string): boolean {
  if (!HASH_PATTERN.test(offered)) return false;
  const a = Buffer.from(offered, 'hex');
  const b = Buffer.from(expected, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether `vnp_SecureHash` signs these parameters. The `%20` form is ours (FACTS.md); the `+` form is the one VNPay's
 * own samples build, so a callback VNPay signed that way is not refused for a space in `vnp_OrderInfo`. Accepting both
 * forges nothing: `+` never appears in the `%20` form (a literal `+` is `%2B`), so the two strings can only be equal
 * when there is no space at all, and then they are the same string for the same parameters.
 */
export function verifyVnpayParams(params: Readonly<Record<string, string>>, hashSecret: string): boolean {
  const offered = params[SECURE_HASH];
  if (typeof offered !== 'string') return false;
  try {
    return (['%20', '+'] as const).some((space) =>
      sameHash(offered, vnpayHmac(vnpaySignedData(params, space), hashSecret)),
    );
  } catch (error) {
    // A lone surrogate cannot be URL-encoded, so it cannot have been signed.
    if (error instanceof URIError) return false;
    throw error;
  }
}

// ---- the merchant API signature: fixed fields joined with `|`, not URL-encoded ----

export const QUERYDR_REQUEST_FIELDS = [
  'vnp_RequestId',
  'vnp_Version',
  'vnp_Command',
  'vnp_TmnCode',
  'vnp_TxnRef',
  'vnp_TransactionDate',
  'vnp_CreateDate',
  'vnp_IpAddr',
  'vnp_OrderInfo',
] as const;

export const QUERYDR_RESPONSE_FIELDS = [
  'vnp_ResponseId',
  'vnp_Command',
  'vnp_ResponseCode',
  'vnp_Message',
  'vnp_TmnCode',
  'vnp_TxnRef',
  'vnp_Amount',
  'vnp_BankCode',
  'vnp_PayDate',
  'vnp_TransactionNo',
  'vnp_TransactionType',
  'vnp_TransactionStatus',
  'vnp_OrderInfo',
  'vnp_PromotionCode',
  'vnp_PromotionAmount',
] as const;

export const REFUND_REQUEST_FIELDS = [
  'vnp_RequestId',
  'vnp_Version',
  'vnp_Command',
  'vnp_TmnCode',
  'vnp_TransactionType',
  'vnp_TxnRef',
  'vnp_Amount',
  'vnp_TransactionNo',
  'vnp_TransactionDate',
  'vnp_CreateBy',
  'vnp_CreateDate',
  'vnp_IpAddr',
  'vnp_OrderInfo',
] as const;

/** The querydr response's fields without the promotion pair. */
export const REFUND_RESPONSE_FIELDS = QUERYDR_RESPONSE_FIELDS.slice(0, 13);

/** A JSON field as signed: strings as they are, finite numbers in decimal, anything else (absent, null) empty. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

/** The `|`-joined data of a merchant API request or response, in the given field order. */
export function vnpayPipeData(fields: readonly string[], body: Readonly<Record<string, unknown>>): string {
  return fields.map((field) => text(body[field])).join('|');
}

/** `vnp_SecureHash` of a merchant API request or response (the sandbox signs its answers with this). */
export function signVnpayFields(
  fields: readonly string[],
  body: Readonly<Record<string, unknown>>,
  hashSecret: string,
): string {
  return vnpayHmac(vnpayPipeData(fields, body), hashSecret);
}

// ---- the adapter ----

/** VNPay's acknowledgement of a callback (a type, not an interface, so it is a CallbackReply record). */
export type VnpayIpnReply = { RspCode: CallbackOutcomeCode; Message: string };

export interface VnpayProvider extends PaymentProvider {
  ipnReply(code: CallbackOutcomeCode): VnpayIpnReply;
}

/** The messages of VNPay's IPN sample; VNPay reads only RspCode. */
const IPN_MESSAGES: Record<CallbackOutcomeCode, string> = {
  '00': 'Confirm Success',
  '01': 'Order not found',
  '02': 'Order already confirmed',
  '04': 'Invalid amount',
  '97': 'Invalid signature',
  '99': 'Unknown error',
};

const TRANSACTION_KINDS: Readonly<Record<string, TransactionKind>> = {
  '01': 'payment',
  '02': 'full-refund',
  '03': 'partial-refund',
};

const BAD_SIGNATURE: RejectedMessage = { ok: false, reason: 'bad-signature' };
const MALFORMED: RejectedMessage = { ok: false, reason: 'malformed' };

function requireConfig(config: VnpayConfig): void {
  for (const name of ['tmnCode', 'hashSecret'] as const) {
    if (typeof config[name] !== 'string' || config[name].trim() === '') {
      throw new ConfigError(`VNPay ${name} is missing`);
    }
  }
  for (const name of ['payUrl', 'apiUrl'] as const) {
    let url: URL | undefined;
    try {
      url = new URL(config[name]);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new ConfigError(`VNPay ${name} is not an absolute http(s) URL`);
    }
  }
}

/**
 * A field we send: non-empty, and no `|` in anything that goes into a `|`-joined signature, where `a|b` + `c` and
 * `a` + `b|c` would sign the same bytes.
 */
function field(name: string, value: string, max = 255, piped = false): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw new RangeError(`${name} is 1 to ${max} characters`);
  }
  if (piped && value.includes('|')) throw new RangeError(`${name} cannot contain "|"`);
  return value;
}

/** Optional fields of a verified message: present only when non-empty. */
function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

/** ISO instant of a non-empty `vnp_PayDate`; null when it is present but unreadable. */
function payDateOf(value: string | undefined): string | undefined | null {
  if (!value) return undefined;
  try {
    return parseVnpayDate(value).toISOString();
  } catch {
    return null;
  }
}

export function vnpayProvider(
  config: VnpayConfig,
  transport: HttpTransport = (url, init) => fetch(url, init),
): VnpayProvider {
  requireConfig(config);
  const { tmnCode, hashSecret } = config;

  async function post(
    body: Record<string, string | number>,
  ): Promise<{ ok: true; body: Record<string, unknown> } | ProviderUnavailable | RejectedMessage> {
    const response = await transport(config.apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!response.ok) return { ok: false, reason: 'unavailable', status: response.status };
    let answer: unknown;
    try {
      answer = await response.json();
    } catch {
      return MALFORMED;
    }
    if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return MALFORMED;
    return { ok: true, body: answer as Record<string, unknown> };
  }

  /**
   * Checks an API answer's signature with our own command and terminal put in: an answer to another command, or for
   * another merchant, then fails like a forgery, and a response that leaves either field out still verifies.
   */
  function authentic(fields: readonly string[], command: string, body: Record<string, unknown>): boolean {
    const expected = signVnpayFields(
      fields,
      { ...body, vnp_Command: command, vnp_TmnCode: tmnCode },
      hashSecret,
    );
    return sameHash(text(body[SECURE_HASH]), expected);
  }

  return {
    checkoutUrl(request: CheckoutRequest): string {
      const createdAt = request.createdAt.getTime();
      if (!(request.expiresAt.getTime() > createdAt)) {
        throw new RangeError('a payment expires after it is created');
      }
      const params: Record<string, string> = {
        vnp_Version: VNPAY_VERSION,
        vnp_Command: 'pay',
        vnp_TmnCode: tmnCode,
        vnp_Amount: toVnpayAmount(request.amountVnd),
        vnp_CurrCode: 'VND',
        vnp_TxnRef: field('paymentId', request.paymentId, 100),
        vnp_OrderInfo: field('orderInfo', request.orderInfo),
        vnp_OrderType: 'other',
        vnp_Locale: request.locale === 'vi' ? 'vn' : 'en',
        vnp_ReturnUrl: field('returnUrl', request.returnUrl, 2000),
        vnp_IpAddr: field('clientIp', request.clientIp, 45),
        vnp_CreateDate: vnpayDate(request.createdAt),
        vnp_ExpireDate: vnpayDate(request.expiresAt),
      };
      const data = vnpaySignedData(params);
      const separator = config.payUrl.includes('?') ? '&' : '?';
      return `${config.payUrl}${separator}${data}&${SECURE_HASH}=${vnpayHmac(data, hashSecret)}`;
    },

    verifyCallback(params): CallbackVerification {
      // Nothing is read before the signature holds.
      if (!verifyVnpayParams(params, hashSecret)) return BAD_SIGNATURE;
      const {
        vnp_TmnCode,
        vnp_TxnRef,
        vnp_Amount,
        vnp_ResponseCode,
        vnp_TransactionStatus,
        vnp_TransactionNo,
        vnp_BankCode,
        vnp_PayDate,
      } = params;
      // Our own checkout URL verifies too (same key, same scheme) but has no result in it: it is not a callback.
      if (vnp_TmnCode !== tmnCode || !vnp_TxnRef || !vnp_ResponseCode || !vnp_TransactionStatus)
        return MALFORMED;
      if (vnp_TransactionNo === undefined || vnp_TransactionNo === '') return MALFORMED;
      const amountVnd = fromVnpayAmount(vnp_Amount ?? '');
      const payDate = payDateOf(vnp_PayDate);
      if (amountVnd === undefined || payDate === null) return MALFORMED;
      return {
        ok: true,
        paymentId: vnp_TxnRef,
        amountVnd,
        succeeded: vnp_ResponseCode === '00' && vnp_TransactionStatus === '00',
        providerTransactionNo: vnp_TransactionNo,
        ...optional('bankCode', vnp_BankCode),
        ...optional('payDate', payDate),
        responseCode: vnp_ResponseCode,
        transactionStatus: vnp_TransactionStatus,
      };
    },

    ipnReply(code) {
      const message = IPN_MESSAGES[code];
      if (message === undefined) throw new RangeError(`no IPN reply code ${String(code)}`);
      return { RspCode: code, Message: message };
    },

    async query(request: QueryRequest): Promise<QueryResult> {
      const body: Record<string, string> = {
        vnp_RequestId: field('requestId', request.requestId, 32, true),
        vnp_Version: VNPAY_VERSION,
        vnp_Command: 'querydr',
        vnp_TmnCode: tmnCode,
        vnp_TxnRef: field('paymentId', request.paymentId, 100, true),
        vnp_OrderInfo: field('description', request.description, 255, true),
        // The payment's own vnp_CreateDate: VNPay finds the transaction by TxnRef and this date (FACTS.md).
        vnp_TransactionDate: vnpayDate(request.paymentCreatedAt),
        vnp_CreateDate: vnpayDate(request.requestedAt),
        vnp_IpAddr: field('serverIp', request.serverIp, 45, true),
      };
      body[SECURE_HASH] = signVnpayFields(QUERYDR_REQUEST_FIELDS, body, hashSecret);
      const answer = await post(body);
      if (!answer.ok) return answer;
      const response = answer.body;
      // Unsigned error answers are refused too: a not-found lets the caller cancel a payment, so it must be authentic.
      if (!authentic(QUERYDR_RESPONSE_FIELDS, 'querydr', response)) return BAD_SIGNATURE;
      const responseCode = text(response.vnp_ResponseCode);
      const message = text(response.vnp_Message);
      if (responseCode === '91') return { ok: true, outcome: 'not-found', responseCode, message };
      if (responseCode === '94') return { ok: true, outcome: 'duplicate-request', responseCode, message };
      if (responseCode !== '00') return { ok: true, outcome: 'refused', responseCode, message };
      const amountVnd = fromVnpayAmount(text(response.vnp_Amount));
      const kind = TRANSACTION_KINDS[text(response.vnp_TransactionType)];
      const providerTransactionNo = text(response.vnp_TransactionNo);
      const transactionStatus = text(response.vnp_TransactionStatus);
      const payDate = payDateOf(text(response.vnp_PayDate));
      if (
        text(response.vnp_TxnRef) !== request.paymentId ||
        amountVnd === undefined ||
        kind === undefined ||
        providerTransactionNo === '' ||
        transactionStatus === '' ||
        payDate === null
      ) {
        return MALFORMED;
      }
      return {
        ok: true,
        outcome: 'found',
        paymentId: request.paymentId,
        amountVnd,
        succeeded: transactionStatus === '00',
        kind,
        providerTransactionNo,
        ...optional('bankCode', text(response.vnp_BankCode)),
        ...optional('payDate', payDate),
        responseCode,
        transactionStatus,
      };
    },

    async refund(request: RefundRequest): Promise<RefundResult> {
      const body: Record<string, string | number> = {
        vnp_RequestId: field('requestId', request.requestId, 32, true),
        vnp_Version: VNPAY_VERSION,
        vnp_Command: 'refund',
        vnp_TmnCode: tmnCode,
        vnp_TransactionType: request.kind === 'full' ? '02' : '03',
        vnp_TxnRef: field('paymentId', request.paymentId, 100, true),
        vnp_Amount: Number(toVnpayAmount(request.amountVnd)),
        vnp_TransactionNo: field('providerTransactionNo', request.providerTransactionNo, 15, true),
        vnp_TransactionDate: vnpayDate(request.paymentCreatedAt),
        vnp_CreateBy: field('requestedBy', request.requestedBy, 250, true),
        vnp_CreateDate: vnpayDate(request.requestedAt),
        vnp_IpAddr: field('serverIp', request.serverIp, 45, true),
        vnp_OrderInfo: field('description', request.description, 255, true),
      };
      body[SECURE_HASH] = signVnpayFields(REFUND_REQUEST_FIELDS, body, hashSecret);
      const answer = await post(body);
      if (!answer.ok) return answer;
      const response = answer.body;
      if (!authentic(REFUND_RESPONSE_FIELDS, 'refund', response)) return BAD_SIGNATURE;
      const responseCode = text(response.vnp_ResponseCode);
      const message = text(response.vnp_Message);
      if (responseCode === '91') return { ok: true, outcome: 'not-found', responseCode, message };
      if (responseCode === '94') return { ok: true, outcome: 'duplicate-request', responseCode, message };
      if (responseCode === '04') return { ok: true, outcome: 'full-after-partial', responseCode, message };
      if (responseCode !== '00') return { ok: true, outcome: 'refused', responseCode, message };
      const amountVnd = fromVnpayAmount(text(response.vnp_Amount));
      const kind = TRANSACTION_KINDS[text(response.vnp_TransactionType)];
      const providerTransactionNo = text(response.vnp_TransactionNo);
      if (text(response.vnp_TxnRef) !== request.paymentId || amountVnd === undefined || kind === undefined) {
        return MALFORMED;
      }
      return {
        ok: true,
        outcome: 'accepted',
        paymentId: request.paymentId,
        amountVnd,
        kind,
        providerTransactionNo,
        responseCode,
        transactionStatus: text(response.vnp_TransactionStatus),
      };
    },
  };
}
