// Recomputes the whole chain and names the first entry that was altered, removed or relinked.
import { chainVerifier } from '../../domain/audit';
import type { AuditLog } from '../../ports/audit-log';

export async function verifyAuditLog(deps: { audit: AuditLog }) {
  // The head first: what is appended while we read is left for the next verification.
  const verifier = chainVerifier(await deps.audit.head());
  for await (const page of deps.audit.entries()) {
    if (!verifier.add(page)) break;
  }
  return verifier.result();
}
