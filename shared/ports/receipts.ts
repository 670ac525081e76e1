// Where issued e-receipts and their numbering live (the dossiers table in DynamoDB).
import type { IssuedReceipt } from '../domain/issued-receipts';
import type { ConsumedMark } from './consumed-events';

export interface ReceiptStore {
  /** Whether the consumer already took this event: asked before a number is taken, so a redelivery costs none. */
  consumed(consumer: string, eventId: string): Promise<boolean>;
  /** The next number of a counter (`receiptCounterKey`), by one atomic increment: never handed out twice. */
  allocate(counterKey: string): Promise<number>;
  /**
   * The receipt and the consumer's mark in one write, each only if absent; 'duplicate' when the mark was there
   * (another delivery of the event issued first) and nothing was written.
   */
  issue(receipt: IssuedReceipt, mark: ConsumedMark): Promise<'issued' | 'duplicate'>;
  /** Best effort: records why a number `allocate` gave out is not on any receipt, so the gap reads as void. */
  recordVoid(
    counterKey: string,
    number: number,
    why: { reason: string; at: string; dossierCode: string; eventId: string },
  ): Promise<void>;
  /** A dossier's receipts, oldest first (one Query of its collection). */
  listByDossier(dossierCode: string): Promise<IssuedReceipt[]>;
  /** One receipt by its key: dossier, series, number. */
  get(dossierCode: string, series: string, number: number): Promise<IssuedReceipt | undefined>;
}
