// The one-stop forms a dossier has been issued (Circular 03/2025/TT-VPCP Appendix I), each with the facts it prints as
// they stood when it was issued: a form is rendered from these later (on first download), never inside the move.

export type FormNumber = '01' | '02' | '03';

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
  | Issued<'03', RefusalFacts>;
