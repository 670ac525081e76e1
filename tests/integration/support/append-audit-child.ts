// Run as its own OS process by the audit-log test: appends `COUNT` refused-call entries to the audit table named in
// the environment, racing the other processes for the chain's head.
import { auditDeps } from '../../../shared/adapters/event-deps';
import { appendAudit } from '../../../shared/usecases/audit/append-audit';

const count = Number(process.env.COUNT ?? 10);
const deps = auditDeps();
await Promise.all(
  Array.from({ length: 3 }, async (_, lane) => {
    for (let i = lane; i < count; i += 3) {
      await appendAudit(
        {
          caller: { kind: 'provider', provider: `vnpay-${process.pid}` },
          action: 'vnpayIpn',
          code: 'SIGNATURE_INVALID',
          at: new Date(),
          requestId: `${process.pid}-${i}`,
        },
        deps,
      );
    }
  }),
);
