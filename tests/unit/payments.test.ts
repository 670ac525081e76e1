// Paying a dossier's fees, in the domain and the use cases, over in-memory fakes of our own ports and a fake
// provider (the VNPay adapter has its own tests): what is owed, when the dossier waits, one open payment at a time,
// a verdict recorded once whatever races it, the provider's reply codes in their order, every callback audited.
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../shared/domain/caller';
import type { Dossier } from '../../shared/domain/dossier';
import {
  assessFees,
  awaitingPayment,
  newPaymentId,
  outstandingVnd,
  PAYMENT_ID_PATTERN,
  payable,
} from '../../shared/domain/payments';
import {
  refuse,
  requestRefund,
  settlePayment,
  settleRefund,
  startPayment,
  stopRouting,
  withdraw,
} from '../../shared/domain/transitions';
import type { CallbackVerification, PaymentProvider } from '../../shared/ports/payment-provider';
import { createPayment } from '../../shared/usecases/payments/create-payment';
import { reconcilePayments } from '../../shared/usecases/payments/reconcile';
import { refundDossier } from '../../shared/usecases/payments/refund';
import { describeReturn, handleCallback } from '../../shared/usecases/payments/settle-payment';
import { memoryAuditLog } from './fakes/memory-audit';
import { memoryIdempotency } from './fakes/memory-catalogue';
import { memoryDossiers } from './fakes/memory-dossiers';
import { birthDossier } from './support/dossier';

const NOW = new Date('2026-12-03T03:00:00.000Z');
const FEE = {
  id: 'phi',
  name: { vi: 'Phí', en: 'Fee' },
  amountVnd: 150_000,
  kind: 'fee',
  setBy: 'ministry',
} as const;
const citizen: Caller = { kind: 'citizen', sub: 'sub-citizen-an', name: 'Nguyễn Văn An' };
const byCitizen = {
  actor: { kind: 'citizen', sub: 'sub-citizen-an', name: 'Nguyễn Văn An' } as const,
  caller: citizen,
};
const byProvider = {
  actor: { kind: 'provider', provider: 'fake' } as const,
  caller: { kind: 'provider', provider: 'fake' } as Caller,
};

function owing(changes: Partial<Dossier> = {}): Dossier {
  return {
    ...birthDossier(),
    fees: assessFees({ fees: [FEE], feesDueWhen: 'before-processing' }, 'online', NOW, {}),
    ...changes,
  };
}

const started = (dossier: Dossier, id = 'P261203AAAAAAAAAAAA', at = NOW) =>
  startPayment(dossier, byCitizen, at, {
    id,
    provider: 'fake',
    createdAt: at.toISOString(),
    expiresAt: new Date(at.getTime() + 15 * 60_000).toISOString(),
    redirectUrl: `https://pay.example/${id}`,
  });

const verdict = (paymentId: string, succeeded = true) => ({
  paymentId,
  succeeded,
  providerTransactionNo: '14000001',
  responseCode: succeeded ? '00' : '24',
  transactionStatus: succeeded ? '00' : '02',
  settledBy: 'callback' as const,
});

describe('what a dossier owes and when it waits', () => {
  it('records the fees of its version, channel and day; council-set ones are 0 online in Hanoi from 2026', () => {
    const council = { ...FEE, id: 'le-phi', setBy: 'council' as const, kind: 'charge' as const };
    const fees = assessFees({ fees: [FEE, council], feesDueWhen: 'before-processing' }, 'online', NOW, {});
    expect(fees).toMatchObject({ totalVnd: 150_000, paidVnd: 0, refundDueVnd: 0, payments: [] });
    expect(fees.items.map((i) => i.dueVnd)).toEqual([150_000, 0]);
    const counter = assessFees({ fees: [FEE, council] }, 'counter', NOW, {});
    expect(counter).toMatchObject({ totalVnd: 300_000, dueWhen: 'before-processing' });
  });

  it('awaits payment when received with fees due before processing, or with its result ready when due before release', () => {
    expect(awaitingPayment(owing())).toBe(true);
    expect(awaitingPayment(owing({ status: 'SUBMITTED' }))).toBe(false);
    const release = owing();
    release.fees = { ...release.fees!, dueWhen: 'before-release' };
    expect(awaitingPayment(release)).toBe(false);
    expect(awaitingPayment({ ...release, status: 'RESULT_READY' })).toBe(true);
    const free = {
      ...birthDossier(),
      fees: assessFees({ fees: [{ ...FEE, amountVnd: 0 }] }, 'online', NOW, {}),
    };
    expect(awaitingPayment(free)).toBe(false);
    expect(payable(free)).toBe(false);
    expect(payable(owing({ status: 'WITHDRAWN' }))).toBe(false);
  });

  it('makes payment ids of letters and digits, never the same twice', () => {
    const ids = new Set(Array.from({ length: 500 }, () => newPaymentId('261203')));
    expect(ids.size).toBe(500);
    for (const id of ids) expect(id).toMatch(PAYMENT_ID_PATTERN);
    expect(() => newPaymentId('2612')).toThrow(RangeError);
  });
});

describe('starting and settling a payment', () => {
  it('starts one payment for what is outstanding, refuses a second while it is open, and expires a closed window', () => {
    const first = started(owing());
    expect(first.payment).toMatchObject({ status: 'pending', amountVnd: 150_000 });
    expect(first.entry).toMatchObject({ action: 'startPayment', from: 'RECEIVED', to: 'RECEIVED' });
    expect(first.events).toEqual([]);
    expect(() => started(first.dossier, 'P261203BBBBBBBBBBBB')).toThrow(/open/);
    const later = new Date(NOW.getTime() + 16 * 60_000);
    const second = started(first.dossier, 'P261203BBBBBBBBBBBB', later);
    expect(second.dossier.fees!.payments.map((p) => p.status)).toEqual(['expired', 'pending']);
  });

  it('refuses to start when nothing is owed, saying whether it is paid', () => {
    const free = { ...birthDossier(), fees: assessFees({ fees: [] }, 'online', NOW, {}) };
    expect(() => started(free)).toThrow(expect.objectContaining({ code: 'NOTHING_TO_PAY', status: 409 }));
    expect(() => started(owing({ status: 'WITHDRAWN' }))).toThrow(
      expect.objectContaining({ code: 'NOTHING_TO_PAY' }),
    );
    const paid = settlePayment(started(owing()).dossier, byProvider, NOW, verdict('P261203AAAAAAAAAAAA'));
    expect(() => started(paid.dossier, 'P261203CCCCCCCCCCCC')).toThrow(
      expect.objectContaining({ code: 'ALREADY_PAID' }),
    );
  });

  it('records a success once: paid in full, one DossierPaid, and a second verdict refused', () => {
    const { dossier } = started(owing());
    const paid = settlePayment(dossier, byProvider, NOW, verdict('P261203AAAAAAAAAAAA'));
    expect(outstandingVnd(paid.dossier.fees)).toBe(0);
    expect(paid.payment).toMatchObject({
      status: 'paid',
      settledBy: 'callback',
      providerTransactionNo: '14000001',
    });
    expect(paid.entry.actor).toEqual({ kind: 'provider', provider: 'fake' });
    expect(paid.events.map((e) => [e.name, e.payload])).toEqual([
      [
        'DossierPaid',
        expect.objectContaining({
          amountVnd: 150_000,
          outstandingVnd: 0,
          refundDueVnd: 0,
          settledBy: 'callback',
        }),
      ],
    ]);
    expect(awaitingPayment(paid.dossier)).toBe(false);
    expect(() => settlePayment(paid.dossier, byProvider, NOW, verdict('P261203AAAAAAAAAAAA'))).toThrow(
      expect.objectContaining({ code: 'PAYMENT_SETTLED' }),
    );
  });

  it('records a failure, leaving the fees outstanding', () => {
    const failed = settlePayment(
      started(owing()).dossier,
      byProvider,
      NOW,
      verdict('P261203AAAAAAAAAAAA', false),
    );
    expect(failed.payment.status).toBe('failed');
    expect(outstandingVnd(failed.dossier.fees)).toBe(150_000);
    expect(failed.events.map((e) => e.name)).toEqual(['DossierPaymentFailed']);
    expect(payable(failed.dossier)).toBe(true);
  });

  it('never loses money: a payment that lands after a withdrawal, or after another one paid, is due back', () => {
    const { dossier } = started(owing());
    const withdrawn = { ...dossier, status: 'WITHDRAWN' as const };
    const late = settlePayment(withdrawn, byProvider, NOW, verdict('P261203AAAAAAAAAAAA'));
    expect(late.dossier.fees).toMatchObject({ paidVnd: 0, refundDueVnd: 150_000 });
    expect(late.events[0]!.payload).toMatchObject({ refundDueVnd: 150_000 });
    // An expired payment paid late, after a second one paid in full.
    const later = new Date(NOW.getTime() + 16 * 60_000);
    const second = started(dossier, 'P261203BBBBBBBBBBBB', later);
    const paidSecond = settlePayment(second.dossier, byProvider, later, verdict('P261203BBBBBBBBBBBB'));
    const paidFirst = settlePayment(paidSecond.dossier, byProvider, later, verdict('P261203AAAAAAAAAAAA'));
    expect(paidFirst.dossier.fees).toMatchObject({ paidVnd: 150_000, refundDueVnd: 150_000 });
  });
});

/** A provider whose signature is `sig=ok`, and which echoes what it is given. */
function fakeProvider(): PaymentProvider & { urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    checkoutUrl(request) {
      const url = `https://pay.example/?ref=${request.paymentId}&amount=${request.amountVnd}`;
      urls.push(url);
      return url;
    },
    verifyCallback(params): CallbackVerification {
      if (params.sig !== 'ok') return { ok: false, reason: 'bad-signature' };
      if (!params.ref) return { ok: false, reason: 'malformed' };
      return {
        ok: true,
        paymentId: params.ref,
        amountVnd: Number(params.amount),
        succeeded: params.result === 'paid',
        providerTransactionNo: '14000001',
        responseCode: params.result === 'paid' ? '00' : '24',
        transactionStatus: params.result === 'paid' ? '00' : '02',
      };
    },
    ipnReply: (code) => ({ RspCode: code, Message: `m${code}` }),
    query: async () => ({ ok: false, reason: 'unavailable', status: 503 }),
    refund: async () => ({ ok: false, reason: 'unavailable', status: 503 }),
  };
}

function setup(dossier: Dossier = owing()) {
  const idempotency = memoryIdempotency();
  const store = memoryDossiers(idempotency);
  const provider = fakeProvider();
  const audit = memoryAuditLog();
  const deps = {
    dossiers: store.repository,
    idempotency,
    provider,
    providerName: 'fake',
    returnUrl: 'https://motcua.example/v1/payments/fake/return',
    clock: () => NOW,
  };
  const callbackDeps = {
    ...deps,
    audit: { audit: audit.log, clock: () => NOW, sleep: async () => undefined },
  };
  return {
    store,
    deps,
    callbackDeps,
    provider,
    audit,
    seed: async () => {
      store.dossiers.set(dossier.code, structuredClone(dossier));
    },
  };
}

describe('createPayment', () => {
  it('makes one payment of two racing creations, and gives it back while it is open', async () => {
    const { deps, seed, provider, store } = setup();
    await seed();
    const input = { code: owing().code, caller: citizen, locale: 'vi' as const, clientIp: '203.0.113.5' };
    const [a, b] = await Promise.all([
      createPayment({ ...input, idempotencyKey: 'key-aaaa-0001' }, deps),
      createPayment({ ...input, idempotencyKey: 'key-bbbb-0002' }, deps),
    ]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.payment.id).toBe(b.payment.id);
    expect(a.payment.redirectUrl).toContain('amount=150000');
    const dossier = await store.repository.get(owing().code);
    expect(dossier!.fees!.payments).toHaveLength(1);
    expect(await store.repository.dossierOfPayment(a.payment.id)).toBe(owing().code);
    // The loser's URL was built but never stored: the payment keeps the winner's.
    expect(provider.urls).toContain(dossier!.fees!.payments[0]!.redirectUrl);
  });

  it('hides the dossier from anyone but its applicant', async () => {
    const { deps, seed } = setup();
    await seed();
    const other: Caller = { kind: 'citizen', sub: 'someone-else', name: 'B' };
    await expect(
      createPayment({ code: owing().code, caller: other, locale: 'vi', clientIp: '203.0.113.5' }, deps),
    ).rejects.toMatchObject({ code: 'DOSSIER_NOT_FOUND', status: 404 });
    const staff: Caller = { kind: 'staff', sub: 's', name: 'S', roles: ['officer'], branch: owing().unit };
    await expect(
      createPayment({ code: owing().code, caller: staff, locale: 'vi', clientIp: '203.0.113.5' }, deps),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe('handleCallback', () => {
  async function withPayment() {
    const context = setup();
    await context.seed();
    const { payment } = await createPayment(
      { code: owing().code, caller: citizen, locale: 'vi', clientIp: '203.0.113.5' },
      context.deps,
    );
    return { ...context, payment };
  }
  const params = (ref: string, extra: Record<string, string> = {}) => ({
    sig: 'ok',
    ref,
    amount: '150000',
    result: 'paid',
    ...extra,
  });

  it('checks in the provider’s order, records nothing for a refusal, and audits every call (a settlement by its event)', async () => {
    const { callbackDeps, payment, store, audit } = await withPayment();
    const call = (p: Record<string, string>) => handleCallback({ params: p, requestId: 'r' }, callbackDeps);
    expect((await call({ ...params(payment.id), sig: 'forged' })).code).toBe('97');
    expect((await call({ sig: 'ok' })).code).toBe('99');
    expect((await call(params('P261203ZZZZZZZZZZZZ'))).code).toBe('01');
    expect((await call(params(payment.id, { amount: '15000' }))).code).toBe('04');
    expect((await store.repository.get(owing().code))!.fees!.paidVnd).toBe(0);
    const paid = await call(params(payment.id));
    expect(paid).toMatchObject({ code: '00', reply: { RspCode: '00' } });
    expect((await call(params(payment.id))).code).toBe('02');
    expect((await store.repository.get(owing().code))!.fees!.paidVnd).toBe(150_000);
    expect(store.events.find((e) => e.name === 'DossierPaid')!.caller).toEqual({
      kind: 'provider',
      id: 'fake',
    });
    const entries = [...audit.entries.values()];
    expect(entries.map((e) => [e.who, e.result])).toEqual([
      [
        { kind: 'provider', id: 'fake' },
        { outcome: 'refused', code: '97' },
      ],
      [
        { kind: 'provider', id: 'fake' },
        { outcome: 'refused', code: '99' },
      ],
      [
        { kind: 'provider', id: 'fake' },
        { outcome: 'refused', code: '01' },
      ],
      [
        { kind: 'provider', id: 'fake' },
        { outcome: 'refused', code: '04' },
      ],
      // The settlement (00) is audited through its event, by the audit consumer.
      [
        { kind: 'provider', id: 'fake' },
        { outcome: 'refused', code: '02' },
      ],
    ]);
  });

  it('settles once when two deliveries race, and answers the other 02', async () => {
    const { callbackDeps, payment, store } = await withPayment();
    const answers = await Promise.all(
      [1, 2, 3].map(() => handleCallback({ params: params(payment.id), requestId: 'r' }, callbackDeps)),
    );
    expect(answers.map((a) => a.code).sort()).toEqual(['00', '02', '02']);
    expect((await store.repository.get(owing().code))!.fees!.paidVnd).toBe(150_000);
    expect(store.events.filter((e) => e.name === 'DossierPaid')).toHaveLength(1);
  });

  it('answers 99, never throws, when our side fails', async () => {
    const { callbackDeps, payment } = await withPayment();
    const broken = {
      ...callbackDeps,
      dossiers: {
        ...callbackDeps.dossiers,
        get: async () => {
          throw new Error('table unreachable');
        },
      },
    };
    const answer = await handleCallback({ params: params(payment.id), requestId: 'r' }, broken);
    expect(answer.code).toBe('99');
    expect(answer.error).toBeInstanceOf(Error);
  });

  it('shows the return our record, never the return’s say-so', async () => {
    const { callbackDeps, payment } = await withPayment();
    expect(await describeReturn(params(payment.id), callbackDeps)).toMatchObject({
      verified: true,
      status: 'pending',
      providerSays: 'succeeded',
    });
    expect(await describeReturn({ ...params(payment.id), sig: 'x' }, callbackDeps)).toEqual({
      verified: false,
    });
  });
});

describe('reconcilePayments', () => {
  async function pendingPayment(createdAt = NOW) {
    const context = setup();
    await context.seed();
    const { payment } = await createPayment(
      { code: owing().code, caller: citizen, locale: 'vi', clientIp: '203.0.113.5' },
      { ...context.deps, clock: () => createdAt },
    );
    return { ...context, payment };
  }
  const found = (paymentId: string, overrides: Record<string, unknown> = {}) =>
    ({
      ok: true,
      outcome: 'found',
      paymentId,
      amountVnd: 150_000,
      succeeded: true,
      kind: 'payment',
      providerTransactionNo: '14000002',
      responseCode: '00',
      transactionStatus: '00',
      ...overrides,
    }) as const;
  const options = { pendingMinutes: 20, abandonAfterMinutes: 60 };
  const later = (minutes: number) => () => new Date(NOW.getTime() + minutes * 60_000);

  it('asks only about payments older than the threshold, and settles a paid one as the callback would', async () => {
    const { deps, payment, provider, store } = await pendingPayment();
    const asked: string[] = [];
    provider.query = async (request) => {
      asked.push(request.paymentId);
      expect(request.paymentCreatedAt.toISOString()).toBe(NOW.toISOString());
      return found(request.paymentId);
    };
    const young = await reconcilePayments({ ...deps, clock: later(5), serverIp: '10.0.0.1' }, options);
    expect(young.checked).toBe(0);
    const report = await reconcilePayments({ ...deps, clock: later(25), serverIp: '10.0.0.1' }, options);
    expect(asked).toEqual([payment.id]);
    expect(report).toMatchObject({ checked: 1, paid: 1, failed: 0, left: 0 });
    const dossier = await store.repository.get(owing().code);
    expect(dossier!.fees!.payments[0]).toMatchObject({ status: 'paid', settledBy: 'query' });
    expect(store.events.filter((e) => e.name === 'DossierPaid')).toHaveLength(1);
    expect(
      (await reconcilePayments({ ...deps, clock: later(30), serverIp: '10.0.0.1' }, options)).checked,
    ).toBe(0);
  });

  it('settles once when the callback and the query race', async () => {
    const { deps, callbackDeps, payment, provider, store } = await pendingPayment();
    provider.query = async (request) => found(request.paymentId);
    const [report, callback] = await Promise.all([
      reconcilePayments({ ...deps, clock: later(25), serverIp: '10.0.0.1' }, options),
      handleCallback(
        { params: { sig: 'ok', ref: payment.id, amount: '150000', result: 'paid' }, requestId: 'r' },
        callbackDeps,
      ),
    ]);
    expect(report.paid + report.alreadySettled).toBe(1);
    // Whoever wrote second found it settled: the query's run says so, or the callback was answered 02.
    expect(report.paid === 1).toBe(callback.code === '02');
    expect(store.events.filter((e) => e.name === 'DossierPaid')).toHaveLength(1);
  });

  it('leaves what is still open, abandons what never reached the provider, and never settles another amount', async () => {
    const { deps, provider, store } = await pendingPayment();
    provider.query = async (request) =>
      found(request.paymentId, { succeeded: false, transactionStatus: '01' });
    expect(
      await reconcilePayments({ ...deps, clock: later(25), serverIp: '10.0.0.1' }, options),
    ).toMatchObject({
      left: 1,
      failed: 0,
    });
    provider.query = async (request) => found(request.paymentId, { amountVnd: 1 });
    const mismatch = await reconcilePayments({ ...deps, clock: later(25), serverIp: '10.0.0.1' }, options);
    expect(mismatch.unanswered).toEqual({ 'amount-mismatch': 1 });
    provider.query = async () => ({ ok: true, outcome: 'not-found', responseCode: '91', message: 'no' });
    expect((await reconcilePayments({ ...deps, clock: later(30), serverIp: '10.0.0.1' }, options)).left).toBe(
      1,
    );
    const abandoned = await reconcilePayments(
      { ...deps, clock: later(15 + 61), serverIp: '10.0.0.1' },
      options,
    );
    expect(abandoned.failed).toBe(1);
    expect((await store.repository.get(owing().code))!.fees!.payments[0]!.status).toBe('failed');
  });
});

describe('refunds', () => {
  const supervisor: Caller = {
    kind: 'staff',
    sub: 'sup-1',
    name: 'Hà',
    roles: ['supervisor'],
    branch: owing().unit,
  };
  const bySupervisor = {
    actor: { kind: 'officer', sub: 'sup-1', name: 'Hà', branch: owing().unit } as const,
    caller: supervisor,
  };
  const paidDossier = () =>
    settlePayment(started(owing()).dossier, byProvider, NOW, verdict('P261203AAAAAAAAAAAA')).dossier;

  it('makes what was paid due back when the dossier is withdrawn, refused or stopped, and only then', () => {
    const paid = paidDossier();
    const withdrawn = withdraw(paid, byCitizen, NOW, 'no longer needed');
    expect(withdrawn.dossier.fees).toMatchObject({ paidVnd: 0, refundDueVnd: 150_000 });
    const routed = {
      ...paid,
      status: 'IN_PROGRESS' as const,
      routing: { attempt: 1, executionName: 'x', startedAt: '', completedStages: 0, stageCount: 1 },
    };
    expect(stopRouting(routed, byCitizen, NOW, 'stop').dossier.fees).toMatchObject({ refundDueVnd: 150_000 });
    const submitted = { ...paid, status: 'SUBMITTED' as const };
    const officer = {
      actor: { kind: 'officer', sub: 'o', name: 'O', branch: paid.unit } as const,
      caller: supervisor,
    };
    expect(refuse(submitted, officer, NOW, 'incomplete').dossier.fees).toMatchObject({
      refundDueVnd: 150_000,
    });
    expect(withdraw(owing(), byCitizen, NOW, 'unpaid').dossier.fees).toMatchObject({ refundDueVnd: 0 });
  });

  it('reserves one refund at a time against the paid payment, full or partial, and records the answer once', () => {
    const due = withdraw(paidDossier(), byCitizen, NOW, 'x').dossier;
    const reserved = requestRefund(due, bySupervisor, NOW, { id: 'R1', reason: 'withdrawn' });
    expect(reserved.refund).toMatchObject({
      paymentId: 'P261203AAAAAAAAAAAA',
      amountVnd: 150_000,
      kind: 'full',
      status: 'pending',
    });
    expect(() => requestRefund(reserved.dossier, bySupervisor, NOW, { id: 'R2', reason: 'again' })).toThrow(
      expect.objectContaining({ code: 'REFUND_PENDING' }),
    );
    const done = settleRefund(reserved.dossier, bySupervisor, NOW, {
      refundId: 'R1',
      refunded: true,
      responseCode: '00',
    });
    expect(done.dossier.fees).toMatchObject({ refundDueVnd: 0, refundedVnd: 150_000 });
    expect(done.events.map((e) => e.name)).toEqual(['DossierRefunded']);
    expect(() =>
      settleRefund(done.dossier, bySupervisor, NOW, { refundId: 'R1', refunded: true, responseCode: '00' }),
    ).toThrow(expect.objectContaining({ code: 'REFUND_SETTLED' }));
    expect(() => requestRefund(done.dossier, bySupervisor, NOW, { id: 'R3', reason: 'more' })).toThrow(
      expect.objectContaining({ code: 'NOTHING_TO_REFUND' }),
    );
    const partial = { ...due, fees: { ...due.fees!, refundDueVnd: 50_000 } };
    expect(requestRefund(partial, bySupervisor, NOW, { id: 'R4', reason: 'part' }).refund).toMatchObject({
      amountVnd: 50_000,
      kind: 'partial',
    });
    const failed = settleRefund(reserved.dossier, bySupervisor, NOW, {
      refundId: 'R1',
      refunded: false,
      responseCode: '95',
    });
    expect(failed.dossier.fees).toMatchObject({ refundDueVnd: 150_000, refundedVnd: 0 });
    expect(failed.events).toEqual([]);
  });

  function refundSetup() {
    const context = setup(withdraw(paidDossier(), byCitizen, NOW, 'x').dossier);
    const calls: unknown[] = [];
    let clock = NOW;
    const deps = { ...context.deps, serverIp: '10.0.0.1', clock: () => clock };
    return {
      ...context,
      deps,
      calls,
      later: (minutes: number) => {
        clock = new Date(NOW.getTime() + minutes * 60_000);
      },
    };
  }
  const input = (caller: Caller = supervisor) => ({ code: owing().code, caller, reason: 'withdrawn' });

  it('asks the provider once, and an unanswered reservation only after the provider’s duplicate window', async () => {
    const { deps, provider, seed, later, store } = refundSetup();
    await seed();
    let asked = 0;
    provider.refund = async () => {
      asked += 1;
      return { ok: false, reason: 'unavailable', status: 503 };
    };
    expect((await refundDossier(input(), deps)).refund.status).toBe('pending');
    expect((await refundDossier(input(), deps)).refund.status).toBe('pending');
    expect(asked).toBe(1);
    later(6);
    provider.refund = async (request) => {
      asked += 1;
      expect(request).toMatchObject({ kind: 'full', amountVnd: 150_000, providerTransactionNo: '14000001' });
      return {
        ok: true,
        outcome: 'accepted',
        paymentId: request.paymentId,
        amountVnd: request.amountVnd,
        kind: 'full-refund',
        providerTransactionNo: '15000001',
        responseCode: '00',
        transactionStatus: '00',
      };
    };
    const answer = await refundDossier(input(), deps);
    expect(answer).toMatchObject({ refund: { status: 'refunded' }, refundDueVnd: 0 });
    expect(asked).toBe(2);
    expect((await store.repository.get(owing().code))!.fees!.refunds).toHaveLength(1);
  });

  it('records a refund the provider made but we never heard of from its querydr, asking for no second refund', async () => {
    const { deps, provider, seed, later, store } = refundSetup();
    await seed();
    // The provider refunds, but its answer is lost (a timeout, a crash before recording it).
    let refundedAtProvider = false;
    let refundsAsked = 0;
    provider.refund = async () => {
      refundsAsked += 1;
      if (refundedAtProvider)
        return { ok: true, outcome: 'refused', responseCode: '94', message: 'duplicate' };
      refundedAtProvider = true;
      return { ok: false, reason: 'unavailable', status: 504 };
    };
    const queried: string[] = [];
    provider.query = async (request) => {
      queried.push(request.paymentId);
      return {
        ok: true,
        outcome: 'found',
        paymentId: request.paymentId,
        amountVnd: 150_000,
        succeeded: true,
        kind: refundedAtProvider ? 'full-refund' : 'payment',
        providerTransactionNo: '14000001',
        responseCode: '00',
        transactionStatus: '00',
      };
    };
    expect((await refundDossier(input(), deps)).refund.status).toBe('pending');
    // A fresh reservation asks for the refund straight away: nothing to query yet.
    expect(queried).toEqual([]);
    later(6);
    const answer = await refundDossier(input(), deps);
    expect(answer).toMatchObject({ refund: { status: 'refunded', kind: 'full' }, refundDueVnd: 0 });
    expect(refundsAsked).toBe(1);
    expect(queried).toHaveLength(1);
    const stored = (await store.repository.get(owing().code))!.fees!;
    expect(stored).toMatchObject({ refundDueVnd: 0, refundedVnd: 150_000 });
    expect(stored.refunds).toHaveLength(1);
  });

  it('asks for the refund again when the querydr shows the payment not refunded', async () => {
    const { deps, provider, seed, later } = refundSetup();
    await seed();
    let refundsAsked = 0;
    provider.refund = async (request) => {
      refundsAsked += 1;
      if (refundsAsked === 1) return { ok: false, reason: 'unavailable', status: 503 };
      return {
        ok: true,
        outcome: 'accepted',
        paymentId: request.paymentId,
        amountVnd: request.amountVnd,
        kind: 'full-refund',
        providerTransactionNo: '15000002',
        responseCode: '00',
        transactionStatus: '00',
      };
    };
    provider.query = async (request) => ({
      ok: true,
      outcome: 'found',
      paymentId: request.paymentId,
      amountVnd: 150_000,
      succeeded: true,
      kind: 'payment',
      providerTransactionNo: '14000001',
      responseCode: '00',
      transactionStatus: '00',
    });
    await refundDossier(input(), deps);
    later(6);
    expect(await refundDossier(input(), deps)).toMatchObject({ refund: { status: 'refunded' } });
    expect(refundsAsked).toBe(2);
  });

  it('refuses an officer without the role, and hides the dossier from another branch', async () => {
    const { deps, seed } = refundSetup();
    await seed();
    const officer: Caller = { kind: 'staff', sub: 'o', name: 'O', roles: ['officer'], branch: owing().unit };
    await expect(refundDossier(input(officer), deps)).rejects.toMatchObject({ status: 403 });
    const elsewhere: Caller = { ...supervisor, branch: '000.01.01.H26' } as Caller;
    await expect(refundDossier(input(elsewhere), deps)).rejects.toMatchObject({ status: 404 });
  });
});
