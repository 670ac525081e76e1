// The applicant pays a dossier's outstanding fees: one payment at a time, its checkout URL signed by the provider.
// While it is open the same payment comes back; two creations racing make one (the dossier's version decides).
import { type Caller, callerScope } from '../../domain/caller';
import { localDayCode } from '../../domain/dossier-code';
import { CHECKOUT_MINUTES, newPaymentId, openPayment, outstandingVnd } from '../../domain/payments';
import { assertPayable, startPayment } from '../../domain/transitions';
import { isVersionConflict } from '../../errors';
import type { PaymentLocale } from '../../ports/payment-provider';
import type { PaymentView } from '../../schemas/dossiers';
import { applicantOf } from '../dossiers/access';
import { paymentView } from '../dossiers/view';
import { idempotent } from '../idempotent';
import type { PaymentDeps } from './deps';

export interface CreatePaymentInput {
  code: string;
  caller: Caller;
  idempotencyKey?: string;
  locale: PaymentLocale;
  /** The citizen's address as the gateway saw it (the provider's fraud checks want it). */
  clientIp: string;
}

export interface CreatePaymentAnswer {
  created: boolean;
  payment: PaymentView;
}

// A lost race means another creation won: the next read finds its payment open and returns it.
const MAX_ATTEMPTS = 3;

export async function createPayment(
  input: CreatePaymentInput,
  deps: PaymentDeps,
): Promise<CreatePaymentAnswer> {
  return idempotent<CreatePaymentAnswer>(
    deps.idempotency,
    {
      scope: callerScope(input.caller),
      operation: 'createPayment',
      key: input.idempotencyKey,
      request: { code: input.code, locale: input.locale },
    },
    async (remember) => {
      for (let attempt = 1; ; attempt += 1) {
        const { dossier, actor } = applicantOf(await deps.dossiers.get(input.code), input.code, input.caller);
        const now = deps.clock();
        const open = openPayment(dossier.fees, now);
        if (open) return { created: false, payment: paymentView(open) };
        const fees = assertPayable(dossier);
        const id = newPaymentId(localDayCode(now));
        const expiresAt = new Date(now.getTime() + CHECKOUT_MINUTES * 60_000);
        // Built before anything is written: a URL the adapter refuses (an amount out of range) leaves no payment.
        const redirectUrl = deps.provider.checkoutUrl({
          paymentId: id,
          amountVnd: outstandingVnd(fees),
          orderInfo: `Thanh toan phi, le phi ho so ${dossier.code}`,
          createdAt: now,
          expiresAt,
          clientIp: input.clientIp,
          returnUrl: deps.returnUrl,
          locale: input.locale,
        });
        const moved = startPayment(dossier, { actor, caller: input.caller }, now, {
          id,
          provider: deps.providerName,
          createdAt: now.toISOString(),
          expiresAt: expiresAt.toISOString(),
          redirectUrl,
        });
        const answer = { created: true, payment: paymentView(moved.payment) };
        const record = remember(answer);
        try {
          await deps.dossiers.update({
            dossier: moved.dossier,
            expectedVersion: dossier.version,
            entry: moved.entry,
            events: moved.events,
            newPayments: [id],
            ...(record ? { idempotency: record } : {}),
          });
          return answer;
        } catch (error) {
          if (!isVersionConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
        }
      }
    },
  );
}
