// One function per dossier transition: each takes the dossier, who acts (the authorized actor and the caller it
// came from) and the facts of the move, and returns the next dossier, its history entry and the events it emits.
// What a move changes is decided here, in one place; use cases authorize, load and store, and never pass fields.

import { ConflictError, NotFoundError, UnprocessableError } from '../errors';
import type { Caller } from './caller';
import {
  appointmentChangeNote,
  extendDeadline,
  isPaused,
  localDayOf,
  pauseDeadline,
  resumeDeadline,
  startDeadline,
} from './deadline';
import {
  type Actor,
  type Dossier,
  type DossierAction,
  type DossierDocument,
  type DossierResult,
  type HistoryEntry,
  move,
  nextStatus,
  type ResultDocument,
  type StaffRef,
} from './dossier';
import { eventContext, transitionEvents } from './dossier-events';
import { type DomainEvent, domainEvent } from './events';
import {
  awaitingPayment,
  openPayment,
  outstandingVnd,
  type Payment,
  payable,
  paymentOf,
  pendingRefund,
  type Refund,
  refundableVnd,
} from './payments';
import { forwardTargets, stepResult } from './routing';
import { taskId } from './tasks';

export interface Transition {
  dossier: Dossier;
  entry: HistoryEntry;
  events: DomainEvent[];
}

export interface By {
  actor: Actor;
  caller: Caller;
}

type Officer = Actor & { kind: 'officer' };
type Citizen = Actor & { kind: 'citizen' };

function transition(
  dossier: Dossier,
  action: DossierAction,
  by: By,
  at: Date,
  changes: Partial<Dossier>,
  reason?: string,
  extra: Parameters<typeof transitionEvents>[4] = {},
): Transition {
  const moved = move(dossier, action, by.actor, at, changes, reason);
  return { ...moved, events: transitionEvents(action, moved.dossier, by.caller, at, extra) };
}

/** What a filing knows before the dossier exists; the transition adds status, version, times and the clock. */
export type Filing = Omit<
  Dossier,
  | 'status'
  | 'version'
  | 'historyCount'
  | 'submittedAt'
  | 'updatedAt'
  | 'receivedAt'
  | 'receivedBy'
  | 'deadline'
>;

/**
 * Opens a dossier: online it waits for intake (SUBMITTED); at the counter the officer receives it on the spot
 * (RECEIVED), which starts its clock.
 */
export function open(filing: Filing, by: By & { actor: Citizen | Officer }, at: Date): Transition {
  const action = filing.channel === 'online' ? 'submit' : 'intake';
  const status = nextStatus(null, action);
  const iso = at.toISOString();
  const dossier: Dossier = {
    ...filing,
    status,
    version: 1,
    historyCount: 1,
    submittedAt: iso,
    ...(action === 'intake'
      ? {
          receivedAt: iso,
          receivedBy: { sub: (by.actor as Officer).sub, name: (by.actor as Officer).name },
          deadline: startDeadline(at, filing.procedure.processingDays),
        }
      : {}),
    updatedAt: iso,
  };
  const entry: HistoryEntry = { seq: 1, at: iso, action, from: null, to: status, actor: by.actor };
  return { dossier, entry, events: transitionEvents(action, dossier, by.caller, at) };
}

/** An officer receives an online submission: the clock starts, with the appointment day on the calendar. */
export function receive(dossier: Dossier, by: By & { actor: Officer }, at: Date): Transition {
  return transition(dossier, 'receive', by, at, {
    receivedAt: at.toISOString(),
    receivedBy: { sub: by.actor.sub, name: by.actor.name },
    deadline: startDeadline(at, dossier.procedure.processingDays),
  });
}

export interface SupplementItem {
  name: string;
  reason: string;
  requirementId?: string;
}

/**
 * Asks the applicant for more. Before routing the receiving officer asks; once routed only the deciding agency may
 * (through its task). A received dossier's clock stops until the supplement arrives.
 */
export function requestSupplement(
  dossier: Dossier,
  by: By & { actor: Officer | (Actor & { kind: 'agency' }) },
  at: Date,
  items: readonly SupplementItem[],
  reason?: string,
): Transition {
  if (dossier.status === 'IN_PROGRESS' && by.actor.kind !== 'agency') {
    throw new ConflictError(
      'The deciding agency asks for supplements once a dossier is routed',
      'INVALID_TRANSITION',
      {
        status: dossier.status,
        action: 'requestSupplement',
      },
    );
  }
  return transition(
    dossier,
    'requestSupplement',
    by,
    at,
    {
      supplement: { items: [...items], requestedAt: at.toISOString(), resumeTo: dossier.status },
      // The clock runs only after receipt; a supplement asked of an online submission pauses nothing.
      ...(dossier.deadline ? { deadline: pauseDeadline(dossier.deadline, at) } : {}),
    },
    reason ?? items.map((i) => i.name).join('; '),
  );
}

/**
 * The applicant's supplement: new documents replace those of the same requirement, answers given now overwrite
 * earlier ones, and a stopped clock runs again. Says whether the appointment day moved (the slip is then re-issued).
 */
export function supplement(
  dossier: Dossier,
  by: By & { actor: Citizen },
  at: Date,
  facts: { added: DossierDocument[]; answers: Dossier['answers'] },
): Transition & { appointmentDayChanged: boolean; previousAppointmentDay?: string } {
  const replaced = new Set(facts.added.map((d) => d.requirementId));
  const documents = [...dossier.documents.filter((d) => !replaced.has(d.requirementId)), ...facts.added];
  const deadline =
    dossier.deadline && isPaused(dossier.deadline) ? resumeDeadline(dossier.deadline, at) : undefined;
  const before = dossier.deadline?.appointmentDay;
  const changed = Boolean(deadline && before && deadline.appointmentDay !== before);
  // The history says what moved: the slip in the applicant's hands names the old day.
  const moved = transition(
    dossier,
    'supplement',
    by,
    at,
    { documents, answers: { ...dossier.answers, ...facts.answers }, ...(deadline ? { deadline } : {}) },
    changed ? appointmentChangeNote(before!, deadline!.appointmentDay) : undefined,
    { added: facts.added, appointmentDayChanged: changed },
  );
  return { ...moved, appointmentDayChanged: changed, ...(before ? { previousAppointmentDay: before } : {}) };
}

/** The receiving officer refuses an incomplete or out-of-scope submission, with the reason form 03 gives. */
export function refuse(dossier: Dossier, by: By & { actor: Officer }, at: Date, reason: string): Transition {
  return transition(
    dossier,
    'refuse',
    by,
    at,
    { refusal: { reason, at: at.toISOString() }, ...feesBackOnClose(dossier) },
    reason,
  );
}

/**
 * A dossier that ends without a result (refused, withdrawn, stopped) owes nothing: what was paid becomes due back to
 * the applicant, for a staff member to approve (`requestRefund`).
 */
function feesBackOnClose(dossier: Dossier): Partial<Dossier> {
  const fees = dossier.fees;
  if (!fees || fees.paidVnd === 0) return {};
  return { fees: { ...fees, refundDueVnd: fees.refundDueVnd + fees.paidVnd, paidVnd: 0 } };
}

/** The applicant withdraws an open dossier. */
export function withdraw(
  dossier: Dossier,
  by: By & { actor: Citizen },
  at: Date,
  reason: string,
): Transition {
  return transition(
    dossier,
    'withdraw',
    by,
    at,
    { withdrawal: { reason, at: at.toISOString() }, ...feesBackOnClose(dossier) },
    reason,
  );
}

type Agency = Actor & { kind: 'agency' };
type System = Actor & { kind: 'system' };

/**
 * The routing workflow takes a received dossier: it is in progress, under run `attempt` of its route. A re-drive
 * keeps the stages already completed.
 */
export function startRouting(
  dossier: Dossier,
  by: By & { actor: System },
  at: Date,
  run: { attempt: number; executionName: string; stageCount: number },
): Transition {
  if (run.stageCount < 1) throw new RangeError('a route has at least one stage');
  return transition(dossier, 'route', by, at, {
    routing: {
      attempt: run.attempt,
      executionName: run.executionName,
      startedAt: at.toISOString(),
      completedStages: dossier.routing?.completedStages ?? 0,
      stageCount: run.stageCount,
    },
  });
}

/** Every step of the current stage approved: the dossier passes to the next stage's agencies (a form 06 entry). */
export function completeStage(
  dossier: Dossier,
  by: By & { actor: System },
  at: Date,
  stage: number,
): Transition {
  const routing = routingOf(dossier);
  if (stage !== routing.completedStages || stage >= routing.stageCount) {
    throw new ConflictError(`Stage ${stage} is not the dossier's current stage`, 'INVALID_TRANSITION', {
      status: dossier.status,
      action: 'completeStage',
    });
  }
  // A completed stage is progress: an earlier failure no longer counts towards the automatic re-drives.
  const { failure: _cleared, ...progressed } = routing;
  return transition(dossier, 'completeStage', by, at, {
    routing: { ...progressed, completedStages: stage + 1 },
  });
}

/** A route ends: the run's end is recorded with whatever the ending changes. */
function endRoute(
  dossier: Dossier,
  action: 'approveAll' | 'reject' | 'stop',
  by: By,
  at: Date,
  changes: Partial<Dossier> = {},
  reason?: string,
): Transition {
  const routing = routingOf(dossier);
  return transition(
    dossier,
    action,
    by,
    at,
    { ...changes, routing: { ...routing, endedAt: at.toISOString() } },
    reason,
  );
}

/** The last stage completed: the agencies' result is ready for the applicant. */
export function completeRouting(dossier: Dossier, by: By & { actor: System }, at: Date): Transition {
  const routing = routingOf(dossier);
  if (routing.completedStages !== routing.stageCount) {
    throw new ConflictError('The route has stages left', 'INVALID_TRANSITION', {
      status: dossier.status,
      action: 'approveAll',
    });
  }
  const result: DossierResult = {
    kind: 'documents',
    readyAt: at.toISOString(),
    documents: resultDocumentsOf(routing),
  };
  return endRoute(dossier, 'approveAll', by, at, { result });
}

/** The documents the agencies attached to their approvals, stage by stage, in step order: the dossier's result. */
function resultDocumentsOf(routing: NonNullable<Dossier['routing']>): ResultDocument[] {
  return Object.entries(routing.steps ?? {})
    .filter(([, step]) => step.state === 'approved')
    .sort(([a, x], [b, y]) => x.stage - y.stage || a.localeCompare(b, 'en', { numeric: true }))
    .flatMap(([, step]) => step.results ?? []);
}

/** A rejection or a stop: the notice (its reason; form 05 for a stop) is the result the applicant gets. */
const noticeResult = (at: Date): DossierResult => ({
  kind: 'notice',
  readyAt: at.toISOString(),
  documents: [],
});

/** An agency of the route rejects the dossier, with the reason the applicant is told. */
export function rejectRouting(
  dossier: Dossier,
  by: By & { actor: Agency },
  at: Date,
  reason: string,
): Transition {
  const rejection = { reason, agency: by.actor.agency, at: at.toISOString() };
  return endRoute(dossier, 'reject', by, at, { rejection, result: noticeResult(at) }, reason);
}

/** Processing stops at the applicant's request or where the law requires (form 05 gives the reason). */
export function stopRouting(
  dossier: Dossier,
  by: By & { actor: Agency | Citizen | System },
  at: Date,
  reason: string,
): Transition {
  return endRoute(
    dossier,
    'stop',
    by,
    at,
    { stop: { reason, at: at.toISOString() }, result: noticeResult(at), ...feesBackOnClose(dossier) },
    reason,
  );
}

function routingOf(dossier: Dossier): NonNullable<Dossier['routing']> {
  if (!dossier.routing) {
    throw new ConflictError('The dossier is not routed', 'INVALID_TRANSITION', { status: dossier.status });
  }
  return dossier.routing;
}

export interface StepAssignment {
  stepId: string;
  agency: string;
  workingDays: number;
  dueAt: string;
  round: number;
  /** The agencies that may hold the step (`StepProgress.holders`), when it may be forwarded. */
  holders?: readonly string[];
}

/**
 * Steps go to their agencies: the first steps of a stage, or one step back after the applicant's supplement. Each is
 * recorded as assigned with its due time, and the desk's hand-over to the agency is a form 06 row.
 */
export function startStage(
  dossier: Dossier,
  by: By & { actor: System },
  at: Date,
  stage: number,
  steps: readonly StepAssignment[],
): Transition {
  const routing = routingOf(dossier);
  const iso = at.toISOString();
  const progress = { ...routing.steps };
  for (const step of steps) {
    progress[step.stepId] = {
      stage,
      agency: step.agency,
      round: step.round,
      workingDays: step.workingDays,
      state: 'assigned',
      assignedAt: iso,
      dueAt: step.dueAt,
      ...(step.holders?.length ? { holders: [...step.holders] } : {}),
    };
  }
  const handoffs = steps.map((step) => ({
    at: iso,
    giver: { kind: 'branch' as const, id: dossier.unit },
    receiver: { kind: 'agency' as const, id: step.agency },
    stepId: step.stepId,
    dueAt: step.dueAt,
  }));
  const moved = move(dossier, 'startStage', by.actor, at, {
    routing: { ...routing, steps: progress, handoffs: [...(routing.handoffs ?? []), ...handoffs] },
  });
  const started = steps.map(({ stepId, agency, dueAt }) => ({ stepId, agency, dueAt }));
  return {
    ...moved,
    events: [
      domainEvent(
        'DossierStageStarted',
        { stage, steps: started },
        eventContext(moved.dossier, by.caller, at),
      ),
    ],
  };
}

function assignedStep(dossier: Dossier, stepId: string, agency: string, round: number) {
  const step = routingOf(dossier).steps?.[stepId];
  if (!step || step.agency !== agency || step.round !== round || step.state !== 'assigned') {
    throw new ConflictError(`Step ${stepId} is not awaiting ${agency}'s decision`, 'TASK_CLOSED', {
      status: dossier.status,
      ...(step ? { step: step.state } : {}),
    });
  }
  return step;
}

/** The agency hands the dossier back to the desk: a form 06 row with its result against the step's due time. */
function decidedStep(
  dossier: Dossier,
  agency: string,
  at: Date,
  stepId: string,
  state: 'approved' | 'rejected' | 'supplement-requested',
  note?: string,
) {
  const routing = routingOf(dossier);
  const step = routing.steps![stepId]!;
  const result = stepResult(at, new Date(step.dueAt));
  const iso = at.toISOString();
  const routingAfter: NonNullable<Dossier['routing']> = {
    ...routing,
    steps: { ...routing.steps, [stepId]: { ...step, state, decidedAt: iso, ...(note ? { note } : {}) } },
    handoffs: [
      ...(routing.handoffs ?? []),
      {
        at: iso,
        giver: { kind: 'agency', id: agency },
        receiver: { kind: 'branch', id: dossier.unit },
        stepId,
        dueAt: step.dueAt,
        result,
        ...(note ? { note } : {}),
      },
    ],
  };
  return { routing: routingAfter, result, round: step.round };
}

/**
 * An agency approves or rejects its step. A rejection is recorded here and closes the route when the workflow hears
 * of it (`rejectRouting`); an approval completes the stage once every step of it is approved.
 */
export function decideStep(
  dossier: Dossier,
  by: By & { actor: Agency },
  at: Date,
  decision: { stepId: string; round: number } & (
    | { kind: 'approve'; note?: string; results?: readonly ResultDocument[] }
    | { kind: 'reject'; reason: string }
  ),
): Transition {
  assignedStep(dossier, decision.stepId, by.actor.agency, decision.round);
  const note = decision.kind === 'approve' ? decision.note : decision.reason;
  const state = decision.kind === 'approve' ? 'approved' : 'rejected';
  const decided = decidedStep(dossier, by.actor.agency, at, decision.stepId, state, note);
  const results = decision.kind === 'approve' ? (decision.results ?? []) : [];
  if (results.some((doc) => doc.agency !== by.actor.agency || doc.stepId !== decision.stepId)) {
    throw new RangeError('result documents belong to the deciding agency and step');
  }
  if (results.length) {
    const step = decided.routing.steps![decision.stepId]!;
    decided.routing.steps![decision.stepId] = { ...step, results: [...results] };
  }
  const moved = move(dossier, 'decideStep', by.actor, at, { routing: decided.routing }, note);
  return {
    ...moved,
    events: [
      stepDecidedEvent(moved.dossier, by, at, decision.stepId, decided.round, decision.kind, decided.result),
    ],
  };
}

/**
 * The deciding agency asks the applicant for more through its task: the dossier waits for the supplement
 * (SUPPLEMENT_REQUESTED, clock paused, form 02), and the step comes back to the agency as a new task afterwards.
 */
export function requestStepSupplement(
  dossier: Dossier,
  by: By & { actor: Agency },
  at: Date,
  request: { stepId: string; round: number; items: readonly SupplementItem[]; reason?: string },
): Transition {
  assignedStep(dossier, request.stepId, by.actor.agency, request.round);
  const decided = decidedStep(dossier, by.actor.agency, at, request.stepId, 'supplement-requested');
  const asked = requestSupplement(
    { ...dossier, routing: decided.routing },
    by,
    at,
    request.items,
    request.reason,
  );
  return {
    ...asked,
    events: [
      ...asked.events,
      stepDecidedEvent(
        asked.dossier,
        by,
        at,
        request.stepId,
        decided.round,
        'request-supplement',
        decided.result,
      ),
    ],
  };
}

/**
 * The agency holding a step hands it to another agency the route allows for it (the ward of the applicant's residence,
 * say): the same step, round and due time (its clock does not restart), now awaiting the other agency's decision. A
 * form 06 row records the hand-over with the reason. The workflow is not told: it keeps waiting on the step.
 */
export function forwardStep(
  dossier: Dossier,
  by: By & { actor: Agency },
  at: Date,
  forward: { stepId: string; round: number; to: string; reason: string },
): Transition {
  const step = assignedStep(dossier, forward.stepId, by.actor.agency, forward.round);
  const allowed = forwardTargets(step);
  if (!allowed.includes(forward.to)) {
    throw new UnprocessableError(
      allowed.length === 0
        ? `Step ${forward.stepId} is not forwarded: its route allows no forward`
        : `Step ${forward.stepId} may be forwarded to ${allowed.join(', ')} only`,
      'FORWARD_NOT_ALLOWED',
      { stepId: forward.stepId, to: forward.to, allowed },
    );
  }
  const routing = routingOf(dossier);
  const from = by.actor.agency;
  const iso = at.toISOString();
  const note = `Chuyển từ ${from} sang ${forward.to} / Forwarded from ${from} to ${forward.to}: ${forward.reason}`;
  const moved = move(
    dossier,
    'forwardStep',
    by.actor,
    at,
    {
      routing: {
        ...routing,
        steps: { ...routing.steps, [forward.stepId]: { ...step, agency: forward.to } },
        handoffs: [
          ...(routing.handoffs ?? []),
          {
            at: iso,
            giver: { kind: 'agency', id: from },
            receiver: { kind: 'agency', id: forward.to },
            stepId: forward.stepId,
            dueAt: step.dueAt,
            note: forward.reason,
          },
        ],
      },
    },
    note,
  );
  return {
    ...moved,
    events: [
      domainEvent(
        'DossierStepForwarded',
        {
          stepId: forward.stepId,
          round: step.round,
          taskId: taskId(dossier.code, forward.stepId, step.round),
          from,
          to: forward.to,
          reason: forward.reason,
          dueAt: step.dueAt,
        },
        eventContext(moved.dossier, by.caller, at),
      ),
    ],
  };
}

function stepDecidedEvent(
  after: Dossier,
  by: By & { actor: Agency },
  at: Date,
  stepId: string,
  round: number,
  decision: 'approve' | 'reject' | 'request-supplement',
  result: 'early' | 'on-time' | 'late',
): DomainEvent {
  return domainEvent(
    'DossierStepDecided',
    { stepId, round, agency: by.actor.agency, decision, result },
    eventContext(after, by.caller, at),
  );
}

/**
 * A step ran past its due time: the dossier is flagged overdue, the step waits again for its budget once more, and
 * the dossier's deadline moves by that budget (form 04 proposes the new appointment day to the applicant).
 */
export function flagOverdue(
  dossier: Dossier,
  by: By & { actor: System },
  at: Date,
  overdue: { stepId: string; reason: string; newDueAt: string },
): Transition {
  const routing = routingOf(dossier);
  const step = routing.steps?.[overdue.stepId];
  if (step?.state !== 'assigned') {
    throw new ConflictError(`Step ${overdue.stepId} is not waiting for an agency`, 'INVALID_TRANSITION', {
      status: dossier.status,
    });
  }
  const previousAppointmentDay = dossier.deadline?.appointmentDay ?? localDayOf(new Date(step.dueAt));
  const deadline = dossier.deadline
    ? extendDeadline(dossier.deadline, Math.max(1, step.workingDays), at)
    : undefined;
  const newAppointmentDay = deadline?.appointmentDay ?? localDayOf(new Date(overdue.newDueAt));
  const notice = {
    at: at.toISOString(),
    stepId: overdue.stepId,
    agency: step.agency,
    reason: overdue.reason,
    previousAppointmentDay,
    newAppointmentDay,
  };
  const moved = move(
    dossier,
    'flagOverdue',
    by.actor,
    at,
    {
      ...(deadline ? { deadline } : {}),
      routing: {
        ...routing,
        steps: { ...routing.steps, [overdue.stepId]: { ...step, dueAt: overdue.newDueAt } },
        overdue: [...(routing.overdue ?? []), notice],
      },
    },
    overdue.reason,
  );
  return {
    ...moved,
    events: [
      domainEvent(
        'DossierOverdue',
        {
          unit: dossier.unit,
          procedureCode: dossier.procedure.code,
          stepId: overdue.stepId,
          agency: step.agency,
          previousAppointmentDay,
          newAppointmentDay,
        },
        eventContext(moved.dossier, by.caller, at),
      ),
    ],
  };
}

/** A new run of the route, from the stages the dossier records as completed; answered steps stay answered. */
export function redriveRouting(
  dossier: Dossier,
  by: By & { actor: System | Officer },
  at: Date,
  run: { attempt: number; executionName: string },
  reason: string,
): Transition {
  const routing = routingOf(dossier);
  if (routing.endedAt) {
    throw new ConflictError('The route has ended', 'INVALID_TRANSITION', { status: dossier.status });
  }
  if (run.attempt <= routing.attempt) throw new RangeError('a re-drive takes the next attempt');
  // An operator's re-drive starts the count of failed runs again; the sweep's keeps it.
  const { failure, ...rest } = routing;
  const kept = by.actor.kind === 'system' && failure ? { failure } : {};
  return transition(
    dossier,
    'redrive',
    by,
    at,
    { routing: { ...rest, ...kept, attempt: run.attempt, executionName: run.executionName } },
    reason,
  );
}

/**
 * A run failed past its task retries: the dossier records it (which run, the error, how many runs in a row) and keeps
 * its status; the sweep re-drives it until MAX_AUTOMATIC_REDRIVES runs in a row have failed.
 */
export function recordRouteFailure(
  dossier: Dossier,
  by: By & { actor: System },
  at: Date,
  failed: { attempt: number; error: string; cause: string },
): Transition {
  const routing = routingOf(dossier);
  if (routing.endedAt || failed.attempt !== routing.attempt) {
    throw new ConflictError("The failed run is not the dossier's current run", 'INVALID_TRANSITION', {
      status: dossier.status,
      action: 'recordRouteFailure',
    });
  }
  const failure = {
    at: at.toISOString(),
    attempt: failed.attempt,
    error: failed.error.slice(0, 100),
    cause: failed.cause.slice(0, 500),
    count: (routing.failure?.count ?? 0) + 1,
  };
  const moved = move(
    dossier,
    'recordRouteFailure',
    by.actor,
    at,
    { routing: { ...routing, failure } },
    `Quy trình liên thông gặp lỗi (lần ${failure.count}) / Routing failed (run ${failure.count} in a row): ${failure.error}`,
  );
  return {
    ...moved,
    events: [
      domainEvent(
        'DossierRoutingFailed',
        {
          unit: dossier.unit,
          procedureCode: dossier.procedure.code,
          attempt: failed.attempt,
          error: failure.error,
          failures: failure.count,
        },
        eventContext(moved.dossier, by.caller, at),
      ),
    ],
  };
}

type Provider = Actor & { kind: 'provider' };

const formatVnd = (amount: number) => `${amount.toLocaleString('vi-VN')} VND`;

/** The dossier's fees when something is to be paid now; a 409 saying why not otherwise (paid, or nothing due). */
export function assertPayable(dossier: Dossier): NonNullable<Dossier['fees']> {
  const fees = dossier.fees;
  if (fees && payable(dossier)) return fees;
  const paid = Boolean(fees && fees.paidVnd > 0 && outstandingVnd(fees) === 0);
  throw new ConflictError(
    paid ? 'The fees of this dossier are paid' : 'This dossier has nothing to pay now',
    paid ? 'ALREADY_PAID' : 'NOTHING_TO_PAY',
    { status: dossier.status },
  );
}

/**
 * The applicant starts paying what is outstanding: the payment is recorded as pending with the provider's checkout
 * URL. Earlier pending payments whose checkout window closed are marked expired (a late verdict still settles them).
 */
export function startPayment(
  dossier: Dossier,
  by: By & { actor: Citizen },
  at: Date,
  payment: Omit<Payment, 'status' | 'amountVnd'>,
): Transition & { payment: Payment } {
  const fees = assertPayable(dossier);
  if (openPayment(fees, at)) {
    throw new ConflictError('A payment of this dossier is open', 'PAYMENT_PENDING', {
      status: dossier.status,
    });
  }
  const started: Payment = { ...payment, status: 'pending', amountVnd: outstandingVnd(fees) };
  const payments = fees.payments.map((p) =>
    p.status === 'pending' && Date.parse(p.expiresAt) <= at.getTime()
      ? { ...p, status: 'expired' as const }
      : p,
  );
  const moved = transition(
    dossier,
    'startPayment',
    by,
    at,
    { fees: { ...fees, payments: [...payments, started] } },
    `Online payment ${started.id}: ${formatVnd(started.amountVnd)} via ${started.provider}`,
  );
  return { ...moved, payment: started };
}

/** What a verified callback or query says of a payment. */
export interface PaymentVerdict {
  paymentId: string;
  succeeded: boolean;
  providerTransactionNo: string;
  bankCode?: string;
  payDate?: string;
  responseCode: string;
  transactionStatus: string;
  settledBy: 'callback' | 'query';
}

/**
 * A provider's verdict on a pending (or expired) payment, recorded once: paid adds to what the dossier received, and
 * whatever of it the dossier did not owe (already paid, or closed without a result meanwhile) is due back. A payment
 * already settled, or an amount other than the payment's, is the caller's to answer (the provider's codes 02 and 04):
 * this is never called for them.
 */
export function settlePayment(
  dossier: Dossier,
  by: By & { actor: Provider | System },
  at: Date,
  verdict: PaymentVerdict,
): Transition & { payment: Payment } {
  const fees = dossier.fees;
  const current = paymentOf(dossier, verdict.paymentId);
  if (!fees || !current) throw new NotFoundError('No such payment', 'PAYMENT_NOT_FOUND');
  if (current.status === 'paid' || current.status === 'failed') {
    throw new ConflictError('This payment is settled', 'PAYMENT_SETTLED', { status: dossier.status });
  }
  const payment: Payment = {
    ...current,
    status: verdict.succeeded ? 'paid' : 'failed',
    settledAt: at.toISOString(),
    settledBy: verdict.settledBy,
    providerTransactionNo: verdict.providerTransactionNo,
    responseCode: verdict.responseCode,
    transactionStatus: verdict.transactionStatus,
    ...(verdict.bankCode ? { bankCode: verdict.bankCode } : {}),
    ...(verdict.payDate ? { payDate: verdict.payDate } : {}),
  };
  const owed = payable(dossier) ? outstandingVnd(fees) : 0;
  const applied = verdict.succeeded ? Math.min(owed, payment.amountVnd) : 0;
  const refundDueVnd = verdict.succeeded ? payment.amountVnd - applied : 0;
  const moved = transition(
    dossier,
    'settlePayment',
    by,
    at,
    {
      fees: {
        ...fees,
        paidVnd: fees.paidVnd + applied,
        refundDueVnd: fees.refundDueVnd + refundDueVnd,
        payments: fees.payments.map((p) => (p.id === payment.id ? payment : p)),
      },
    },
    verdict.succeeded
      ? `Paid ${formatVnd(payment.amountVnd)} (${payment.provider} ${payment.providerTransactionNo})${
          refundDueVnd > 0 ? `; ${formatVnd(refundDueVnd)} to refund` : ''
        }`
      : `Payment ${payment.id} not completed (${payment.provider} code ${payment.responseCode})`,
    { settled: { payment, refundDueVnd } },
  );
  return { ...moved, payment };
}

type Staff = Actor & { kind: 'officer' };

/**
 * A staff member approves sending back what is due: one refund reserved against a paid payment (full when it returns
 * the whole payment), before the provider is asked, so a second approval finds it and is refused.
 */
export function requestRefund(
  dossier: Dossier,
  by: By & { actor: Staff },
  at: Date,
  refund: { id: string; reason: string },
): Transition & { refund: Refund; payment: Payment } {
  const fees = dossier.fees;
  if (!fees || fees.refundDueVnd <= 0) {
    throw new ConflictError('Nothing is due back on this dossier', 'NOTHING_TO_REFUND', {
      status: dossier.status,
    });
  }
  if (pendingRefund(fees)) {
    throw new ConflictError('A refund of this dossier awaits the provider', 'REFUND_PENDING', {
      status: dossier.status,
    });
  }
  // The most recent paid payment with something left to return covers as much as it can.
  const payment = [...fees.payments].reverse().find((p) => refundableVnd(fees, p) > 0);
  if (!payment) throw new ConflictError('No payment is left to refund', 'NOTHING_TO_REFUND');
  const left = refundableVnd(fees, payment);
  const amountVnd = Math.min(left, fees.refundDueVnd);
  const reserved: Refund = {
    id: refund.id,
    paymentId: payment.id,
    amountVnd,
    kind: amountVnd === payment.amountVnd && left === payment.amountVnd ? 'full' : 'partial',
    status: 'pending',
    approvedBy: { sub: by.actor.sub, name: by.actor.name },
    reason: refund.reason,
    requestedAt: at.toISOString(),
  };
  const moved = transition(
    dossier,
    'requestRefund',
    by,
    at,
    { fees: { ...fees, refunds: [...(fees.refunds ?? []), reserved] } },
    `Refund ${reserved.id} of ${formatVnd(amountVnd)} approved: ${refund.reason}`,
  );
  return { ...moved, refund: reserved, payment };
}

/** The provider's answer to a reserved refund: returned (no longer due) or not (still due, to approve again). */
export function settleRefund(
  dossier: Dossier,
  by: By & { actor: Staff | System },
  at: Date,
  outcome: { refundId: string; refunded: boolean; providerTransactionNo?: string; responseCode: string },
): Transition & { refund: Refund } {
  const fees = dossier.fees;
  const current = fees?.refunds?.find((r) => r.id === outcome.refundId);
  if (!fees || !current) throw new NotFoundError('No such refund', 'REFUND_NOT_FOUND');
  if (current.status !== 'pending') {
    throw new ConflictError('This refund is settled', 'REFUND_SETTLED', { status: dossier.status });
  }
  const refund: Refund = {
    ...current,
    status: outcome.refunded ? 'refunded' : 'failed',
    settledAt: at.toISOString(),
    responseCode: outcome.responseCode,
    ...(outcome.providerTransactionNo ? { providerTransactionNo: outcome.providerTransactionNo } : {}),
  };
  const moved = transition(
    dossier,
    'settleRefund',
    by,
    at,
    {
      fees: {
        ...fees,
        refundDueVnd: fees.refundDueVnd - (outcome.refunded ? refund.amountVnd : 0),
        refundedVnd: (fees.refundedVnd ?? 0) + (outcome.refunded ? refund.amountVnd : 0),
        refunds: fees.refunds!.map((r) => (r.id === refund.id ? refund : r)),
      },
    },
    outcome.refunded
      ? `Refunded ${formatVnd(refund.amountVnd)} (${refund.paymentId})`
      : `Refund ${refund.id} not made (code ${outcome.responseCode})`,
    { refunded: refund },
  );
  return { ...moved, refund };
}

// ——— Results: release, return, rating ———

/** A dossier's result as it stands, or 409 `NO_RESULT` (not decided yet, or refused or withdrawn: none ever). */
export function resultOf(dossier: Dossier): DossierResult {
  if (!dossier.result) {
    throw new ConflictError('The dossier has no result', 'NO_RESULT', { status: dossier.status });
  }
  return dossier.result;
}

/** Fees due before release (thu sau) hold the result until paid; a withdrawn dossier releases nothing. */
export function assertReleasable(dossier: Dossier): DossierResult {
  if (dossier.status === 'WITHDRAWN' || dossier.status === 'REFUSED') {
    throw new ConflictError('A withdrawn or refused dossier releases nothing', 'NO_RESULT', {
      status: dossier.status,
    });
  }
  const result = resultOf(dossier);
  if (awaitingPayment(dossier)) {
    throw new ConflictError('The result is released once the fees are paid', 'RESULT_NOT_RELEASED', {
      outstandingVnd: outstandingVnd(dossier.fees),
    });
  }
  return result;
}

function assertNotReturned(dossier: Dossier): DossierResult {
  if (dossier.status === 'RETURNED') {
    throw new ConflictError('The result was already returned', 'ALREADY_RETURNED', {
      returned: dossier.result?.returned?.method,
    });
  }
  return assertReleasable(dossier);
}

const staffRef = (officer: Officer): StaffRef => ({
  sub: officer.sub,
  name: officer.name,
  branch: officer.branch,
});

/** The paper result goes by post: the officer records the carrier and its tracking number (delivery comes later). */
export function dispatchResult(
  dossier: Dossier,
  by: By & { actor: Officer },
  at: Date,
  post: { carrier: string; trackingNumber: string },
): Transition {
  const result = assertNotReturned(dossier);
  const dispatch = { ...post, at: at.toISOString(), by: staffRef(by.actor) };
  return transition(
    dossier,
    'dispatch',
    by,
    at,
    { result: { ...result, dispatch } },
    `${post.carrier} ${post.trackingNumber}`,
  );
}

export type ReturnMethod =
  | { method: 'electronic' }
  | { method: 'post' }
  | { method: 'counter'; collector: { name: string; idNumber: string; authorization?: string } };

/**
 * The first return closes the dossier as RETURNED: the applicant's first download of an electronic result, the
 * post's delivery of a dispatched one, or a collection at the counter after the officer checked who collects it.
 */
export function returnResult(
  dossier: Dossier,
  by: By & { actor: Officer | Citizen },
  at: Date,
  how: ReturnMethod,
): Transition {
  const result = assertNotReturned(dossier);
  if (how.method === 'electronic') {
    if (by.actor.kind !== 'citizen')
      throw new RangeError('an electronic result is returned to its applicant');
    if (result.documents.length === 0) {
      throw new ConflictError('This result is returned on paper', 'NOT_ELECTRONIC', {
        status: dossier.status,
      });
    }
  } else if (by.actor.kind !== 'officer') {
    throw new RangeError('a paper result is returned by an officer');
  }
  if (how.method === 'post' && !result.dispatch) {
    throw new ConflictError('Record the dispatch before its delivery', 'NOT_DISPATCHED', {
      status: dossier.status,
    });
  }
  const returned: NonNullable<DossierResult['returned']> = {
    at: at.toISOString(),
    method: how.method,
    ...(by.actor.kind === 'officer' ? { by: staffRef(by.actor) } : {}),
    ...(how.method === 'counter' ? { collector: how.collector } : {}),
  };
  return transition(dossier, 'return', by, at, { result: { ...result, returned } }, how.method);
}

/** The applicant rates the service once, after the dossier ended with an outcome (the service index's input). */
export function rate(
  dossier: Dossier,
  by: By & { actor: Citizen },
  at: Date,
  rating: { score: number; comment?: string },
): Transition {
  if (dossier.rating) {
    throw new ConflictError('This dossier was already rated', 'ALREADY_RATED', {
      score: dossier.rating.score,
    });
  }
  if (!['RETURNED', 'REJECTED', 'STOPPED'].includes(dossier.status)) {
    throw new ConflictError('Rate the dossier once it has ended', 'NOT_ENDED', { status: dossier.status });
  }
  if (!Number.isInteger(rating.score) || rating.score < 1 || rating.score > 5) {
    throw new RangeError('a score is a whole number from 1 to 5');
  }
  return transition(dossier, 'rate', by, at, {
    rating: {
      score: rating.score,
      ...(rating.comment ? { comment: rating.comment } : {}),
      at: at.toISOString(),
    },
  });
}
