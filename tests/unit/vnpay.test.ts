import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  fromVnpayAmount,
  parseVnpayDate,
  signVnpayParams,
  verifyVnpayParams,
  vnpayDate,
  vnpayEncode,
  vnpayProvider,
} from '../../shared/adapters/payment/vnpay';
import { ConfigError } from '../../shared/errors';
import {
  CALLBACK_OUTCOME,
  type CheckoutRequest,
  type HttpTransport,
  type QueryRequest,
  type RefundRequest,
} from '../../shared/ports/payment-provider';

// Every expected hash here is computed with node:crypto over a string written out by hand, never through the
// adapter's own canonicalization, so a wrong sort order, encoding or field list fails the test.
const config = {
  tmnCode: 'DEMOV210',
  hashSecret: 'TESTSECRET0123456789ABCDEFGHIJKL',
  payUrl: 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html',
  apiUrl: 'https://sandbox.vnpayment.vn/merchant_webapi/api/transaction',
};
const hmac = (data: string, secret = config.hashSecret) =>
  createHmac('sha512', secret).update(data, 'utf8').digest('hex');

/** 2021-08-01 15:33:33 in Vietnam. */
const createdAt = new Date('2021-08-01T08:33:33Z');

const checkout: CheckoutRequest = {
  paymentId: '5',
  amountVnd: 18_060,
  orderInfo: 'Thanh toan don hang :5',
  createdAt,
  expiresAt: new Date('2021-08-01T08:48:33Z'),
  clientIp: '127.0.0.1',
  returnUrl: 'https://domainmerchant.vn/ReturnUrl',
  locale: 'vi',
};

const provider = () =>
  vnpayProvider(config, async () => Promise.reject(new Error('no network in unit tests')));

function queryOf(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

/** What VNPay sends to the IPN URL for the checkout above, signed like the sandbox signs it. */
function callback(overrides: Record<string, string> = {}): Record<string, string> {
  const params: Record<string, string> = {
    vnp_Amount: '1806000',
    vnp_BankCode: 'NCB',
    vnp_BankTranNo: 'VNP14226112',
    vnp_CardType: 'ATM',
    vnp_OrderInfo: 'Thanh toan don hang :5',
    vnp_PayDate: '20210801153800',
    vnp_ResponseCode: '00',
    vnp_TmnCode: 'DEMOV210',
    vnp_TransactionNo: '14226112',
    vnp_TransactionStatus: '00',
    vnp_TxnRef: '5',
    ...overrides,
  };
  return { ...params, vnp_SecureHash: signVnpayParams(params, config.hashSecret) };
}

describe('vnpayDate', () => {
  it('writes yyyyMMddHHmmss in GMT+7, so an instant just after UTC 17:00 is already the next day', () => {
    expect(vnpayDate(new Date('2024-05-20T16:59:59Z'))).toBe('20240520235959');
    expect(vnpayDate(new Date('2024-05-20T17:00:00Z'))).toBe('20240521000000');
  });

  it('crosses the year the same way', () => {
    expect(vnpayDate(new Date('2024-12-31T17:30:05Z'))).toBe('20250101003005');
  });

  it('is still the same Vietnamese day just after UTC midnight', () => {
    expect(vnpayDate(new Date('2024-05-21T00:00:01Z'))).toBe('20240521070001');
  });

  it('refuses an invalid Date', () => {
    expect(() => vnpayDate(new Date('not a date'))).toThrow(RangeError);
  });
});

describe('parseVnpayDate', () => {
  it('reads a GMT+7 timestamp back as the instant it names', () => {
    expect(parseVnpayDate('20250101003005').toISOString()).toBe('2024-12-31T17:30:05.000Z');
  });

  it('is the inverse of vnpayDate', () => {
    const at = new Date('2026-03-08T23:15:42Z');
    expect(parseVnpayDate(vnpayDate(at)).getTime()).toBe(at.getTime());
  });

  it('refuses a day that does not exist instead of rolling it over', () => {
    expect(() => parseVnpayDate('20240230120000')).toThrow(RangeError);
  });

  it('refuses anything but fourteen digits', () => {
    expect(() => parseVnpayDate('2024-05-21 10:00')).toThrow(RangeError);
  });
});

describe('vnpayEncode', () => {
  it('encodes spaces as %20, as FACTS.md says, never as +', () => {
    expect(vnpayEncode('Le phi ho so')).toBe('Le%20phi%20ho%20so');
  });

  it('encodes Vietnamese diacritics as UTF-8 percent-escapes', () => {
    expect(vnpayEncode('Lệ phí')).toBe('L%E1%BB%87%20ph%C3%AD');
  });

  it("encodes what PHP urlencode encodes, including !'()*~ and a literal +", () => {
    expect(vnpayEncode("a*b~c!'()+")).toBe('a%2Ab%7Ec%21%27%28%29%2B');
  });

  it('writes + for spaces only when asked for the form of VNPay’s samples', () => {
    expect(vnpayEncode('a b+c', '+')).toBe('a+b%2Bc');
  });
});

describe('checkoutUrl', () => {
  it('matches a hand-built known-answer URL: sorted keys, encoded values, constants, GMT+7 dates, amount × 100', () => {
    const canonical =
      'vnp_Amount=1806000&vnp_Command=pay&vnp_CreateDate=20210801153333&vnp_CurrCode=VND' +
      '&vnp_ExpireDate=20210801154833&vnp_IpAddr=127.0.0.1&vnp_Locale=vn' +
      '&vnp_OrderInfo=Thanh%20toan%20don%20hang%20%3A5&vnp_OrderType=other' +
      '&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl&vnp_TmnCode=DEMOV210&vnp_TxnRef=5' +
      '&vnp_Version=2.1.0';
    expect(provider().checkoutUrl(checkout)).toBe(
      `${config.payUrl}?${canonical}&vnp_SecureHash=${hmac(canonical)}`,
    );
  });

  it('sends the amount in hundredths of a đồng', () => {
    const params = queryOf(provider().checkoutUrl({ ...checkout, amountVnd: 150_000 }));
    expect(params.vnp_Amount).toBe('15000000');
  });

  it('sends English as en and Vietnamese as vn, VNPay’s locale names', () => {
    expect(queryOf(provider().checkoutUrl({ ...checkout, locale: 'en' })).vnp_Locale).toBe('en');
    expect(queryOf(provider().checkoutUrl(checkout)).vnp_Locale).toBe('vn');
  });

  it('signs Vietnamese order info over its UTF-8 escapes', () => {
    const url = provider().checkoutUrl({ ...checkout, orderInfo: 'Lệ phí' });
    expect(url).toContain('vnp_OrderInfo=L%E1%BB%87%20ph%C3%AD&');
    const canonical =
      'vnp_Amount=1806000&vnp_Command=pay&vnp_CreateDate=20210801153333&vnp_CurrCode=VND' +
      '&vnp_ExpireDate=20210801154833&vnp_IpAddr=127.0.0.1&vnp_Locale=vn' +
      '&vnp_OrderInfo=L%E1%BB%87%20ph%C3%AD&vnp_OrderType=other' +
      '&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl&vnp_TmnCode=DEMOV210&vnp_TxnRef=5' +
      '&vnp_Version=2.1.0';
    expect(queryOf(url).vnp_SecureHash).toBe(hmac(canonical));
  });

  it.each([18_060.5, 0, -100, Number.NaN, 10_000_000_000])('refuses an amount of %s VND', (amountVnd) => {
    expect(() => provider().checkoutUrl({ ...checkout, amountVnd })).toThrow(RangeError);
  });

  it('refuses a payment that expires before it is created', () => {
    expect(() => provider().checkoutUrl({ ...checkout, expiresAt: createdAt })).toThrow(RangeError);
  });

  it('produces a URL the sandbox can verify with the same scheme', () => {
    expect(verifyVnpayParams(queryOf(provider().checkoutUrl(checkout)), config.hashSecret)).toBe(true);
  });
});

describe('verifyCallback', () => {
  it('accepts a callback built from the checkout URL’s parameters and signed with the shared secret', () => {
    const sent = queryOf(
      provider().checkoutUrl({ ...checkout, amountVnd: 150_000, orderInfo: 'Lệ phí hồ sơ' }),
    );
    const params = callback({
      vnp_Amount: sent.vnp_Amount!,
      vnp_OrderInfo: sent.vnp_OrderInfo!,
      vnp_TxnRef: sent.vnp_TxnRef!,
    });
    expect(provider().verifyCallback(params)).toEqual({
      ok: true,
      paymentId: '5',
      amountVnd: 150_000,
      succeeded: true,
      providerTransactionNo: '14226112',
      bankCode: 'NCB',
      payDate: '2021-08-01T08:38:00.000Z',
      responseCode: '00',
      transactionStatus: '00',
    });
  });

  it('accepts a known-answer callback signed over the hand-written %20 form', () => {
    const params = {
      vnp_Amount: '1806000',
      vnp_OrderInfo: 'Thanh toan don hang :5',
      vnp_ResponseCode: '00',
      vnp_TmnCode: 'DEMOV210',
      vnp_TransactionNo: '14226112',
      vnp_TransactionStatus: '00',
      vnp_TxnRef: '5',
    };
    const canonical =
      'vnp_Amount=1806000&vnp_OrderInfo=Thanh%20toan%20don%20hang%20%3A5&vnp_ResponseCode=00' +
      '&vnp_TmnCode=DEMOV210&vnp_TransactionNo=14226112&vnp_TransactionStatus=00&vnp_TxnRef=5';
    expect(provider().verifyCallback({ ...params, vnp_SecureHash: hmac(canonical) }).ok).toBe(true);
  });

  it('also accepts a callback signed over the + form that VNPay’s own samples build', () => {
    const params = {
      vnp_Amount: '1806000',
      vnp_OrderInfo: 'Thanh toan don hang :5',
      vnp_ResponseCode: '00',
      vnp_TmnCode: 'DEMOV210',
      vnp_TransactionNo: '14226112',
      vnp_TransactionStatus: '00',
      vnp_TxnRef: '5',
    };
    const canonical =
      'vnp_Amount=1806000&vnp_OrderInfo=Thanh+toan+don+hang+%3A5&vnp_ResponseCode=00' +
      '&vnp_TmnCode=DEMOV210&vnp_TransactionNo=14226112&vnp_TransactionStatus=00&vnp_TxnRef=5';
    expect(provider().verifyCallback({ ...params, vnp_SecureHash: hmac(canonical) }).ok).toBe(true);
  });

  it('does not let the + form make a literal + stand for a space', () => {
    const signed = callback({ vnp_OrderInfo: 'a b' });
    expect(provider().verifyCallback({ ...signed, vnp_OrderInfo: 'a+b' })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('reports a failed payment as authentic but not succeeded', () => {
    const result = provider().verifyCallback(
      callback({ vnp_ResponseCode: '24', vnp_TransactionStatus: '02' }),
    );
    expect(result).toMatchObject({ ok: true, succeeded: false, responseCode: '24' });
  });

  it('needs both codes 00 for success: a 00 response code with a non-00 status is not paid', () => {
    expect(provider().verifyCallback(callback({ vnp_TransactionStatus: '01' }))).toMatchObject({
      ok: true,
      succeeded: false,
    });
  });

  it('rejects a tampered amount as bad-signature', () => {
    const params = { ...callback(), vnp_Amount: '100' };
    expect(provider().verifyCallback(params)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a tampered response code as bad-signature', () => {
    const params = { ...callback({ vnp_ResponseCode: '24' }), vnp_ResponseCode: '00' };
    expect(provider().verifyCallback(params)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a tampered hash as bad-signature', () => {
    const params = callback();
    const hash = params.vnp_SecureHash!;
    const flipped = `${hash.slice(0, -1)}${hash.endsWith('0') ? '1' : '0'}`;
    expect(provider().verifyCallback({ ...params, vnp_SecureHash: flipped })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('rejects a callback without a hash as bad-signature', () => {
    const { vnp_SecureHash: _dropped, ...params } = callback();
    expect(provider().verifyCallback(params)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a callback signed with another secret as bad-signature', () => {
    const { vnp_SecureHash: _dropped, ...params } = callback();
    const forged = { ...params, vnp_SecureHash: signVnpayParams(params, 'ANOTHERSECRET0123456789ABCDEFGHI') };
    expect(provider().verifyCallback(forged)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('accepts an upper-case hash and ignores parameters that are not vnp_*', () => {
    const params = callback();
    const result = provider().verifyCallback({
      ...params,
      vnp_SecureHash: params.vnp_SecureHash!.toUpperCase(),
      lang: 'en',
    });
    expect(result.ok).toBe(true);
  });

  it('refuses our own signed checkout URL replayed as a callback: authentic but carrying no result', () => {
    expect(provider().verifyCallback(queryOf(provider().checkoutUrl(checkout)))).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('refuses an authentic callback for another terminal', () => {
    expect(provider().verifyCallback(callback({ vnp_TmnCode: 'OTHER001' }))).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('refuses an authentic callback whose amount is not a whole number of đồng', () => {
    expect(fromVnpayAmount('1806050')).toBeUndefined();
    expect(provider().verifyCallback(callback({ vnp_Amount: '1806050' }))).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});

describe('ipnReply', () => {
  it.each([
    [CALLBACK_OUTCOME.confirmed, '00', 'Confirm Success'],
    [CALLBACK_OUTCOME.paymentNotFound, '01', 'Order not found'],
    [CALLBACK_OUTCOME.alreadyConfirmed, '02', 'Order already confirmed'],
    [CALLBACK_OUTCOME.amountMismatch, '04', 'Invalid amount'],
    [CALLBACK_OUTCOME.badSignature, '97', 'Invalid signature'],
    [CALLBACK_OUTCOME.unknownError, '99', 'Unknown error'],
  ])('answers outcome %s with RspCode %s', (code, RspCode, Message) => {
    expect(provider().ipnReply(code)).toEqual({ RspCode, Message });
  });
});

// ---- the merchant API, through a fake transport ----

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

function fakeApi(
  answer: (body: Record<string, unknown>) => { status?: number; json: () => Promise<unknown> },
) {
  const calls: Call[] = [];
  const transport: HttpTransport = async (url, init) => {
    const body = JSON.parse(init.body) as Record<string, unknown>;
    calls.push({ url, method: init.method, headers: init.headers, body });
    const { status = 200, json } = answer(body);
    return { ok: status >= 200 && status < 300, status, json };
  };
  return { calls, provider: vnpayProvider(config, transport) };
}

const answering = (body: unknown) => () => ({ json: async () => body });

const queryRequest: QueryRequest = {
  requestId: 'REQ1',
  paymentId: 'PAY-1',
  paymentCreatedAt: createdAt,
  requestedAt: new Date('2021-08-02T02:00:00Z'),
  serverIp: '10.0.0.1',
  description: 'Doi soat PAY-1',
};

/** A querydr answer signed over its 15 fields in the order written here. */
function queryAnswer(overrides: Record<string, string> = {}) {
  const r: Record<string, string> = {
    vnp_ResponseId: 'RESP1',
    vnp_Command: 'querydr',
    vnp_ResponseCode: '00',
    vnp_Message: 'QueryDR Success',
    vnp_TmnCode: 'DEMOV210',
    vnp_TxnRef: 'PAY-1',
    vnp_Amount: '15000000',
    vnp_BankCode: 'NCB',
    vnp_PayDate: '20210801153800',
    vnp_TransactionNo: '14226112',
    vnp_TransactionType: '01',
    vnp_TransactionStatus: '00',
    vnp_OrderInfo: 'Doi soat PAY-1',
    vnp_PromotionCode: '',
    vnp_PromotionAmount: '',
    ...overrides,
  };
  const data = [
    r.vnp_ResponseId,
    r.vnp_Command,
    r.vnp_ResponseCode,
    r.vnp_Message,
    r.vnp_TmnCode,
    r.vnp_TxnRef,
    r.vnp_Amount,
    r.vnp_BankCode,
    r.vnp_PayDate,
    r.vnp_TransactionNo,
    r.vnp_TransactionType,
    r.vnp_TransactionStatus,
    r.vnp_OrderInfo,
    r.vnp_PromotionCode,
    r.vnp_PromotionAmount,
  ].join('|');
  return { ...r, vnp_SecureHash: hmac(data) };
}

describe('query (querydr)', () => {
  it('posts JSON signed over RequestId|Version|Command|TmnCode|TxnRef|TransactionDate|CreateDate|IpAddr|OrderInfo', async () => {
    const api = fakeApi(answering(queryAnswer()));
    await api.provider.query(queryRequest);
    const [call] = api.calls;
    expect(call?.url).toBe(config.apiUrl);
    expect(call?.method).toBe('POST');
    expect(call?.headers['content-type']).toBe('application/json');
    expect(call?.body).toEqual({
      vnp_RequestId: 'REQ1',
      vnp_Version: '2.1.0',
      vnp_Command: 'querydr',
      vnp_TmnCode: 'DEMOV210',
      vnp_TxnRef: 'PAY-1',
      vnp_OrderInfo: 'Doi soat PAY-1',
      vnp_TransactionDate: '20210801153333',
      vnp_CreateDate: '20210802090000',
      vnp_IpAddr: '10.0.0.1',
      vnp_SecureHash: hmac(
        'REQ1|2.1.0|querydr|DEMOV210|PAY-1|20210801153333|20210802090000|10.0.0.1|Doi soat PAY-1',
      ),
    });
  });

  it('reads a verified answer for a completed payment in our terms', async () => {
    const api = fakeApi(answering(queryAnswer()));
    expect(await api.provider.query(queryRequest)).toEqual({
      ok: true,
      outcome: 'found',
      paymentId: 'PAY-1',
      amountVnd: 150_000,
      succeeded: true,
      kind: 'payment',
      providerTransactionNo: '14226112',
      bankCode: 'NCB',
      payDate: '2021-08-01T08:38:00.000Z',
      responseCode: '00',
      transactionStatus: '00',
    });
  });

  it('reports a found but unfinished transaction as not succeeded', async () => {
    const api = fakeApi(answering(queryAnswer({ vnp_TransactionStatus: '01' })));
    expect(await api.provider.query(queryRequest)).toMatchObject({ outcome: 'found', succeeded: false });
  });

  it('verifies the promotion fields too, which only querydr signs', async () => {
    const api = fakeApi(answering(queryAnswer({ vnp_PromotionCode: 'KM1', vnp_PromotionAmount: '1000' })));
    expect(await api.provider.query(queryRequest)).toMatchObject({ ok: true, outcome: 'found' });
  });

  it('rejects a tampered answer as bad-signature', async () => {
    const api = fakeApi(
      answering({ ...queryAnswer({ vnp_TransactionStatus: '02' }), vnp_TransactionStatus: '00' }),
    );
    expect(await api.provider.query(queryRequest)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects an unsigned answer as bad-signature, even a not-found', async () => {
    const { vnp_SecureHash: _dropped, ...unsigned } = queryAnswer({ vnp_ResponseCode: '91' });
    const api = fakeApi(answering(unsigned));
    expect(await api.provider.query(queryRequest)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a signed refund answer offered as a querydr answer', async () => {
    const api = fakeApi(answering(queryAnswer({ vnp_Command: 'refund' })));
    expect(await api.provider.query(queryRequest)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('maps 91 to not-found', async () => {
    const api = fakeApi(answering(queryAnswer({ vnp_ResponseCode: '91', vnp_Message: 'Not found' })));
    expect(await api.provider.query(queryRequest)).toEqual({
      ok: true,
      outcome: 'not-found',
      responseCode: '91',
      message: 'Not found',
    });
  });

  it('maps 94 (the same request within 5 minutes) to duplicate-request', async () => {
    const api = fakeApi(answering(queryAnswer({ vnp_ResponseCode: '94' })));
    expect(await api.provider.query(queryRequest)).toMatchObject({ ok: true, outcome: 'duplicate-request' });
  });

  it('maps any other code to refused', async () => {
    const api = fakeApi(answering(queryAnswer({ vnp_ResponseCode: '02' })));
    expect(await api.provider.query(queryRequest)).toMatchObject({ outcome: 'refused', responseCode: '02' });
  });

  it('refuses an authentic answer about another payment', async () => {
    const api = fakeApi(answering(queryAnswer({ vnp_TxnRef: 'PAY-2' })));
    expect(await api.provider.query(queryRequest)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('reports an HTTP error as unavailable with its status', async () => {
    const api = fakeApi(() => ({ status: 503, json: async () => ({}) }));
    expect(await api.provider.query(queryRequest)).toEqual({ ok: false, reason: 'unavailable', status: 503 });
  });

  it('reports a body that is not JSON as malformed', async () => {
    const api = fakeApi(() => ({ json: async () => Promise.reject(new SyntaxError('Unexpected token <')) }));
    expect(await api.provider.query(queryRequest)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a | in a signed field before sending anything', async () => {
    const api = fakeApi(answering(queryAnswer()));
    await expect(api.provider.query({ ...queryRequest, description: 'a|b' })).rejects.toThrow(RangeError);
    expect(api.calls).toEqual([]);
  });
});

const refundRequest: RefundRequest = {
  requestId: 'REQ2',
  paymentId: 'PAY-1',
  kind: 'partial',
  amountVnd: 50_000,
  providerTransactionNo: '14226112',
  paymentCreatedAt: createdAt,
  requestedAt: new Date('2021-08-03T03:00:00Z'),
  requestedBy: 'officer-7',
  serverIp: '10.0.0.1',
  description: 'Hoan phi PAY-1',
};

/** A refund answer signed over its 13 fields (no promotion pair) in the order written here. */
function refundAnswer(overrides: Record<string, string> = {}) {
  const r: Record<string, string> = {
    vnp_ResponseId: 'RESP2',
    vnp_Command: 'refund',
    vnp_ResponseCode: '00',
    vnp_Message: 'Refund success',
    vnp_TmnCode: 'DEMOV210',
    vnp_TxnRef: 'PAY-1',
    vnp_Amount: '5000000',
    vnp_BankCode: 'NCB',
    vnp_PayDate: '20210803100005',
    vnp_TransactionNo: '14230001',
    vnp_TransactionType: '03',
    vnp_TransactionStatus: '05',
    vnp_OrderInfo: 'Hoan phi PAY-1',
    ...overrides,
  };
  const data = [
    r.vnp_ResponseId,
    r.vnp_Command,
    r.vnp_ResponseCode,
    r.vnp_Message,
    r.vnp_TmnCode,
    r.vnp_TxnRef,
    r.vnp_Amount,
    r.vnp_BankCode,
    r.vnp_PayDate,
    r.vnp_TransactionNo,
    r.vnp_TransactionType,
    r.vnp_TransactionStatus,
    r.vnp_OrderInfo,
  ].join('|');
  return { ...r, vnp_SecureHash: hmac(data) };
}

describe('refund', () => {
  it('posts JSON signed over RequestId|Version|Command|TmnCode|TransactionType|TxnRef|Amount|TransactionNo|TransactionDate|CreateBy|CreateDate|IpAddr|OrderInfo', async () => {
    const api = fakeApi(answering(refundAnswer()));
    await api.provider.refund(refundRequest);
    expect(api.calls[0]?.body).toEqual({
      vnp_RequestId: 'REQ2',
      vnp_Version: '2.1.0',
      vnp_Command: 'refund',
      vnp_TmnCode: 'DEMOV210',
      vnp_TransactionType: '03',
      vnp_TxnRef: 'PAY-1',
      vnp_Amount: 5_000_000,
      vnp_TransactionNo: '14226112',
      vnp_TransactionDate: '20210801153333',
      vnp_CreateBy: 'officer-7',
      vnp_CreateDate: '20210803100000',
      vnp_IpAddr: '10.0.0.1',
      vnp_OrderInfo: 'Hoan phi PAY-1',
      vnp_SecureHash: hmac(
        'REQ2|2.1.0|refund|DEMOV210|03|PAY-1|5000000|14226112|20210801153333|officer-7|20210803100000|10.0.0.1|Hoan phi PAY-1',
      ),
    });
  });

  it('sends a full refund as transaction type 02', async () => {
    const api = fakeApi(answering(refundAnswer({ vnp_TransactionType: '02' })));
    await api.provider.refund({ ...refundRequest, kind: 'full' });
    expect(api.calls[0]?.body.vnp_TransactionType).toBe('02');
  });

  it('reads a verified acceptance in our terms', async () => {
    const api = fakeApi(answering(refundAnswer()));
    expect(await api.provider.refund(refundRequest)).toEqual({
      ok: true,
      outcome: 'accepted',
      paymentId: 'PAY-1',
      amountVnd: 50_000,
      kind: 'partial-refund',
      providerTransactionNo: '14230001',
      responseCode: '00',
      transactionStatus: '05',
    });
  });

  it('rejects a tampered answer as bad-signature', async () => {
    const api = fakeApi(answering({ ...refundAnswer({ vnp_ResponseCode: '04' }), vnp_ResponseCode: '00' }));
    expect(await api.provider.refund(refundRequest)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a signed querydr answer offered as a refund answer', async () => {
    const api = fakeApi(answering(queryAnswer()));
    expect(await api.provider.refund(refundRequest)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('maps 94 to duplicate-request', async () => {
    const api = fakeApi(answering(refundAnswer({ vnp_ResponseCode: '94' })));
    expect(await api.provider.refund(refundRequest)).toMatchObject({
      ok: true,
      outcome: 'duplicate-request',
    });
  });

  it('maps 91 to not-found', async () => {
    const api = fakeApi(answering(refundAnswer({ vnp_ResponseCode: '91' })));
    expect(await api.provider.refund(refundRequest)).toMatchObject({ ok: true, outcome: 'not-found' });
  });

  it('maps 04 (a full refund after a partial one) to full-after-partial', async () => {
    const api = fakeApi(answering(refundAnswer({ vnp_ResponseCode: '04' })));
    expect(await api.provider.refund({ ...refundRequest, kind: 'full' })).toMatchObject({
      ok: true,
      outcome: 'full-after-partial',
      responseCode: '04',
    });
  });

  it('maps any other code to refused', async () => {
    const api = fakeApi(answering(refundAnswer({ vnp_ResponseCode: '95' })));
    expect(await api.provider.refund(refundRequest)).toMatchObject({
      outcome: 'refused',
      responseCode: '95',
    });
  });

  it('refuses a fractional refund amount before sending anything', async () => {
    const api = fakeApi(answering(refundAnswer()));
    await expect(api.provider.refund({ ...refundRequest, amountVnd: 0.5 })).rejects.toThrow(RangeError);
    expect(api.calls).toEqual([]);
  });
});

describe('vnpayProvider config', () => {
  it('stops at start-up without a hash secret, naming the setting but not a secret', () => {
    expect(() => vnpayProvider({ ...config, hashSecret: '' })).toThrow(ConfigError);
    expect(() => vnpayProvider({ ...config, hashSecret: ' ' })).toThrow(/hashSecret/);
  });

  it('stops at start-up on a pay URL that is not absolute http(s), without echoing the secret', () => {
    let message = '';
    try {
      vnpayProvider({ ...config, payUrl: 'vpcpay.html' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/payUrl/);
    expect(message).not.toContain(config.hashSecret);
  });
});
