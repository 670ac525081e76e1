// What the payment use cases need: the dossiers (payments are part of them), the provider behind its port, the
// audit log for every provider call, and where the citizen's browser comes back to.
import type { DossierRepository } from '../../ports/dossier-repository';
import type { IdempotencyStore } from '../../ports/idempotency-store';
import type { PaymentProvider } from '../../ports/payment-provider';
import type { AuditDeps } from '../audit/deps';

export interface PaymentDeps {
  dossiers: DossierRepository;
  idempotency: IdempotencyStore;
  provider: PaymentProvider;
  /** The provider's name on payments, events and the audit log (`vnpay`). */
  providerName: string;
  /** The return page (`<public base>/v1/payments/<provider>/return`): it shows, never settles. */
  returnUrl: string;
  clock: () => Date;
}

export interface CallbackDeps extends Omit<PaymentDeps, 'idempotency' | 'returnUrl'> {
  audit: AuditDeps;
}
