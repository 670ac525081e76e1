// Filing: a citizen online (SUBMITTED) or an officer at the counter (RECEIVED at once, form 01 recorded).

import { type Caller, callerScope } from '../../domain/caller';
import { startDeadline } from '../../domain/deadline';
import { type Actor, type Dossier, type HistoryEntry, nextStatus } from '../../domain/dossier';
import { applicantKey, localDayCode, newLookupKey } from '../../domain/dossier-code';
import { transitionEvents } from '../../domain/dossier-events';
import { ForbiddenError, ValidationError } from '../../errors';
import type { FileDossierInput } from '../../schemas/dossiers';
import { idempotent } from '../idempotent';
import { assertComplete, fileDocuments, resolveDocuments } from './completeness';
import type { DossierDeps } from './deps';
import { slipFees, withForm } from './forms';
import { type DossierView, toView } from './view';

export interface FileInput {
  request: FileDossierInput;
  caller: Caller;
  idempotencyKey?: string;
}

function filer(caller: Caller, request: FileDossierInput): { actor: Actor; channel: 'online' | 'counter' } {
  if (caller.kind === 'citizen') {
    // The applicant is the signed-in person: VNeID proved their ID number.
    if (!caller.citizenId) {
      throw new ForbiddenError(
        'Your account has no verified citizen ID (VNeID level 2)',
        'IDENTITY_NOT_VERIFIED',
      );
    }
    if (caller.citizenId !== request.applicant.citizenId) {
      throw new ForbiddenError('The applicant must be the signed-in citizen', 'APPLICANT_MISMATCH');
    }
    return { actor: { kind: 'citizen', sub: caller.sub, name: caller.name }, channel: 'online' };
  }
  if (caller.kind === 'staff' && caller.branch && caller.roles.includes('officer')) {
    if (request.unit !== caller.branch) {
      throw new ForbiddenError('An officer files only at their own branch', 'OUTSIDE_BRANCH');
    }
    return {
      actor: { kind: 'officer', sub: caller.sub, name: caller.name, branch: caller.branch },
      channel: 'counter',
    };
  }
  throw new ForbiddenError('Only citizens and branch officers file dossiers');
}

export async function fileDossier(input: FileInput, deps: DossierDeps) {
  const { request, caller } = input;
  const { actor, channel } = filer(caller, request);
  const sub = 'sub' in actor ? actor.sub : '';
  return idempotent<DossierView>(
    deps.idempotency,
    { scope: callerScope(input.caller), operation: 'fileDossier', key: input.idempotencyKey, request },
    async (remember) => {
      const [procedure, branch] = await Promise.all([
        deps.catalogue.procedure(request.procedureCode),
        deps.catalogue.branch(request.unit),
      ]);
      if (!procedure) throw new ValidationError(`No procedure ${request.procedureCode}`, 'UNKNOWN_PROCEDURE');
      if (!branch) throw new ValidationError(`No branch ${request.unit}`, 'UNKNOWN_BRANCH');
      const documents = await resolveDocuments(
        procedure,
        request.documents,
        {
          sub,
          citizen: channel === 'online',
          personalKey: channel === 'online' ? applicantKey(request.applicant.citizenId) : undefined,
        },
        deps,
      );
      assertComplete(procedure, documents, request.answers);
      const filed = await fileDocuments(documents, deps.objects);

      const now = deps.clock();
      const action = channel === 'online' ? 'submit' : 'intake';
      const status = nextStatus(null, action);
      const draft: Omit<Dossier, 'code'> = {
        lookupKey: newLookupKey(),
        procedure: {
          code: procedure.code,
          version: procedure.version,
          name: procedure.name,
          processingDays: procedure.processingTime.workingDays,
        },
        unit: request.unit,
        channel,
        applicant: request.applicant,
        applicantKey: applicantKey(request.applicant.citizenId),
        ...(caller.kind === 'citizen' ? { ownerSub: caller.sub } : {}),
        answers: request.answers,
        documents: filed,
        status,
        version: 1,
        historyCount: 1,
        submittedAt: now.toISOString(),
        ...(channel === 'counter'
          ? {
              receivedAt: now.toISOString(),
              receivedBy: { sub, name: actor.kind === 'officer' ? actor.name : '' },
              deadline: startDeadline(now, procedure.processingTime.workingDays),
            }
          : {}),
        forms: [],
        updatedAt: now.toISOString(),
      };
      const entry: HistoryEntry = { seq: 1, at: now.toISOString(), action, from: null, to: status, actor };

      // A counter intake hands over form 01 on the spot: recorded in the filing's transaction, rendered when printed.
      const dossier = await deps.dossiers.create(request.unit, localDayCode(now), (code) => {
        const opened = { ...draft, code } as Dossier;
        const full =
          actor.kind === 'officer'
            ? withForm(opened, '01', actor.name, now, slipFees(opened, procedure))
            : opened;
        const answer = toView(full, [entry], true);
        const record = remember(answer);
        return {
          dossier: full,
          history: [entry],
          ...(record ? { idempotency: record } : {}),
          events: transitionEvents(action, full, input.caller, now),
        };
      });
      return toView(dossier, [entry], true);
    },
  );
}
