// Intake decisions and the applicant's own moves: each one checked by the domain, recorded, and written at once.

import { type Caller, callerScope } from '../../domain/caller';
import type { Dossier } from '../../domain/dossier';
import { applicantKey } from '../../domain/dossier-code';
import { isCitizenId } from '../../domain/identity-numbers';
import {
  dispatchResult,
  rate,
  receive,
  refuse,
  requestSupplement as requestMore,
  returnResult,
  supplement,
  type Transition,
  withdraw,
} from '../../domain/transitions';
import { AppError, isVersionConflict } from '../../errors';
import { idempotent } from '../idempotent';
import { applicantOf, officerOf } from './access';
import { assertComplete, type DocumentReference, fileDocuments, resolveDocuments } from './completeness';
import type { DossierDeps, FilingDeps } from './deps';
import { type FormNumber, slipFees, withForm } from './forms';
import { type DossierView, toView } from './view';

/** The domain's transition, and the form the move hands over (recorded with the facts it prints). */
interface Plan {
  moved: Transition;
  form?: FormNumber;
  /** Who signs the form when it is not the actor: a re-issued slip 01 names the officer who received the dossier. */
  formOfficer?: string;
  formExtra?: { feesVnd?: number };
}

interface MoveInput {
  code: string;
  caller: Caller;
  idempotencyKey?: string;
  request: unknown;
}

/** Reads and plans of one move before a dossier that keeps changing under it is a 409. */
const MAX_MOVE_ATTEMPTS = 3;

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
      for (let attempt = 1; ; attempt += 1) {
        const current = await deps.dossiers.get(input.code);
        const now = deps.clock();
        const { moved, form, formOfficer, formExtra } = await plan(current, now);
        const before = current!;
        // A form is recorded with the facts it prints, never rendered here: the download renders it after commit.
        const actor = moved.entry.actor;
        const officer = formOfficer ?? ('name' in actor ? actor.name : '');
        const dossier = form ? withForm(moved.dossier, form, officer, now, formExtra) : moved.dossier;
        const answer = toView(dossier);
        const record = remember(answer);
        try {
          await deps.dossiers.update({
            dossier,
            expectedVersion: before.version,
            entry: moved.entry,
            ...(record ? { idempotency: record } : {}),
            events: moved.events,
          });
          return answer;
        } catch (error) {
          // Another writer (routing, a payment's settlement, a consumer) committed between our read and our write:
          // the caller sent no version, so the move is planned again on what the dossier is now, its rules checked
          // again. Only a dossier that keeps changing is the caller's 409.
          if (!isVersionConflict(error) || attempt >= MAX_MOVE_ATTEMPTS) throw error;
        }
      }
    },
    // A move writes nothing but its transaction: a retry of a committed one is refused by the moved dossier, then
    // answered from the record.
    'on-failure',
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
    return { moved: receive(dossier, { actor, caller: input.caller }, now), form: '01' };
  });
}

export function requestSupplement(
  input: MoveInput & { items: { name: string; reason: string; requirementId?: string }[]; reason?: string },
  deps: DossierDeps,
) {
  return runMove('requestSupplement', input, deps, async (found, now) => {
    const { dossier, actor } = officerOf(found, input.code, input.caller);
    return {
      moved: requestMore(dossier, { actor, caller: input.caller }, now, input.items, input.reason),
      form: '02',
    };
  });
}

export function refuseDossier(input: MoveInput & { reason: string }, deps: DossierDeps) {
  return runMove('refuseDossier', input, deps, async (found, now) => {
    const { dossier, actor } = officerOf(found, input.code, input.caller);
    return { moved: refuse(dossier, { actor, caller: input.caller }, now, input.reason), form: '03' };
  });
}

export function supplementDossier(
  input: MoveInput & { documents: DocumentReference[]; answers: Record<string, string | number | boolean> },
  deps: FilingDeps,
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
    // Completeness is judged on what the dossier will hold: a new document replaces the one of its requirement.
    const replaced = new Set(resolved.map((d) => d.requirementId));
    const kept = dossier.documents.filter((d) => !replaced.has(d.requirementId));
    assertComplete(procedure, [...kept, ...resolved], { ...dossier.answers, ...input.answers });
    const added = await fileDocuments(resolved, deps.objects);
    const moved = supplement(dossier, { actor, caller: input.caller }, now, {
      added,
      answers: input.answers,
    });
    // A new appointment day needs a new slip in the citizen's hands.
    return moved.appointmentDayChanged
      ? {
          moved,
          form: '01' as const,
          formOfficer: dossier.receivedBy?.name ?? '',
          formExtra: slipFees(dossier, procedure),
        }
      : { moved };
  });
}

export function withdrawDossier(input: MoveInput & { reason: string }, deps: DossierDeps) {
  return runMove('withdrawDossier', input, deps, async (found, now) => {
    const { dossier, actor } = applicantOf(found, input.code, input.caller);
    return { moved: withdraw(dossier, { actor, caller: input.caller }, now, input.reason) };
  });
}

/** The officer of the return branch hands the paper result to the post: carrier and tracking number. */
export function dispatchDossierResult(
  input: MoveInput & { carrier: string; trackingNumber: string },
  deps: DossierDeps,
) {
  return runMove('dispatchResult', input, deps, async (found, now) => {
    const { dossier, actor } = officerOf(found, input.code, input.caller);
    const post = { carrier: input.carrier, trackingNumber: input.trackingNumber };
    return { moved: dispatchResult(dossier, { actor, caller: input.caller }, now, post) };
  });
}

export type PaperReturn =
  | { method: 'post' }
  | { method: 'counter'; collector: { name: string; idNumber: string; authorization?: string } };

/**
 * The officer records a paper result's return: the post delivered it, or someone collected it at the counter after
 * the identity check. Someone other than the applicant collects only on a written authorization.
 */
export function returnDossierResult(input: MoveInput & { how: PaperReturn }, deps: DossierDeps) {
  return runMove('returnResult', input, deps, async (found, now) => {
    const { dossier, actor } = officerOf(found, input.code, input.caller);
    const how = input.how;
    if (how.method === 'counter' && !how.collector.authorization) {
      const own =
        isCitizenId(how.collector.idNumber) && applicantKey(how.collector.idNumber) === dossier.applicantKey;
      if (!own) {
        throw new AppError(
          'AUTHORIZATION_REQUIRED',
          'The collector is not the applicant: record their written authorization',
          422,
        );
      }
    }
    return { moved: returnResult(dossier, { actor, caller: input.caller }, now, how) };
  });
}

/** The applicant rates the service once the dossier has ended (returned, rejected or stopped). */
export function rateDossier(input: MoveInput & { score: number; comment?: string }, deps: DossierDeps) {
  return runMove('rateDossier', input, deps, async (found, now) => {
    const { dossier, actor } = applicantOf(found, input.code, input.caller);
    const rating = { score: input.score, ...(input.comment ? { comment: input.comment } : {}) };
    return { moved: rate(dossier, { actor, caller: input.caller }, now, rating) };
  });
}
