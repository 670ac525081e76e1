// The stream consumers, declared once: the local poller runs them from here and the CDK stack builds their
// functions and event source mappings from the same list (handler, events, resources, stream settings).
import type { ResourceId } from '../data/resources';
import { type EventName, eventNames } from '../domain/events';
import { statisticsEvents } from '../domain/statistics';
import { notifiedEvents } from '../notifications/plan';
import { eventFilterPattern, type FilterPattern } from './filter';

export interface StreamSettings {
  /** Records per invocation (Lambda's BatchSize; DynamoDB streams default 100). */
  batchSize: number;
  /** Retries of a failing batch before its records are dead-lettered (MaximumRetryAttempts). */
  maxRetries: number;
  /** Split a batch whose invocation failed, to isolate the record at fault (BisectBatchOnFunctionError). */
  bisectOnError: boolean;
  /** The handler's time limit; a timeout is a failed invocation. */
  timeoutSeconds: number;
}

export interface ConsumerDefinition {
  /** Stable id: construct id, the name of its consumed-event marks, checkpoint and dead-letter names. */
  id: string;
  description: string;
  /** Handler module, relative to the repository root, exporting `handler`. */
  handler: string;
  /** The table whose stream it reads. */
  source: 'dossiers';
  events: readonly EventName[];
  /** Stateful resources the function touches, as routes declare them: grants and environment variables. */
  uses: Partial<Record<ResourceId, 'read' | 'readwrite'>>;
  /** The routing state machine: `start` runs (only the starter), `callback` answers waiting tasks. */
  workflow?: 'start' | 'callback';
  /** Messages it sends the applicant (SES email, SNS SMS): the events stack grants them and names the senders. */
  sends?: readonly ('email' | 'sms')[];
  /** Sends agencies signed webhooks: the events stack grants it the agencies' endpoint secrets (and names them). */
  notifies?: boolean;
  /** It numbers e-receipts: the events stack gives it the environment's receipt book (`receipts`). */
  issuesReceipts?: boolean;
  stream?: Partial<StreamSettings>;
}

export const defaultStreamSettings: StreamSettings = {
  batchSize: 100,
  maxRetries: 3,
  bisectOnError: true,
  timeoutSeconds: 30,
};

export function defineConsumers<const T extends readonly ConsumerDefinition[]>(consumers: T): T {
  return consumers;
}

export const consumerList = defineConsumers([
  {
    id: 'audit-log',
    description: 'Appends every domain event to the hash-chained audit log',
    handler: 'functions/audit/on-dossier-event.ts',
    source: 'dossiers',
    events: eventNames,
    uses: { audit: 'readwrite' },
  },
  {
    id: 'personal-store-feed',
    description:
      "Puts a received dossier's reusable documents, and the result documents of a finished one, into the applicant's personal data store",
    handler: 'functions/documents/on-dossier-received.ts',
    source: 'dossiers',
    events: ['DossierReceived', 'DossierSupplemented', 'DossierResultReady'],
    uses: { dossiers: 'readwrite', catalogue: 'read' },
  },
  {
    id: 'receipt-issuer',
    description:
      "Issues the e-receipt of what a payment paid of a dossier's fees: the next number of the year's series, once per event",
    handler: 'functions/receipts/on-dossier-paid.ts',
    source: 'dossiers',
    events: ['DossierPaid'],
    uses: { dossiers: 'readwrite', catalogue: 'read' },
    issuesReceipts: true,
    // A failed issue costs a number (recorded void): a few retries, then the dead-letter queue.
    stream: { batchSize: 10 },
  },
  {
    id: 'routing-starter',
    description:
      'Starts the route of a received dossier (once its fees due before processing are paid): IN_PROGRESS and one workflow run per dossier and attempt',
    handler: 'functions/routing/on-dossier-received.ts',
    source: 'dossiers',
    events: ['DossierReceived', 'DossierPaid'],
    uses: { dossiers: 'readwrite', catalogue: 'read' },
    workflow: 'start',
    // A start races nothing but the applicant; a few quick retries cover the workflow service restarting.
    stream: { batchSize: 10, maxRetries: 5 },
  },
  {
    id: 'routing-resume',
    description:
      "Brings a step back to its agency after the applicant's supplement; a withdrawal releases the waiting agencies",
    handler: 'functions/routing/on-dossier-supplemented.ts',
    source: 'dossiers',
    events: ['DossierSupplemented', 'DossierWithdrawn'],
    uses: { dossiers: 'readwrite' },
    workflow: 'callback',
    stream: { batchSize: 10, maxRetries: 10 },
  },
  {
    id: 'routing-forwarded',
    description:
      'Tells the agency a step was forwarded to, by the signed webhook of a task assigned to it (who handed it over and why)',
    handler: 'functions/routing/on-step-forwarded.ts',
    source: 'dossiers',
    events: ['DossierStepForwarded'],
    // The task by key; no marks: a redelivery repeats the webhook id, which the agency drops.
    uses: { dossiers: 'read' },
    notifies: true,
    // One notice per invocation: its delivery retries on its own (3 attempts of up to 15 s), so an agency whose
    // endpoint hangs times out only its own event. Forwards are rare.
    stream: { batchSize: 1, timeoutSeconds: 60 },
  },
  {
    id: 'payment-ledger',
    description:
      "Enters every settled payment (paid or failed) once in its branch's ledger of the Vietnam-local day",
    handler: 'functions/ledger/on-dossier-paid.ts',
    source: 'dossiers',
    events: ['DossierPaid', 'DossierPaymentFailed'],
    uses: { dossiers: 'readwrite' },
  },
  {
    id: 'notifications',
    description:
      'Tells the applicant by email and SMS (their preference, Vietnamese or English) what happened to their dossier, once per event and channel',
    handler: 'functions/notifications/on-dossier-event.ts',
    source: 'dossiers',
    events: notifiedEvents,
    uses: { dossiers: 'readwrite' },
    sends: ['email', 'sms'],
    // A failing channel stops its batch: small batches keep the others' messages from waiting behind it.
    stream: { batchSize: 10 },
  },
  {
    id: 'supervisor-alerts',
    description:
      "Emails the supervisors' mailbox once per step past its due time (the dossier, the late agency, both appointment days)",
    handler: 'functions/stats/on-dossier-overdue.ts',
    source: 'dossiers',
    events: ['DossierOverdue'],
    // Its consumed marks only; it reads no dossier.
    uses: { dossiers: 'readwrite' },
    sends: ['email'],
    stream: { batchSize: 10 },
  },
  {
    id: 'statistics',
    description:
      "Adds what each event counts (received, finished on time or late, paid online, rated…) to its day's sharded counters per unit, procedure and channel, once",
    handler: 'functions/stats/on-dossier-event.ts',
    source: 'dossiers',
    events: statisticsEvents,
    uses: { dossiers: 'readwrite' },
  },
]);

export type ConsumerId = (typeof consumerList)[number]['id'];

export function consumer(id: ConsumerId): ConsumerDefinition {
  return consumerList.find((c) => c.id === id)!;
}

export function streamSettings(definition: ConsumerDefinition): StreamSettings {
  return { ...defaultStreamSettings, ...definition.stream };
}

/** What the event source mapping's FilterCriteria carries, and what the local poller applies. */
export function filterOf(definition: ConsumerDefinition): FilterPattern {
  return eventFilterPattern(definition.events);
}
