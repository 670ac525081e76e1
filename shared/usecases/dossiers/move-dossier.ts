// Intake decisions and the applicant's own moves: each one checked by the domain, recorded, and written at once.

import { type Caller, callerScope } from '../../domain/caller';
import {
  appointmentChangeNote,
  isPaused,
  pauseDeadline,
  resumeDeadline,
  startDeadline,
} from '../../domain/deadline';
import { type Actor, type Dossier, type DossierAction, move } from '../../domain/dossier';
import { transitionEvents } from '../../domain/dossier-events';
import { ConflictError } from '../../errors';
import { idempotent } from '../idempotent';
import { applicantOf, officerOf } from './access';
import { assertComplete, type DocumentReference, fileDocuments, resolveDocuments } from './completeness';
import type { DossierDeps } from './deps';
import { type FormNumber, slipFees, withForm } from './forms';
import { type DossierView, toView } from './view';

interface Plan {
  action: DossierAction;
  actor: Actor;
  changes: Partial<Dossier>;
  reason?: string;
  form?: FormNumber;
  /** Who signs the form when it is not the actor: a re-issued slip 01 names the officer who received the dossier. */
  formOfficer?: string;
  formExtra?: { feesVnd?: number };
  /** Documents a supplement brought, for its event. */
  added?: Dossier['documents'];
  appointmentDayChanged?: boolean;
}

interface MoveInput {
  code: string;
  caller: Caller;
  idempotencyKey?: string;
  request: unknown;
}

async function runMove(
  operation: string,
  input: MoveInput,
  deps: DossierDeps,
  plan: (dossier: Dossier | undefined, now: Date) => Promise<Plan>,
) {
  return idempotent<DossierView>(
    deps.idempotency,
    {
      scope: callerScope(input.caller),
      operation,
      key: input.idempotencyKey,
      request: { code: input.code, body: input.request },
    },
    async (remember) => {
      const current = await deps.dossiers.get(input.code);
      const now = deps.clock();
      const planned = await plan(current, now);
      const { action, actor, changes, reason, form, formOfficer, formExtra } = planned;
      const before = current!;
      const moved = move(before, action, actor, now, changes, reason);
      // A form is recorded with the facts it prints, never rendered here: the download renders it after commit.
      const officer = formOfficer ?? ('name' in actor ? actor.name : '');
      const dossier = form ? withForm(moved.dossier, form, officer, now, formExtra) : moved.dossier;
      const answer = toView(dossier);
      const record = remember(answer);
      await deps.dossiers.update({
        dossier,
        expectedVersion: before.version,
        entry: moved.entry,
        ...(record ? { idempotency: record } : {}),
        events: transitionEvents(action, dossier, input.caller, now, {
          ...(planned.added ? { added: planned.added } : {}),
          appointmentDayChanged: planned.appointmentDayChanged ?? false,
        }),
      });
      return answer;
    },
  );
}

/** The version the dossier was filed under; its absence is a broken invariant, not a caller's mistake. */
async function pinnedProcedure(dossier: Dossier, deps: DossierDeps) {
  const procedure = await deps.catalogue.procedure(dossier.procedure.code, dossier.procedure.version);
  if (!procedure)
    throw new Error(`pinned version ${dossier.procedure.version} of ${dossier.procedure.code} is missing`);
  return procedure;
}

export function receiveDossier(input: MoveInput, deps: DossierDeps) {
  return runMove('receiveDossier', input, deps, async (found, now) => {
    const { dossier, actor } = officerOf(found, input.code, input.caller);
    return {
      action: 'receive',
      actor,
      form: '01',
      changes: {
        receivedAt: now.toISOString(),
        receivedBy: { sub: actor.sub, name: actor.name },
        deadline: startDeadline(now, dossier.procedure.processingDays),
      },
    };
  });
}

export function requestSupplement(
  input: MoveInput & { items: { name: string; reason: string; requirementId?: string }[]; reason?: string },
  deps: DossierDeps,
) {
  return runMove('requestSupplement', input, deps, async (found, now) => {
    const { dossier, actor } = officerOf(found, input.code, input.caller);
    if (dossier.status === 'IN_PROGRESS') {
      // Once routed, only the deciding agency may ask for more (through the partner API).
      throw new ConflictError(
        'The deciding agency asks for supplements once a dossier is routed',
        'INVALID_TRANSITION',
        {
          status: dossier.status,
          action: 'requestSupplement',
        },
      );
    }
    return {
      action: 'requestSupplement',
      actor,
      form: '02',
      reason: input.reason ?? input.items.map((i) => i.name).join('; '),
      changes: {
        supplement: { items: input.items, requestedAt: now.toISOString(), resumeTo: dossier.status },
        // The clock runs only after receipt; a supplement asked of an online submission pauses nothing.
        ...(dossier.deadline ? { deadline: pauseDeadline(dossier.deadline, now) } : {}),
      },
    };
  });
}

export function refuseDossier(input: MoveInput & { reason: string }, deps: DossierDeps) {
  return runMove('refuseDossier', input, deps, async (found, now) => {
    const { actor } = officerOf(found, input.code, input.caller);
    return {
      action: 'refuse',
      actor,
      form: '03',
      reason: input.reason,
      changes: { refusal: { reason: input.reason, at: now.toISOString() } },
    };
  });
}

export function supplementDossier(
  input: MoveInput & { documents: DocumentReference[]; answers: Record<string, string | number | boolean> },
  deps: DossierDeps,
) {
  return runMove('supplementDossier', input, deps, async (found, now) => {
    const { dossier, actor } = applicantOf(found, input.code, input.caller);
    const procedure = await pinnedProcedure(dossier, deps);
    const resolved = await resolveDocuments(
      procedure,
      input.documents,
      { sub: actor.sub, citizen: true, personalKey: dossier.applicantKey },
      deps,
    );
    // A new document for a requirement replaces the earlier one; answers given now overwrite earlier answers.
    const replaced = new Set(resolved.map((d) => d.requirementId));
    const kept = dossier.documents.filter((d) => !replaced.has(d.requirementId));
    const answers = { ...dossier.answers, ...input.answers };
    assertComplete(procedure, [...kept, ...resolved], answers);
    const added = await fileDocuments(resolved, deps.objects);
    const documents = [...kept, ...added];
    const deadline =
      dossier.deadline && isPaused(dossier.deadline) ? resumeDeadline(dossier.deadline, now) : undefined;
    const before = dossier.deadline?.appointmentDay;
    // A new appointment day needs a new slip in the citizen's hands; the history says what moved.
    const moved = deadline && before && deadline.appointmentDay !== before;
    return {
      action: 'supplement',
      actor,
      added,
      appointmentDayChanged: Boolean(moved),
      ...(moved
        ? {
            form: '01' as const,
            formOfficer: dossier.receivedBy?.name ?? '',
            formExtra: slipFees(dossier, procedure),
            reason: appointmentChangeNote(before, deadline.appointmentDay),
          }
        : {}),
      changes: { documents, answers, ...(deadline ? { deadline } : {}) },
    };
  });
}

export function withdrawDossier(input: MoveInput & { reason: string }, deps: DossierDeps) {
  return runMove('withdrawDossier', input, deps, async (found, now) => {
    const { actor } = applicantOf(found, input.code, input.caller);
    return {
      action: 'withdraw',
      actor,
      reason: input.reason,
      changes: { withdrawal: { reason: input.reason, at: now.toISOString() } },
    };
  });
}
