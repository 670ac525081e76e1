// In-memory fake of the receipt store, with the DynamoDB adapter's rules: the counter is an atomic increment that never
// goes back, the receipt and the mark are written together or not at all (each only if absent), voids are best effort.
import type { IssuedReceipt } from '../../../shared/domain/issued-receipts';
import type { ConsumedMark } from '../../../shared/ports/consumed-events';
import type { ReceiptStore } from '../../../shared/ports/receipts';

export function memoryReceipts() {
  const receipts = new Map<string, IssuedReceipt>();
  const counters = new Map<string, number>();
  const marks = new Map<string, ConsumedMark>();
  const voids: { counterKey: string; number: number; reason: string; eventId: string }[] = [];
  /** Faults to inject: the next issue fails like a cancelled transaction, or meets a mark another delivery wrote. */
  const faults = { failNextIssue: false, markBeforeNextIssue: false };
  const receiptKey = (code: string, series: string, number: number) => `${code}#${series}#${number}`;
  const markKey = (consumer: string, eventId: string) => `${consumer}#${eventId}`;

  const store: ReceiptStore = {
    async consumed(consumer, eventId) {
      return marks.has(markKey(consumer, eventId));
    },
    async allocate(counterKey) {
      const next = (counters.get(counterKey) ?? 0) + 1;
      counters.set(counterKey, next);
      return next;
    },
    async issue(receipt, mark) {
      if (faults.failNextIssue) {
        faults.failNextIssue = false;
        throw new Error('TransactionCanceledException: injected');
      }
      if (faults.markBeforeNextIssue) {
        faults.markBeforeNextIssue = false;
        marks.set(markKey(mark.consumer, mark.eventId), { ...mark });
      }
      const { series, number } = receipt.receiptNumber;
      const key = receiptKey(receipt.dossierCode, series, number);
      if (marks.has(markKey(mark.consumer, mark.eventId))) return 'duplicate';
      // A number is given out once, so a receipt item already there is a broken counter: the write fails.
      if (receipts.has(key)) throw new Error(`TransactionCanceledException: ${key} exists`);
      marks.set(markKey(mark.consumer, mark.eventId), { ...mark });
      receipts.set(key, structuredClone(receipt));
      return 'issued';
    },
    async recordVoid(counterKey, number, why) {
      voids.push({ counterKey, number, reason: why.reason, eventId: why.eventId });
    },
    async listByDossier(code) {
      return [...receipts.values()]
        .filter((r) => r.dossierCode === code)
        .sort((a, b) => a.issuedAt.localeCompare(b.issuedAt))
        .map((r) => structuredClone(r));
    },
    async get(code, series, number) {
      const found = receipts.get(receiptKey(code, series, number));
      return found && structuredClone(found);
    },
  };
  const of = (code: string) =>
    [...receipts.values()]
      .filter((r) => r.dossierCode === code)
      .sort((a, b) => a.issuedAt.localeCompare(b.issuedAt));
  return { store, receipts, counters, marks, voids, faults, of };
}
