// Builds the payment ledger's ports from the environment, once per cold start.
import { requireEnv } from '../config';
import { tables } from '../data/resources';
import type { PaymentReportDeps } from '../usecases/ledger/payment-report';
import type { RecordPaymentDeps } from '../usecases/ledger/record-payment';
import { dynamoDocumentClient } from './aws';
import { dossierRepository } from './dossier-deps';
import { dynamoPaymentLedger } from './dynamo/payment-ledger';

export function paymentLedger() {
  // Marks in the dossiers table expire with its TTL attribute, long after any redelivery could come.
  return dynamoPaymentLedger(dynamoDocumentClient(), requireEnv(tables.dossiers.envVar), {
    ttlAttribute: tables.dossiers.ttlAttribute,
  });
}

export function recordPaymentDeps(): RecordPaymentDeps {
  return { dossiers: dossierRepository(), ledger: paymentLedger(), clock: () => new Date() };
}

export function paymentReportDeps(): PaymentReportDeps {
  return { ledger: paymentLedger() };
}
