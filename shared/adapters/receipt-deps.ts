// Builds the e-receipt ports from the environment, once per cold start: the issuer (a stream consumer), the download
// and the public verification each get only what they use.
import { readHttpConfig, readReceiptBookConfig, requireEnv } from '../config';
import { tables } from '../data/resources';
import type { ReceiptData } from '../domain/receipts';
import type { GetReceiptDeps } from '../usecases/receipts/get-receipt';
import type { IssueReceiptDeps } from '../usecases/receipts/issue-receipt';
import { dynamoDocumentClient } from './aws';
import { catalogueRepository } from './deps';
import { documentObjectStore } from './document-deps';
import { dossierRepository } from './dossier-deps';
import { dynamoReceiptStore } from './dynamo/receipt-store';

export function receiptStore() {
  // Marks in the dossiers table expire with its TTL attribute, long after any redelivery could come.
  return dynamoReceiptStore(dynamoDocumentClient(), requireEnv(tables.dossiers.envVar), {
    ttlAttribute: tables.dossiers.ttlAttribute,
  });
}

export function receiptIssuerDeps(): IssueReceiptDeps {
  return {
    dossiers: dossierRepository(),
    catalogue: catalogueRepository(),
    receipts: receiptStore(),
    book: readReceiptBookConfig(),
    clock: () => new Date(),
  };
}

/** The renderer is passed in by the one handler that bundles it, as the form download does. */
export function receiptDownloadDeps(render: (data: ReceiptData) => Promise<Uint8Array>): GetReceiptDeps {
  return {
    dossiers: dossierRepository(),
    receipts: receiptStore(),
    objects: documentObjectStore(),
    render,
    publicBaseUrl: readHttpConfig().publicBaseUrl,
  };
}
