// In-memory fake of the audit log, with the DynamoDB adapter's rules: an append needs the head at seq - 1, and a
// consumed mark that exists makes the append a duplicate that writes nothing (of a batch: names the links it fails).
import type { AuditEntry, ChainHead } from '../../../shared/domain/audit';
import {
  type AuditLog,
  ChainMovedError,
  MAX_LINKS_PER_APPEND,
  RecordedMarksError,
} from '../../../shared/ports/audit-log';

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
      try {
        await log.appendAll([{ entry, ...(mark ? { mark } : {}) }]);
        return 'appended';
      } catch (error) {
        if (error instanceof RecordedMarksError) return 'duplicate';
        throw error;
      }
    },
    async appendAll(links) {
      await beforeAppend.shift()?.();
      appends += 1;
      if (links.length > MAX_LINKS_PER_APPEND) throw new Error('too many links for one transaction');
      const recorded = links.flatMap(({ mark }, index) =>
        mark && marks.has(`${mark.consumer}#${mark.eventId}`) ? [index] : [],
      );
      if (recorded.length) throw new RecordedMarksError(recorded);
      const first = links[0]?.entry.seq;
      if (first === undefined) return;
      if ((head?.seq ?? 0) !== first - 1 || links.some(({ entry }) => entries.has(entry.seq)))
        throw new ChainMovedError(first);
      links.forEach(({ entry, mark }, index) => {
        if (entry.seq !== first + index) throw new Error('links must be consecutive');
        entries.set(entry.seq, structuredClone(entry));
        if (mark) marks.add(`${mark.consumer}#${mark.eventId}`);
      });
      const last = links[links.length - 1]!.entry;
      head = { seq: last.seq, hash: last.hash };
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
