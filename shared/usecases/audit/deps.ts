// What the audit use cases need.
import type { AuditLog } from '../../ports/audit-log';

export interface AuditDeps {
  audit: AuditLog;
  clock: () => Date;
  /** Waits between appends that lost the head to another writer. */
  sleep: (ms: number) => Promise<void>;
}
