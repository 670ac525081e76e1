// The ports the dossier use cases work through.
import type { CatalogueRepository } from '../../ports/catalogue-repository';
import type { ObjectStore, PersonalDocumentStore, UploadRepository } from '../../ports/documents';
import type { DossierRepository } from '../../ports/dossier-repository';
import type { FormRenderer } from '../../ports/form-renderer';
import type { IdempotencyStore } from '../../ports/idempotency-store';

export interface DossierDeps {
  dossiers: DossierRepository;
  catalogue: CatalogueRepository;
  uploads: UploadRepository;
  personal: PersonalDocumentStore;
  objects: ObjectStore;
  forms: FormRenderer;
  idempotency: IdempotencyStore;
  clock: () => Date;
  /** Base of the public tracking URL printed on forms. */
  publicBaseUrl: string;
}
