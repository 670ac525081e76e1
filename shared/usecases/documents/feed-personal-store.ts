// Once an officer has received a dossier (or the documents a supplement added to a received one), its applicant's
// reusable, verified documents go to their personal data store, keyed by the verified citizen ID's applicant key.
import type { DomainEvent } from '../../domain/events';
import type { CatalogueRepository } from '../../ports/catalogue-repository';
import type { DossierRepository } from '../../ports/dossier-repository';
import type { PersonalStoreFeed } from '../../ports/personal-store-feed';
import { toPersonalStore } from '../dossiers/personal-store';

export const PERSONAL_STORE_CONSUMER = 'personal-store-feed';

export interface FeedPersonalStoreDeps {
  dossiers: Pick<DossierRepository, 'get'>;
  catalogue: Pick<CatalogueRepository, 'procedure'>;
  feed: PersonalStoreFeed;
  clock: () => Date;
}

export type FeedOutcome =
  | { outcome: 'added' | 'duplicate'; documents: number; superseded: number }
  | { outcome: 'nothing-to-add'; superseded: number };

export async function feedPersonalStore(
  event:
    | DomainEvent<'DossierReceived'>
    | DomainEvent<'DossierSupplemented'>
    | DomainEvent<'DossierResultReady'>,
  deps: FeedPersonalStoreDeps,
): Promise<FeedOutcome> {
  if (event.name === 'DossierResultReady') return feedResult(event, deps);
  // A supplement to a dossier not yet received adds nothing: its documents wait for the officer's receipt.
  if (event.name === 'DossierSupplemented' && !event.payload.received)
    return { outcome: 'nothing-to-add', superseded: 0 };
  // The event was written with the dossier, so a missing dossier or pinned version is a broken invariant: throwing
  // lets the stream retry it and, after the retries, dead-letter it where someone will look.
  const dossier = await deps.dossiers.get(event.dossierCode);
  if (!dossier) throw new Error(`dossier ${event.dossierCode} of event ${event.id} is missing`);
  const { code, version } = dossier.procedure;
  const procedure = await deps.catalogue.procedure(code, version);
  if (!procedure) throw new Error(`pinned version ${version} of ${code} is missing`);

  // The event names the documents; their details are on the dossier. One a later supplement replaced is no longer
  // there, and its replacement comes with that supplement's own event.
  const named = new Set(event.payload.documents.map((d) => d.documentId));
  const documents = dossier.documents.filter((d) => named.has(d.documentId));
  const superseded = named.size - documents.length;
  // Verified at the event's time, not the consumer's: a redelivery computes the very same items.
  const personal = toPersonalStore(
    { ...dossier, applicantKey: event.payload.applicantKey },
    documents,
    procedure,
    new Date(event.at),
  );
  if (!personal.length) return { outcome: 'nothing-to-add', superseded };
  const outcome = await deps.feed.add(personal, {
    consumer: PERSONAL_STORE_CONSUMER,
    eventId: event.id,
    at: deps.clock().toISOString(),
  });
  return { outcome, documents: personal.length, superseded };
}

/** A finished dossier's result documents go to its applicant's store: later dossiers reuse them (once-only). */
async function feedResult(
  event: DomainEvent<'DossierResultReady'>,
  deps: FeedPersonalStoreDeps,
): Promise<FeedOutcome> {
  const dossier = await deps.dossiers.get(event.dossierCode);
  if (!dossier) throw new Error(`dossier ${event.dossierCode} of event ${event.id} is missing`);
  const documents = dossier.result?.documents ?? [];
  if (!documents.length) return { outcome: 'nothing-to-add', superseded: 0 };
  const personal = documents.map((doc) => ({
    id: doc.id,
    ownerKey: dossier.applicantKey,
    requirementId: doc.documentType ?? 'result',
    name: { vi: doc.title, en: doc.title },
    fileName: `${doc.title}.pdf`,
    contentType: doc.contentType,
    sizeBytes: doc.sizeBytes,
    sha256: doc.sha256,
    s3Key: doc.s3Key,
    verifiedAt: event.at,
    sourceDossier: dossier.code,
  }));
  const outcome = await deps.feed.add(personal, {
    consumer: PERSONAL_STORE_CONSUMER,
    eventId: event.id,
    at: deps.clock().toISOString(),
  });
  return { outcome, documents: personal.length, superseded: 0 };
}
