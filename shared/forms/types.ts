// View models for the one-stop forms of Circular 03/2025/TT-VPCP Appendix I: pure data, built from a dossier elsewhere.

export interface FormParty {
  fullName: string;
  /** Already masked by the caller (e.g. `0010******45`); the renderer masks again anything that looks whole. */
  idNumberMasked?: string;
  address?: string;
  phone?: string;
  email?: string;
}

export type DocumentForm = 'original' | 'copy' | 'certified-copy' | 'electronic';

export interface FormDocument {
  name: string;
  copies: number;
  form: DocumentForm;
}

export interface FormUnit {
  /** The receiving branch, e.g. `Chi nhánh số 1`. */
  name: string;
  /** The body above it, e.g. `Trung tâm Phục vụ hành chính công thành phố Hà Nội`. */
  parentName?: string;
  address?: string;
  phone?: string;
  /** Place printed before the date line, e.g. `Hà Nội`. */
  locality?: string;
}

export interface FormBase {
  /** e.g. `000.00.01.H26-261127-0042` */
  dossierCode: string;
  /** Printed as a QR code and as text; includes the lookup key. */
  trackingUrl: string;
  /** Printed so the citizen can track the dossier without an account. */
  lookupKey: string;
  /** ISO instant; the header date and the PDF CreationDate. */
  issuedAt: string;
  unit: FormUnit;
  procedure: { code: string; name: string };
  applicant: FormParty;
  officer: { fullName: string };
}

/** Mẫu số 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả. */
export interface ReceiptSlipInput extends FormBase {
  documents: FormDocument[];
  /** ISO instant of valid receipt. */
  receivedAt: string;
  /** YYYY-MM-DD, already computed on the working calendar. */
  appointmentDay: string;
  /** Statutory processing time in working days; omitted for same-day procedures. */
  statutoryWorkingDays?: number;
  appointmentPlace?: string;
  resultChannel?: string;
  /** Integer VND; 0 prints as free, undefined prints nothing. */
  feesVnd?: number;
  /** The register (form 07) entry: its book (`<unit>/<year>`) and the entry, cited by the dossier code. */
  register?: { book: string; entry: string };
}

/** Mẫu số 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ. */
export interface SupplementRequestInput extends FormBase {
  items: { name: string; reason: string }[];
  /** ISO instant. */
  requestedAt: string;
  /** YYYY-MM-DD. */
  deadlineDay?: string;
}

/** Mẫu số 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ. */
export interface RefusalInput extends FormBase {
  reason: string;
  /** ISO instant. */
  refusedAt: string;
  legalBasis?: string;
}

/** Mẫu số 04: Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (the apology and the new appointment day). */
export interface ApologyInput extends FormBase {
  /** ISO instant of valid receipt. */
  receivedAt: string;
  /** YYYY-MM-DD: the day the applicant was promised. */
  previousAppointmentDay: string;
  /** YYYY-MM-DD: the day proposed now. */
  newAppointmentDay: string;
  reason: string;
  /** The name of the agency whose step is late. */
  lateAgency: string;
}

/** Mẫu số 05: Thông báo dừng giải quyết hồ sơ. */
export interface StopNoticeInput extends FormBase {
  /** ISO instant processing stopped. */
  stoppedAt: string;
  reason: string;
  /** Whose request it stopped at; the applicant is named from `applicant`, an agency by `requestingAgency`. */
  requestedBy?: 'applicant' | 'agency';
  requestingAgency?: string;
  legalBasis?: string;
}

export type HandoffResult = 'early' | 'on-time' | 'late';

/** One hand-over of the dossier, its parties already named. */
export interface ControlSlipRow {
  giver: string;
  receiver: string;
  /** ISO instant of the hand-over. */
  at: string;
  /** ISO instant the finishing step was due, printed beside the time. */
  dueAt?: string;
  /** Set on rows where an agency hands back a finished step. */
  result?: HandoffResult;
  note?: string;
}

/** Mẫu số 06: Phiếu kiểm soát quá trình giải quyết hồ sơ. */
export interface ControlSlipInput extends FormBase {
  /** ISO instant of valid receipt. */
  receivedAt: string;
  /** YYYY-MM-DD. */
  appointmentDay: string;
  /** The agencies that resolve the dossier, by name, in route order; printed when there are any. */
  resolvingUnits?: string[];
  rows: ControlSlipRow[];
}
