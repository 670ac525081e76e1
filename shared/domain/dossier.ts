// The dossier and its one state machine: every move is checked here and recorded with actor, time and reason.
import { ConflictError } from '../errors';
import type { IssuedForm } from './forms';
import type { DossierFees } from './payments';
import type { Handoff, OverdueNotice, RouteFailure, StepProgress } from './routing';

export const statuses = [
  'SUBMITTED',
  'RECEIVED',
  'IN_PROGRESS',
  'SUPPLEMENT_REQUESTED',
  'RESULT_READY',
  'RETURNED',
  'REFUSED',
  'REJECTED',
  'STOPPED',
  'WITHDRAWN',
] as const;
export type DossierStatus = (typeof statuses)[number];

export const statusLabels: Record<DossierStatus, { vi: string; en: string }> = {
  SUBMITTED: { vi: 'Đã nộp trực tuyến, chờ tiếp nhận', en: 'Submitted online, awaiting intake' },
  RECEIVED: { vi: 'Đã tiếp nhận', en: 'Received' },
  IN_PROGRESS: { vi: 'Đang giải quyết', en: 'In progress' },
  SUPPLEMENT_REQUESTED: { vi: 'Yêu cầu bổ sung hồ sơ', en: 'Supplement requested' },
  RESULT_READY: { vi: 'Có kết quả, chờ trả', en: 'Result ready' },
  RETURNED: { vi: 'Đã trả kết quả', en: 'Result returned' },
  REFUSED: { vi: 'Từ chối tiếp nhận', en: 'Refused at intake' },
  REJECTED: { vi: 'Không giải quyết', en: 'Rejected' },
  STOPPED: { vi: 'Dừng xử lý', en: 'Processing stopped' },
  WITHDRAWN: { vi: 'Đã rút hồ sơ', en: 'Withdrawn' },
};

const terminal: ReadonlySet<DossierStatus> = new Set([
  'RETURNED',
  'REFUSED',
  'REJECTED',
  'STOPPED',
  'WITHDRAWN',
]);

export type DossierAction =
  | 'submit'
  | 'intake'
  | 'receive'
  | 'requestSupplement'
  | 'supplement'
  | 'refuse'
  | 'route'
  | 'completeStage'
  | 'startStage'
  | 'decideStep'
  | 'forwardStep'
  | 'flagOverdue'
  | 'redrive'
  | 'recordRouteFailure'
  | 'approveAll'
  | 'reject'
  | 'stop'
  | 'dispatch'
  | 'return'
  | 'rate'
  | 'withdraw'
  | 'startPayment'
  | 'settlePayment'
  | 'requestRefund'
  | 'settleRefund';

/** `null` as a source means the dossier does not exist yet. `resume` returns to where the supplement request began; `same` keeps the status. */
const transitions: Record<
  DossierAction,
  { from: readonly (DossierStatus | null)[]; to: DossierStatus | 'resume' | 'same' }
> = {
  submit: { from: [null], to: 'SUBMITTED' },
  intake: { from: [null], to: 'RECEIVED' },
  receive: { from: ['SUBMITTED'], to: 'RECEIVED' },
  requestSupplement: { from: ['SUBMITTED', 'RECEIVED', 'IN_PROGRESS'], to: 'SUPPLEMENT_REQUESTED' },
  supplement: { from: ['SUPPLEMENT_REQUESTED'], to: 'resume' },
  refuse: { from: ['SUBMITTED', 'SUPPLEMENT_REQUESTED'], to: 'REFUSED' },
  route: { from: ['RECEIVED'], to: 'IN_PROGRESS' },
  // A hand-off between the agencies of a route (a form 06 entry): the dossier stays in progress.
  completeStage: { from: ['IN_PROGRESS'], to: 'IN_PROGRESS' },
  // A stage's steps handed to their agencies, one agency's answer, a step past its due time: still in progress.
  startStage: { from: ['IN_PROGRESS'], to: 'IN_PROGRESS' },
  decideStep: { from: ['IN_PROGRESS'], to: 'IN_PROGRESS' },
  // The agency holding a step hands it to another the route allows (a form 06 entry); the step and its clock go on.
  forwardStep: { from: ['IN_PROGRESS'], to: 'IN_PROGRESS' },
  flagOverdue: { from: ['IN_PROGRESS'], to: 'IN_PROGRESS' },
  // A new run of the route from the dossier's recorded progress (its run was lost or failed).
  redrive: { from: ['IN_PROGRESS', 'SUPPLEMENT_REQUESTED'], to: 'same' },
  // A run failed past its retries: recorded for the sweep and the supervisors; the dossier keeps its status.
  recordRouteFailure: { from: ['IN_PROGRESS', 'SUPPLEMENT_REQUESTED'], to: 'same' },
  approveAll: { from: ['IN_PROGRESS'], to: 'RESULT_READY' },
  reject: { from: ['IN_PROGRESS'], to: 'REJECTED' },
  stop: { from: ['IN_PROGRESS'], to: 'STOPPED' },
  // A paper result handed to the post: still to be delivered, so still RESULT_READY.
  dispatch: { from: ['RESULT_READY'], to: 'RESULT_READY' },
  return: { from: ['RESULT_READY'], to: 'RETURNED' },
  // Once, after the dossier ended with an outcome (`rate` in transitions.ts refuses a second).
  rate: { from: ['RETURNED', 'REJECTED', 'STOPPED'], to: 'same' },
  withdraw: { from: statuses.filter((s) => !terminal.has(s)), to: 'WITHDRAWN' },
  // Paying the fees never moves the dossier; `payable` (payments.ts) says when there is something to pay.
  startPayment: { from: statuses.filter((s) => !terminal.has(s)), to: 'same' },
  // A provider's verdict is recorded whatever the dossier's status: money that moved is never lost (refund-due).
  settlePayment: { from: statuses, to: 'same' },
  // Sending back what a dossier does not owe, whatever its status (closed ones most of all).
  requestRefund: { from: statuses, to: 'same' },
  settleRefund: { from: statuses, to: 'same' },
};

export function isTerminal(status: DossierStatus): boolean {
  return terminal.has(status);
}

/** Where an action leads from a status, or a 409 naming the current status. */
export function nextStatus(
  current: DossierStatus | null,
  action: DossierAction,
  resumeTo?: DossierStatus,
): DossierStatus {
  const rule = transitions[action];
  if (!rule.from.includes(current)) {
    throw new ConflictError(
      `Cannot ${action} a dossier that is ${current ?? 'not filed'}`,
      'INVALID_TRANSITION',
      {
        status: current,
        action,
      },
    );
  }
  // Refusing to receive is an intake decision: once received, a dossier can only be rejected by its agency.
  if (action === 'refuse' && current === 'SUPPLEMENT_REQUESTED' && resumeTo !== 'SUBMITTED') {
    throw new ConflictError('A received dossier cannot be refused at intake', 'INVALID_TRANSITION', {
      status: current,
      action,
    });
  }
  if (rule.to === 'same') return current!;
  if (rule.to !== 'resume') return rule.to;
  if (!resumeTo)
    throw new ConflictError('Nothing to resume', 'INVALID_TRANSITION', { status: current, action });
  return resumeTo;
}

export type Actor =
  | { kind: 'citizen'; sub: string; name: string }
  | { kind: 'officer'; sub: string; name: string; branch: string }
  | { kind: 'agency'; agency: string }
  | { kind: 'provider'; provider: string }
  | { kind: 'system' };

export interface HistoryEntry {
  seq: number;
  at: string;
  action: DossierAction;
  from: DossierStatus | null;
  to: DossierStatus;
  actor: Actor;
  reason?: string;
}

export interface Localized {
  vi: string;
  en: string;
}

export interface DossierDocument {
  requirementId: string;
  name: Localized;
  source: 'upload' | 'personal-store';
  documentId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  s3Key: string;
  digitizedBy?: { sub: string; name: string; branch: string };
}

export interface Applicant {
  fullName: string;
  citizenId: string;
  dateOfBirth?: string;
  phone?: string;
  email?: string;
  address?: string;
  /** Notification channels and language (shared/notifications/recipients.ts has the default). */
  notify?: { channels: ('email' | 'sms')[]; language: 'vi' | 'en' };
}

export interface Deadline {
  workingDays: number;
  /** The receipt as it happened; the working-hours rule (see `dueTime` in calendar.ts) applies when computing. */
  receivedAt: string;
  /** The local day of the due time: the receipt plus the working days, plus the working time paused. */
  appointmentDay: string;
  pauses: { from: string; to?: string }[];
  /** Which years were computed from a government decision and which from the statute alone. */
  basis: { year: number; decided: boolean; source?: string; statutoryOnly: string[] }[];
  computedAt: string;
}

export interface Dossier {
  code: string;
  lookupKey: string;
  procedure: { code: string; version: number; name: Localized; processingDays: number };
  unit: string;
  channel: 'online' | 'counter';
  applicant: Applicant;
  /** Hash of the applicant's citizen ID: lists a citizen's dossiers whoever filed them. */
  applicantKey: string;
  ownerSub?: string;
  answers: Record<string, string | number | boolean>;
  documents: DossierDocument[];
  status: DossierStatus;
  version: number;
  historyCount: number;
  submittedAt: string;
  receivedAt?: string;
  receivedBy?: { sub: string; name: string };
  deadline?: Deadline;
  supplement?: {
    items: { name: string; reason: string; requirementId?: string }[];
    requestedAt: string;
    resumeTo: DossierStatus;
  };
  refusal?: { reason: string; at: string };
  withdrawal?: { reason: string; at: string };
  /** Inter-agency routing (ARCHITECTURE.md §3): which run, and how far the route has come (re-drive starts here). */
  routing?: {
    attempt: number;
    executionName: string;
    startedAt: string;
    /** Stages whose steps all approved, in order; the next stage to run is `completedStages`. */
    completedStages: number;
    stageCount: number;
    endedAt?: string;
    /** Each step's state and answer, by step id (`s<stage>-<step>`). */
    steps?: Record<string, StepProgress>;
    /** Form 06: every hand-off, in order. */
    handoffs?: Handoff[];
    /** Form 04: each time a step ran past its due time. */
    overdue?: OverdueNotice[];
    /**
     * The last failed run, while no stage has completed since: `count` runs in a row failed (automatic re-drives
     * stop at MAX_AUTOMATIC_REDRIVES; an operator's re-drive or a completed stage clears it).
     */
    failure?: RouteFailure;
  };
  /** Why a routed dossier was rejected, and by which agency. */
  rejection?: { reason: string; agency: string; at: string };
  /** Processing stopped at the applicant's request or where the law requires (form 05). */
  stop?: { reason: string; at: string };
  /** What the dossier owes (from its pinned version, channel, day and answers) and its payments. */
  fees?: DossierFees;
  /** The outcome the applicant gets: the agencies' result documents, or the notice of a rejection or a stop. */
  result?: DossierResult;
  /** The applicant's satisfaction rating, once the dossier ended (for the service index). */
  rating?: { score: number; comment?: string; at: string };
  forms: IssuedForm[];
  updatedAt: string;
}

/** A result document an agency attached to its approval, verified like an upload and kept under `results/`. */
export interface ResultDocument {
  id: string;
  title: string;
  agency: string;
  stepId: string;
  /** The requirement a later dossier may reuse it for (e.g. `birth-certificate`), as the agency declared it. */
  documentType?: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  s3Key: string;
}

export interface StaffRef {
  sub: string;
  name: string;
  branch: string;
}

export interface DossierResult {
  /** `documents`: the route ended in RESULT_READY; `notice`: the dossier was rejected or stopped. */
  kind: 'documents' | 'notice';
  readyAt: string;
  documents: ResultDocument[];
  /** A paper result handed to the post (Hanoi's default from 2026); its delivery is the return. */
  dispatch?: { carrier: string; trackingNumber: string; at: string; by: StaffRef };
  /** The first return, which closes a RESULT_READY dossier as RETURNED (form 07's returned columns). */
  returned?: {
    at: string;
    method: 'electronic' | 'post' | 'counter';
    /** The officer who handed it over (post and counter). */
    by?: StaffRef;
    /** Who collected it at the counter: identity checked, on whose authorization. */
    collector?: { name: string; idNumber: string; authorization?: string };
  };
}

/** The next state of a dossier after an action, with its history entry; callers add their own changes. */
export function move(
  dossier: Dossier,
  action: DossierAction,
  actor: Actor,
  at: Date,
  changes: Partial<Dossier> = {},
  reason?: string,
): { dossier: Dossier; entry: HistoryEntry } {
  const to = nextStatus(dossier.status, action, dossier.supplement?.resumeTo);
  const seq = dossier.historyCount + 1;
  const entry: HistoryEntry = {
    seq,
    at: at.toISOString(),
    action,
    from: dossier.status,
    to,
    actor,
    ...(reason ? { reason } : {}),
  };
  return {
    dossier: {
      ...dossier,
      ...changes,
      status: to,
      version: dossier.version + 1,
      historyCount: seq,
      updatedAt: entry.at,
    },
    entry,
  };
}
