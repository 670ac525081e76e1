// Run as its own OS process by the audit-log test: appends `COUNT` entries to the audit table named in the
// environment, racing the other processes for the chain's head. By default refused-call entries, one at a time in 3
// lanes; with `BATCH`, sample events in stream batches of that size, the first batch delivered twice.
import { auditDeps } from '../../../shared/adapters/event-deps';
import { appendAudit, auditEvents } from '../../../shared/usecases/audit/append-audit';
import { sampleEvent } from '../../unit/support/stream';

const count = Number(process.env.COUNT ?? 10);
const batch = Number(process.env.BATCH ?? 0);
const deps = auditDeps();
if (batch > 0) {
  const events = Array.from({ length: count }, () => sampleEvent('DossierReceived'));
  for (let i = 0; i < count; i += batch) {
    const delivered = events.slice(i, i + batch);
    await auditEvents(delivered, deps);
    if (i === 0) await auditEvents(delivered, deps);
  }
} else {
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
}
