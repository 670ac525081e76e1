// The applicant's result: short-lived links to the agencies' documents, or the notice of a rejection or a stop.
// The first download of an electronic result is its return: the dossier closes as RETURNED.

import type { Caller } from '../../domain/caller';
import type { Dossier } from '../../domain/dossier';
import { assertReleasable, returnResult } from '../../domain/transitions';
import { ConflictError } from '../../errors';
import type { ObjectStore } from '../../ports/documents';
import type { DossierRepository } from '../../ports/dossier-repository';
import type { ResultView } from '../../schemas/results';
import { applicantOf } from '../dossiers/access';

/** Long enough to start a download on a slow phone, short enough that a forwarded link soon dies. */
export const RESULT_LINK_SECONDS = 300;

export interface GetResultDeps {
  dossiers: Pick<DossierRepository, 'get' | 'update'>;
  objects: Pick<ObjectStore, 'presignGet'>;
  clock: () => Date;
}

const fileNameOf = (title: string, contentType: string) =>
  `${title.replace(/[^\p{L}\p{N} ._-]/gu, '').trim() || 'ket-qua'}${contentType === 'application/pdf' ? '.pdf' : ''}`;

export async function getResult(
  input: { code: string; caller: Caller },
  deps: GetResultDeps,
): Promise<ResultView> {
  for (let attempt = 0; ; attempt++) {
    const { dossier, actor } = applicantOf(await deps.dossiers.get(input.code), input.code, input.caller);
    const result = assertReleasable(dossier);
    if (dossier.status !== 'RESULT_READY' || result.documents.length === 0) return view(dossier, deps);
    const moved = returnResult(dossier, { actor, caller: input.caller }, deps.clock(), {
      method: 'electronic',
    });
    try {
      await deps.dossiers.update({
        dossier: moved.dossier,
        expectedVersion: dossier.version,
        entry: moved.entry,
        events: moved.events,
      });
      return view(moved.dossier, deps);
    } catch (error) {
      // Changed meanwhile (a twin download, a payment recorded): read it again and answer from what it is now.
      if (!(error instanceof ConflictError && error.code === 'VERSION_CONFLICT') || attempt >= 3) throw error;
    }
  }
}

async function view(dossier: Dossier, deps: GetResultDeps): Promise<ResultView> {
  const result = dossier.result!;
  const documents = await Promise.all(
    result.documents.map(async (doc) => {
      const link = await deps.objects.presignGet(doc.s3Key, {
        expiresInSeconds: RESULT_LINK_SECONDS,
        fileName: fileNameOf(doc.title, doc.contentType),
      });
      return {
        id: doc.id,
        title: doc.title,
        agency: doc.agency,
        contentType: doc.contentType,
        sizeBytes: doc.sizeBytes,
        sha256: doc.sha256,
        url: link.url,
        expiresAt: link.expiresAt,
      };
    }),
  );
  const code = encodeURIComponent(dossier.code);
  const notice =
    result.kind !== 'notice'
      ? undefined
      : dossier.rejection
        ? { reason: dossier.rejection.reason, agency: dossier.rejection.agency }
        : {
            reason: dossier.stop?.reason ?? '',
            form: { form: '05' as const, href: `/v1/dossiers/${code}/forms/05` },
          };
  return {
    code: dossier.code,
    status: dossier.status,
    kind: result.kind,
    readyAt: result.readyAt,
    documents,
    ...(notice ? { notice } : {}),
    ...(result.dispatch
      ? {
          dispatch: {
            carrier: result.dispatch.carrier,
            trackingNumber: result.dispatch.trackingNumber,
            at: result.dispatch.at,
          },
        }
      : {}),
    ...(result.returned ? { returned: { at: result.returned.at, method: result.returned.method } } : {}),
  };
}
