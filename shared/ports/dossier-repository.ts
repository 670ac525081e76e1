// What the dossier use cases need from storage.
import type { Page } from '../cursor';
import type { Dossier, DossierStatus, HistoryEntry } from '../domain/dossier';
import type { DomainEvent } from '../domain/events';
import type { IssuedReceipt } from '../domain/issued-receipts';
import type { PageRequest } from './catalogue-repository';
import type { IdempotencyRecord } from './idempotency-store';
import type { TaskWrite } from './task-repository';

export interface NewDossier {
  dossier: Dossier;
  history: HistoryEntry[];
  idempotency?: IdempotencyRecord;
  /** The domain events of the change, written in the same transaction. */
  events?: DomainEvent[];
}

export interface DossierRepository {
  /**
   * Allocates the next code of the unit's day (one atomic counter update), then writes dossier, history, events and
   * idempotency record in one transaction. `build` receives the code and returns what to write. A number whose
   * transaction fails is not reused: it is recorded as void under the counter, so the day's register can say why
   * it is missing.
   */
  create(unit: string, day: string, build: (code: string) => NewDossier): Promise<Dossier>;
  get(code: string): Promise<Dossier | undefined>;
  /** Several dossiers by code, in one read (strongly consistent, as `get`); a code not found is absent. */
  getMany(codes: readonly string[]): Promise<Map<string, Dossier>>;
  /** The dossier, its history and the e-receipts issued for it: its whole collection in one Query. */
  getWithHistory(
    code: string,
  ): Promise<{ dossier: Dossier; history: HistoryEntry[]; receipts: IssuedReceipt[] } | undefined>;
  /** Conditional on `expectedVersion`; a lost race is a 409 VERSION_CONFLICT. */
  update(input: {
    dossier: Dossier;
    expectedVersion: number;
    entry: HistoryEntry;
    idempotency?: IdempotencyRecord;
    events?: DomainEvent[];
    /** Agency tasks written in the same transaction, each conditional on its own version. */
    tasks?: TaskWrite[];
    /** Payments this change starts: each id is claimed for this dossier (a taken id fails the change). */
    newPayments?: string[];
  }): Promise<void>;
  /** Which dossier a payment id belongs to (a provider's callback names only the payment). */
  dossierOfPayment(paymentId: string): Promise<string | undefined>;
  listByApplicant(applicantKey: string, page: PageRequest): Promise<Page<Dossier>>;
  listByBranchStatus(unit: string, status: DossierStatus, page: PageRequest): Promise<Page<Dossier>>;
  listDue(unit: string, untilDay: string, page: PageRequest): Promise<Page<Dossier>>;
  /**
   * The unit's dossiers whose clock runs (received or in progress; a supplement request pauses it), counted by their
   * appointment day against `today` (Vietnam-local): late before it, on time from it on. Counts only (the due-day
   * index, Select COUNT): no dossier is read.
   */
  countInProgress(unit: string, today: string): Promise<{ onTime: number; late: number }>;
  /**
   * The unit's register book of a year (form 07): dossiers received from `from` (inclusive) until `until` (exclusive),
   * ISO instants within that year, in receipt order.
   */
  listReceived(
    unit: string,
    year: number,
    from: string,
    until: string,
    page: PageRequest,
  ): Promise<Page<Dossier>>;
  /** Dossiers whose oldest payment without a verdict started before `startedBefore` (ISO), oldest first. */
  listUnsettledPayments(startedBefore: string, page: PageRequest): Promise<Page<Dossier>>;
}
