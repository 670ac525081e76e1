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
  objects: ObjectStore;
  idempotency: IdempotencyStore;
  clock: () => Date;
}
