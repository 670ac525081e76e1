// Builds the dossier use cases' ports from the environment, once per cold start.
import { readHttpConfig, requireEnv } from '../config';
import { tables } from '../data/resources';
import type { FormRenderer } from '../ports/form-renderer';
import type { DossierDeps } from '../usecases/dossiers/deps';
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
 * Every port a dossier use case may need, each built on first use: a function is granted only the resources its
 * route declares, so it must not ask for the others' configuration at cold start.
 */
export function dossierDeps(): DossierDeps {
  const dossiers = once(dossierRepository);
  const catalogue = once(catalogueRepository);
  const uploads = once(uploadRepository);
  const personal = once(personalDocumentStore);
  const objects = once(documentObjectStore);
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
    get objects() {
      return objects();
    },
    get idempotency() {
      return idempotency();
    },
    clock: () => new Date(),
  };
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
