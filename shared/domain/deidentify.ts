// De-identification for data sharing: a dossier becomes a fact row by an allow-list. Every column is declared once
// below (name, Athena type, meaning) and copied explicitly from the dossier; nothing else of the dossier can reach a
// row. The Glue table's columns are these (infra/stacks/data-sharing-stack.ts), so the export and Athena agree.
//
// Never copied: the dossier code and lookup key (handles to a person: a keyed pseudonym replaces the code), the
// applicant (name, citizen ID, date of birth, phone, email, address, preferences) and its key, the owner account, the
// answers (free form), document names, files and keys, every free-text reason, note and comment, officers' and
// collectors' names and IDs, payment and tracking numbers, exact times (only Vietnam-local days leave).
import { createHmac } from 'node:crypto';
import { isWorkingDay } from './calendar';
import { dayNumber, dayString, localParts } from './calendar-core';
import type { Dossier } from './dossier';
import { outstandingVnd } from './payments';
import { finishingClass } from './statistics';

/** Athena (Hive DDL) types the export uses; `date` columns are `YYYY-MM-DD` strings in the JSON. */
export type FactType = 'string' | 'int' | 'bigint' | 'boolean' | 'date';

export interface FactColumn {
  name: string;
  type: FactType;
  /** Present in every row; the others are `null` when the dossier has no such fact (yet). */
  required?: true;
  comment: string;
}

export const factColumns = [
  {
    name: 'dossier_ref',
    type: 'string',
    required: true,
    comment:
      'Keyed pseudonym of the dossier (HMAC-SHA256 of its code with the environment key, 128 bits, hex): joins rows of one dossier, never leads back to it',
  },
  { name: 'unit', type: 'string', required: true, comment: 'Receiving branch (electronic unit code)' },
  { name: 'procedure_code', type: 'string', required: true, comment: 'National procedure code' },
  {
    name: 'procedure_version',
    type: 'int',
    required: true,
    comment: 'Catalogue version the dossier was filed under',
  },
  { name: 'channel', type: 'string', required: true, comment: 'online | counter' },
  { name: 'status', type: 'string', required: true, comment: 'Status when exported (SUBMITTED … WITHDRAWN)' },
  { name: 'filed_day', type: 'date', required: true, comment: 'Vietnam-local day it was filed' },
  { name: 'received_day', type: 'date', comment: 'Vietnam-local day it was received' },
  {
    name: 'due_day',
    type: 'date',
    comment: 'Appointment day (supplement time excluded; an apology letter does not move it)',
  },
  {
    name: 'finished_day',
    type: 'date',
    comment: 'Day the result, or the notice of a rejection or a stop, was ready',
  },
  { name: 'returned_day', type: 'date', comment: 'Day the result was returned' },
  {
    name: 'processing_days',
    type: 'int',
    required: true,
    comment: 'Statutory processing time, working days',
  },
  {
    name: 'working_days_to_finish',
    type: 'int',
    comment: 'Working days after the receipt day up to and including finished_day',
  },
  {
    name: 'timeliness',
    type: 'string',
    comment:
      'early | on-time | late against due_day (more than one supplement request is late, as Decision 766 counts); null unless finished with a result or a rejection',
  },
  {
    name: 'overdue_flagged',
    type: 'boolean',
    required: true,
    comment: 'An agency step ran past its due time (form 04 issued)',
  },
  { name: 'document_count', type: 'int', required: true, comment: 'Input documents' },
  {
    name: 'documents_reused',
    type: 'int',
    required: true,
    comment: "Input documents taken from the applicant's personal data store",
  },
  {
    name: 'documents_scanned',
    type: 'int',
    required: true,
    comment: 'Input documents digitized at the counter',
  },
  {
    name: 'supplement_requests',
    type: 'int',
    required: true,
    comment: 'Supplement requests after receipt (each paused the clock)',
  },
  { name: 'route_stages', type: 'int', comment: 'Stages of its inter-agency route, once routed' },
  { name: 'fee_total_vnd', type: 'bigint', required: true, comment: 'Fees due, VND' },
  { name: 'fee_paid_vnd', type: 'bigint', required: true, comment: 'Fees paid and applied, VND' },
  {
    name: 'fees_settled',
    type: 'boolean',
    required: true,
    comment: 'Nothing left to pay (also true when nothing was due)',
  },
  {
    name: 'paid_online',
    type: 'boolean',
    required: true,
    comment: 'A payment through an online provider succeeded',
  },
  { name: 'result_kind', type: 'string', comment: 'documents | notice (rejected or stopped)' },
  { name: 'result_documents', type: 'int', comment: 'Result documents the agencies attached' },
  { name: 'return_method', type: 'string', comment: 'electronic | post | counter' },
  { name: 'rating_score', type: 'int', comment: "The applicant's satisfaction rating, 1–5" },
] as const satisfies readonly FactColumn[];

type ValueOf<T extends FactType> = T extends 'int' | 'bigint'
  ? number
  : T extends 'boolean'
    ? boolean
    : string;
type Column = (typeof factColumns)[number];

/** One de-identified dossier: exactly the declared columns, in their order. */
export type FactRow = {
  -readonly [C in Column as C['name']]: C extends { required: true }
    ? ValueOf<C['type']>
    : ValueOf<C['type']> | null;
};

/** The declared column names, in order: the keys of every row and the columns of the Glue table. */
export const factColumnNames: readonly (keyof FactRow)[] = factColumns.map((c) => c.name);

/** Hex characters of the pseudonym kept: 128 bits, collision-free at any dossier count the platform will see. */
const PSEUDONYM_HEX = 32;

/**
 * A keyed pseudonym of a dossier code: without the key, nobody can compute it from a code (so a receipt in someone's
 * hand does not find their row) nor reverse it; with the same key, the same dossier gets the same pseudonym every day.
 */
export function pseudonym(code: string, key: string): string {
  if (key.length < 32) throw new RangeError('the pseudonym key must be at least 32 characters');
  return createHmac('sha256', key).update(code, 'utf8').digest('hex').slice(0, PSEUDONYM_HEX);
}

const localDay = (at: string | undefined) => (at ? dayString(localParts(new Date(at)).day) : null);

/** Working days d with receipt day < d ≤ finished day (the receipt day is not counted, as in the appointment rule). */
function workingDaysBetween(receivedDay: string, finishedDay: string): number {
  const from = dayNumber(receivedDay);
  const to = dayNumber(finishedDay);
  let count = 0;
  for (let d = from + 1; d <= to; d += 1) if (isWorkingDay(dayString(d))) count += 1;
  return count;
}

const timelinessOf = {
  finishedEarly: 'early',
  finishedOnTime: 'on-time',
  finishedLate: 'late',
} as const;

/** The fact row of a dossier: each column copied on purpose, nothing else. */
export function deidentify(dossier: Dossier, pseudonymKey: string): FactRow {
  const receivedDay = localDay(dossier.receivedAt);
  const finishedDay = localDay(dossier.result?.readyAt);
  const supplementRequests = dossier.deadline?.pauses.length ?? 0;
  const dueDay = dossier.deadline?.appointmentDay ?? null;
  // Finished as the statistics count it: a result, or a rejection; a stop ends the dossier without a finish.
  const finished = finishedDay && dossier.status !== 'STOPPED' ? finishedDay : null;
  const fees = dossier.fees;
  const rating = dossier.rating?.score;
  return {
    dossier_ref: pseudonym(dossier.code, pseudonymKey),
    unit: dossier.unit,
    procedure_code: dossier.procedure.code,
    procedure_version: dossier.procedure.version,
    channel: dossier.channel,
    status: dossier.status,
    filed_day: localDay(dossier.submittedAt)!,
    received_day: receivedDay,
    due_day: dueDay,
    finished_day: finishedDay,
    returned_day: localDay(dossier.result?.returned?.at),
    processing_days: dossier.procedure.processingDays,
    working_days_to_finish: receivedDay && finished ? workingDaysBetween(receivedDay, finished) : null,
    timeliness: finished
      ? timelinessOf[finishingClass({ ...(dueDay ? { dueDay } : {}), supplementRequests }, finished)]
      : null,
    overdue_flagged: (dossier.routing?.overdue?.length ?? 0) > 0,
    document_count: dossier.documents.length,
    documents_reused: dossier.documents.filter((d) => d.source === 'personal-store').length,
    documents_scanned: dossier.documents.filter((d) => d.digitizedBy !== undefined).length,
    supplement_requests: supplementRequests,
    route_stages: dossier.routing ? dossier.routing.stageCount : null,
    fee_total_vnd: fees?.totalVnd ?? 0,
    fee_paid_vnd: fees?.paidVnd ?? 0,
    fees_settled: outstandingVnd(fees) === 0,
    paid_online: (fees?.payments ?? []).some((p) => p.status === 'paid'),
    result_kind: dossier.result?.kind ?? null,
    result_documents: dossier.result ? dossier.result.documents.length : null,
    return_method: dossier.result?.returned?.method ?? null,
    rating_score: rating ?? null,
  };
}
