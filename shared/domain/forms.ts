// The one-stop forms a dossier has been issued (Circular 03/2025/TT-VPCP Appendix I), each with the facts it prints as
// they stood when it was issued: a form is rendered from these later (on first download), never inside the move.
import type { Handoff } from './routing';

/** Forms 01–06 of Appendix I (07, the dossier register, is a book, not a form a dossier is issued). */
export const formNumbers = ['01', '02', '03', '04', '05', '06'] as const;
export type FormNumber = (typeof formNumbers)[number];

/** Mẫu số 01: the documents and days as received; a later supplement changes the dossier, not the slip in hand. */
export interface ReceiptFacts {
  officer: string;
  receivedAt: string;
  /** YYYY-MM-DD, from the working calendar at issue. */
  appointmentDay: string;
  /** Omitted for same-day procedures. */
  statutoryWorkingDays?: number;
  documents: { name: string; form: 'original' | 'electronic'; copies: number }[];
  /** Integer VND; only when every fee of the procedure applies unconditionally and the filing was at the counter. */
  feesVnd?: number;
}

/** Mẫu số 02. */
export interface SupplementRequestFacts {
  officer: string;
  requestedAt: string;
  items: { name: string; reason: string }[];
}

/** Mẫu số 03. */
export interface RefusalFacts {
  officer: string;
  refusedAt: string;
  reason: string;
}

/**
 * Mẫu số 04, from the overdue notice it answers (`routing.overdue`). Agencies are kept by id and named when rendered,
 * as branches are. `officer` is whoever signs for the unit; absent when the workflow issued it.
 */
export interface OverdueFacts {
  officer?: string;
  /** When the step was found past its due time. */
  at: string;
  /** The agency whose step is late. */
  agency: string;
  stepId: string;
  reason: string;
  receivedAt: string;
  /** YYYY-MM-DD: the day the applicant was promised, and the one proposed now. */
  previousAppointmentDay: string;
  newAppointmentDay: string;
}

/** Mẫu số 05, from `dossier.stop`. */
export interface StopFacts {
  officer?: string;
  at: string;
  reason: string;
  /** Whose request processing stopped at: the applicant's (Decree 118 Art. 21) or an agency's. */
  requestedBy?: 'applicant' | 'agency';
  /** The agency that asked to stop (by id), when it was one. */
  agency?: string;
  /** The legal ground, when the stop follows from the law rather than a request. */
  legalBasis?: string;
}

/** Mẫu số 06: the header and a snapshot of `routing.handoffs` as they stood at the version that issued it. */
export interface ControlSlipFacts {
  officer?: string;
  receivedAt: string;
  /** YYYY-MM-DD, as the dossier's deadline stood at issue. */
  appointmentDay: string;
  rows: Handoff[];
}

interface Issued<F extends FormNumber, Facts> {
  form: F;
  /** Where its PDF is kept once rendered: one key per dossier, version and form, so nothing is written before commit. */
  key: string;
  /** When it was issued: the date it prints. */
  at: string;
  /** Absent only on forms issued before facts were recorded, which were rendered when issued. */
  facts?: Facts;
}

export type IssuedForm =
  | Issued<'01', ReceiptFacts>
  | Issued<'02', SupplementRequestFacts>
  | Issued<'03', RefusalFacts>
  | Issued<'04', OverdueFacts>
  | Issued<'05', StopFacts>
  | Issued<'06', ControlSlipFacts>;
