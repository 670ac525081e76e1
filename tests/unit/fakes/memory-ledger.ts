// In-memory fake of the payment ledger, with the DynamoDB adapter's rules: the mark and the entry in one write, each
// only if absent (either one present writes nothing); a day's partition in sort-key order; cursors that name their
// partition and are refused for any other.
import { encodeCursor } from '../../../shared/cursor';
import type { LedgerEntry } from '../../../shared/domain/ledger';
import { ValidationError } from '../../../shared/errors';
import type { ConsumedMark } from '../../../shared/ports/consumed-events';
import type { PaymentLedger } from '../../../shared/ports/payment-ledger';

export function memoryLedger() {
  /** By `pk`, then `sk`, as the table keeps them. */
  const partitions = new Map<string, Map<string, LedgerEntry>>();
  const marks = new Map<string, ConsumedMark>();
  const queries: { pk: string; limit: number }[] = [];
  const pk = (unit: string, day: string) => `LEDGER#${unit}#${day}`;
  const sk = (entry: LedgerEntry) => `${entry.settledAt}#${entry.paymentId}`;

  const ledger: PaymentLedger = {
    async record(entry, mark) {
      const markKey = `CONSUMED#${mark.consumer}#${mark.eventId}`;
      const partition = partitions.get(pk(entry.unit, entry.day)) ?? new Map<string, LedgerEntry>();
      if (marks.has(markKey) || partition.has(sk(entry))) return 'duplicate';
      marks.set(markKey, { ...mark });
      partition.set(sk(entry), structuredClone(entry));
      partitions.set(pk(entry.unit, entry.day), partition);
      return 'recorded';
    },
    async listDay(unit, day, { limit, cursor }) {
      const key = pk(unit, day);
      queries.push({ pk: key, limit });
      let after = '';
      if (cursor !== undefined) {
        const start = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { pk?: string; sk?: string };
        if (start.pk !== key || typeof start.sk !== 'string') {
          throw new ValidationError('The cursor is not one this list issued', 'INVALID_CURSOR');
        }
        after = start.sk;
      }
      const rest = [...(partitions.get(key) ?? new Map<string, LedgerEntry>()).entries()]
        .filter(([k]) => k > after)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const page = rest.slice(0, limit);
      const items = page.map(([, entry]) => structuredClone(entry));
      return rest.length > limit
        ? { items, nextCursor: encodeCursor({ pk: key, sk: page.at(-1)![0] }) }
        : { items };
    },
  };
  const entries = () => [...partitions.values()].flatMap((p) => [...p.values()]);
  return { ledger, partitions, marks, queries, entries };
}
