// In-memory fake of the audit log, with the DynamoDB adapter's rules: an append needs the head at seq - 1, and a
// consumed mark that exists makes the append a duplicate that writes nothing.
import type { AuditEntry, ChainHead } from '../../../shared/domain/audit';
import { type AuditLog, ChainMovedError } from '../../../shared/ports/audit-log';

export function memoryAuditLog(options: { pageSize?: number } = {}) {
  const entries = new Map<number, AuditEntry>();
  const marks = new Set<string>();
  let head: ChainHead | undefined;
  let appends = 0;
  let headReads = 0;
  /** Runs before each append reads nothing: lets a test slip a concurrent append in between. */
  const beforeAppend: (() => Promise<void>)[] = [];
  const log: AuditLog = {
    async head() {
      headReads += 1;
      return head && { ...head };
    },
    async append(entry, mark) {
      await beforeAppend.shift()?.();
      appends += 1;
      if (mark && marks.has(`${mark.consumer}#${mark.eventId}`)) return 'duplicate';
      if ((head?.seq ?? 0) !== entry.seq - 1 || entries.has(entry.seq)) throw new ChainMovedError(entry.seq);
      entries.set(entry.seq, structuredClone(entry));
      head = { seq: entry.seq, hash: entry.hash };
      if (mark) marks.add(`${mark.consumer}#${mark.eventId}`);
      return 'appended';
    },
    async *entries() {
      const sorted = [...entries.values()].sort((a, b) => a.seq - b.seq).map((e) => structuredClone(e));
      const size = options.pageSize ?? 3;
      for (let i = 0; i < sorted.length; i += size) yield sorted.slice(i, i + size);
    },
  };
  /** Another instance's adapter over the same log (what it remembers of the head is its own). */
  const otherView = (): AuditLog => ({ ...log });
  return { log, otherView, entries, beforeAppend, appendCalls: () => appends, headReads: () => headReads };
}
