// Builds the dossier use cases' ports from the environment, once per cold start.
import { readHttpConfig, requireEnv } from '../config';
import { tables } from '../data/resources';
import type { FormRenderer } from '../ports/form-renderer';
import type { DossierDeps, FilingDeps } from '../usecases/dossiers/deps';
import type { GetFormDeps } from '../usecases/dossiers/get-form';
import { dynamoDocumentClient } from './aws';
import { catalogueRepository } from './deps';
import { documentObjectStore, personalDocumentStore, uploadRepository } from './document-deps';
import { dynamoDossierRepository } from './dynamo/dossier-repository';
import { dynamoIdempotencyStore } from './dynamo/idempotency-store';

export function dossierRepository() {
  return dynamoDossierRepository(dynamoDocumentClient(), requireEnv(tables.dossiers.envVar), () =>
    requireEnv(tables.idempotency.envVar),
  );
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/**
 * The ports of the dossier moves, each built on first use: a function is granted only the resources its route
 * declares, so it must not ask for the others' configuration at cold start. No document store: a move that files
 * documents takes `filingDeps()`, so the others' bundles leave the S3 client out.
 */
export function dossierDeps(): DossierDeps {
  const dossiers = once(dossierRepository);
  const catalogue = once(catalogueRepository);
  const uploads = once(uploadRepository);
  const personal = once(personalDocumentStore);
  const idempotency = once(() =>
    dynamoIdempotencyStore(dynamoDocumentClient(), requireEnv(tables.idempotency.envVar)),
  );
  return {
    get dossiers() {
      return dossiers();
    },
    get catalogue() {
      return catalogue();
    },
    get uploads() {
      return uploads();
    },
    get personal() {
      return personal();
    },
    get idempotency() {
      return idempotency();
    },
    clock: () => new Date(),
  };
}

/** A filing's or a supplement's ports: the moves' and the document store, built on first use. */
export function filingDeps(): FilingDeps {
  const objects = once(documentObjectStore);
  return Object.defineProperty(dossierDeps(), 'objects', { get: objects, enumerable: true }) as FilingDeps;
}

/**
 * What the form download needs. The renderer is passed in by the one handler that bundles it (shared/adapters/
 * pdf-forms), so the JSON handlers, which import this file, never carry pdfkit, fontkit or the fonts.
 */
export function formDeps(forms: FormRenderer): GetFormDeps {
  const dossiers = once(dossierRepository);
  const catalogue = once(catalogueRepository);
  const objects = once(documentObjectStore);
  return {
    get dossiers() {
      return dossiers();
    },
    get catalogue() {
      return catalogue();
    },
    get objects() {
      return objects();
    },
    forms,
    publicBaseUrl: readHttpConfig().publicBaseUrl,
  };
}
