// The ports the dossier use cases work through. Moves never render forms: only the download does (GetFormDeps).
import type { CatalogueRepository } from '../../ports/catalogue-repository';
import type { ObjectStore, PersonalDocumentStore, UploadRepository } from '../../ports/documents';
import type { DossierRepository } from '../../ports/dossier-repository';
import type { IdempotencyStore } from '../../ports/idempotency-store';

export interface DossierDeps {
  dossiers: DossierRepository;
  catalogue: CatalogueRepository;
  uploads: UploadRepository;
  personal: PersonalDocumentStore;
  idempotency: IdempotencyStore;
  clock: () => Date;
}

/**
 * What a filing or a supplement needs besides: the document store, to file uploaded documents under a key no expiry
 * rule reaches. Only those functions are given it, so the other moves' bundles leave the S3 client out.
 */
export interface FilingDeps extends DossierDeps {
  objects: ObjectStore;
}
