// Reading dossiers: one dossier with its history, a citizen's list, a branch's queue and deadlines, public tracking.

import type { Page } from '../../cursor';
import { dayString, localParts } from '../../domain/calendar-core';
import type { Caller } from '../../domain/caller';
import { isPaused } from '../../domain/deadline';
import { type Dossier, type DossierResult, type DossierStatus, statusLabels } from '../../domain/dossier';
import { applicantKey, sameKey } from '../../domain/dossier-code';
import { awaitingPayment, awaitingPaymentLabel, outstandingVnd } from '../../domain/payments';
import { ForbiddenError, NotFoundError } from '../../errors';
import type { PageRequest } from '../../ports/catalogue-repository';
import type { DossierPage, DossierView, Tracking } from '../../schemas/dossiers';
import { assertCanSee } from './access';
import type { DossierDeps } from './deps';
import { toSummary, toView } from './view';

export async function getDossier(
  code: string,
  caller: Caller,
  deps: Pick<DossierDeps, 'dossiers'>,
): Promise<DossierView> {
  const found = await deps.dossiers.getWithHistory(code);
  const dossier = assertCanSee(found?.dossier, code, caller);
  return toView(dossier, found!.history, true, found!.receipts);
}

export async function listMyDossiers(
  caller: Caller,
  page: PageRequest,
  deps: Pick<DossierDeps, 'dossiers'>,
): Promise<DossierPage> {
  if (caller.kind !== 'citizen' || !caller.citizenId) {
    throw new ForbiddenError(
      'Your account has no verified citizen ID (VNeID level 2)',
      'IDENTITY_NOT_VERIFIED',
    );
  }
  const result = await deps.dossiers.listByApplicant(applicantKey(caller.citizenId), page);
  return pageOfSummaries(result);
}

function pageOfSummaries(page: Page<Dossier>): DossierPage {
  return { items: page.items.map(toSummary), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

function branchOf(caller: Caller): string {
  if (caller.kind !== 'staff' || !caller.branch) {
    throw new ForbiddenError('This needs a staff account scoped to a branch', 'NO_BRANCH_SCOPE');
  }
  return caller.branch;
}

export async function listBranchQueue(
  caller: Caller,
  status: DossierStatus,
  page: PageRequest,
  deps: Pick<DossierDeps, 'dossiers'>,
): Promise<DossierPage> {
  const result = await deps.dossiers.listByBranchStatus(branchOf(caller), status, page);
  return pageOfSummaries(result);
}

export async function listDue(
  caller: Caller,
  until: string | undefined,
  page: PageRequest,
  deps: Pick<DossierDeps, 'dossiers' | 'clock'>,
): Promise<DossierPage> {
  const day = until ?? dayString(localParts(deps.clock()).day);
  const result = await deps.dossiers.listDue(branchOf(caller), day, page);
  return pageOfSummaries(result);
}

function currentStep(dossier: Dossier) {
  if (awaitingPayment(dossier)) {
    const release = dossier.status === 'RESULT_READY';
    return {
      vi: `${awaitingPaymentLabel.vi}: nộp phí, lệ phí ${release ? 'để nhận kết quả' : 'để hồ sơ được giải quyết'}`,
      en: `${awaitingPaymentLabel.en}: ${release ? 'pay them to receive the result' : 'pay them for processing to start'}`,
    };
  }
  switch (dossier.status) {
    case 'SUBMITTED':
      return { vi: 'Chờ cán bộ tiếp nhận kiểm tra hồ sơ', en: 'Waiting for an officer to check the dossier' };
    case 'SUPPLEMENT_REQUESTED':
      return { vi: 'Chờ công dân bổ sung hồ sơ', en: 'Waiting for the applicant to supplement the dossier' };
    case 'RECEIVED':
      return {
        vi: 'Đã tiếp nhận, chuyển cơ quan giải quyết',
        en: 'Received, being routed to the deciding agency',
      };
    default:
      return statusLabels[dossier.status];
  }
}

async function tracked(code: string, key: string, deps: Pick<DossierDeps, 'dossiers'>): Promise<Dossier> {
  const dossier = await deps.dossiers.get(code);
  if (!dossier || !sameKey(dossier.lookupKey, key)) {
    throw new NotFoundError('No dossier with this code and key', 'DOSSIER_NOT_FOUND');
  }
  return dossier;
}

/** Public: the code and the key from the receipt show progress and nothing personal; a wrong key looks like no dossier. */
export async function trackDossier(
  code: string,
  key: string,
  deps: Pick<DossierDeps, 'dossiers'>,
): Promise<Tracking> {
  return trackingOf(await tracked(code, key, deps));
}

/**
 * What the public tracking page adds to the tracking answer so a person knows what to do next; still nothing
 * personal. Supplement items go by name only: their reasons are an officer's free text (form 02 carries them).
 */
export interface TrackingPageView extends Tracking {
  unit: string;
  channel: Dossier['channel'];
  /** VND still owed while the dossier waits for its fees. */
  outstandingVnd?: number;
  supplementItems?: string[];
  /** Inter-agency routing: how many of the route's stages are done. */
  stages?: { completed: number; count: number };
  result?: { kind: DossierResult['kind']; documents: number; postedBy?: string };
}

export async function trackDossierPage(
  code: string,
  key: string,
  deps: Pick<DossierDeps, 'dossiers'>,
): Promise<TrackingPageView> {
  const dossier = await tracked(code, key, deps);
  const tracking = trackingOf(dossier);
  const { supplement, routing, result } = dossier;
  return {
    ...tracking,
    unit: dossier.unit,
    channel: dossier.channel,
    ...(tracking.awaitingPayment ? { outstandingVnd: outstandingVnd(dossier.fees) } : {}),
    ...(dossier.status === 'SUPPLEMENT_REQUESTED' && supplement
      ? { supplementItems: supplement.items.map((item) => item.name) }
      : {}),
    ...(routing ? { stages: { completed: routing.completedStages, count: routing.stageCount } } : {}),
    ...(result
      ? {
          result: {
            kind: result.kind,
            documents: result.documents.length,
            ...(result.dispatch ? { postedBy: result.dispatch.carrier } : {}),
          },
        }
      : {}),
  };
}

function trackingOf(dossier: Dossier): Tracking {
  return {
    code: dossier.code,
    status: dossier.status,
    statusLabel: statusLabels[dossier.status],
    procedure: { code: dossier.procedure.code, name: dossier.procedure.name },
    submittedAt: dossier.submittedAt,
    ...(dossier.receivedAt ? { receivedAt: dossier.receivedAt } : {}),
    ...(dossier.deadline ? { appointmentDay: dossier.deadline.appointmentDay } : {}),
    paused: isPaused(dossier.deadline),
    currentStep: currentStep(dossier),
    awaitingPayment: awaitingPayment(dossier),
  };
}
