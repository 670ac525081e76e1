// The payment functions' adapters: dossiers, idempotency and audit in DynamoDB, and the VNPay provider configured from
// its secret (tmnCode, hashSecret, payUrl, apiUrl: sandbox or production is the secret's business, not the code's).
import { readHttpConfig } from '../config';
import type { PaymentProvider } from '../ports/payment-provider';
import type { CallbackDeps, PaymentDeps } from '../usecases/payments/deps';
import type { ReconcileDeps } from '../usecases/payments/reconcile';
import type { RefundDeps } from '../usecases/payments/refund';
import { edgeAuditDeps } from './deps';
import { dossierDeps } from './dossier-deps';
import { vnpayProvider } from './payment/vnpay';
import { secretValue } from './secret-values';

export const PROVIDER = 'vnpay';

export function paymentAdapters() {
  const base = dossierDeps();
  const secret = secretValue('payment-vnpay');
  let provider: Promise<PaymentProvider> | undefined;
  const providerOf = () => {
    provider ??= secret().then((s) =>
      vnpayProvider({ tmnCode: s.tmnCode!, hashSecret: s.hashSecret!, payUrl: s.payUrl!, apiUrl: s.apiUrl! }),
    );
    provider.catch(() => {
      provider = undefined;
    });
    return provider;
  };
  return {
    /** What the reconciliation schedule needs: the dossiers, the provider and our address for its query API. */
    async reconciliation(): Promise<ReconcileDeps> {
      return {
        dossiers: base.dossiers,
        provider: await providerOf(),
        clock: base.clock,
        serverIp: process.env.PAYMENT_SERVER_IP ?? '127.0.0.1',
      };
    },
    async refunds(): Promise<RefundDeps> {
      return {
        dossiers: base.dossiers,
        idempotency: base.idempotency,
        provider: await providerOf(),
        clock: base.clock,
        serverIp: process.env.PAYMENT_SERVER_IP ?? '127.0.0.1',
      };
    },
    /** What the return page needs: the provider to verify the return, the dossiers to read. */
    async returns(): Promise<Pick<CallbackDeps, 'provider' | 'dossiers'>> {
      return { provider: await providerOf(), dossiers: base.dossiers };
    },
    async payments(): Promise<PaymentDeps> {
      return {
        dossiers: base.dossiers,
        idempotency: base.idempotency,
        provider: await providerOf(),
        providerName: PROVIDER,
        // HTTP routes only (the route wrapper validated it at cold start); the schedule has no public URL.
        returnUrl: `${readHttpConfig().publicBaseUrl}/v1/payments/${PROVIDER}/return`,
        clock: base.clock,
      };
    },
    async callbacks(): Promise<CallbackDeps> {
      return {
        dossiers: base.dossiers,
        provider: await providerOf(),
        providerName: PROVIDER,
        clock: base.clock,
        audit: edgeAuditDeps(),
      };
    },
  };
}
