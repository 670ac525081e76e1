// Filing: a citizen online (SUBMITTED) or an officer at the counter (RECEIVED at once, form 01 recorded).

import { type Caller, callerScope } from '../../domain/caller';
import type { Actor, HistoryEntry } from '../../domain/dossier';
import { applicantKey, localDayCode, newLookupKey } from '../../domain/dossier-code';
import { assessFees } from '../../domain/payments';
import { type Filing, open } from '../../domain/transitions';
import { ForbiddenError, ValidationError } from '../../errors';
import type { FileDossierInput } from '../../schemas/dossiers';
import { idempotent } from '../idempotent';
import { assertComplete, fileDocuments, resolveDocuments } from './completeness';
import type { FilingDeps } from './deps';
import { slipFees, withForm } from './forms';
import { type DossierView, toView } from './view';

export interface FileInput {
  request: FileDossierInput;
  caller: Caller;
  idempotencyKey?: string;
}

type Filer =
  | { actor: Actor & { kind: 'citizen' }; channel: 'online' }
  | { actor: Actor & { kind: 'officer' }; channel: 'counter' };

function filer(caller: Caller, request: FileDossierInput): Filer {
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

export async function fileDossier(input: FileInput, deps: FilingDeps) {
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
      const filing: Omit<Filing, 'code'> = {
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
        // What it owes, from the pinned version, the channel, the day and the answers; never from the request.
        fees: assessFees(procedure, channel, now, request.answers),
        forms: [],
      };

      // A counter intake hands over form 01 on the spot: recorded in the filing's transaction, rendered when printed.
      let entry: HistoryEntry | undefined;
      const dossier = await deps.dossiers.create(request.unit, localDayCode(now), (code) => {
        const opened = open({ ...filing, code }, { actor, caller: input.caller }, now);
        entry = opened.entry;
        const full =
          actor.kind === 'officer'
            ? withForm(opened.dossier, '01', actor.name, now, slipFees(opened.dossier, procedure))
            : opened.dossier;
        const answer = toView(full, [opened.entry], true);
        const record = remember(answer);
        return {
          dossier: full,
          history: [opened.entry],
          ...(record ? { idempotency: record } : {}),
          events: opened.events,
        };
      });
      return toView(dossier, [entry!], true);
    },
  );
}
