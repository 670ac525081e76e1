// Builds the notifications consumer's ports from the environment, once per cold start.
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { readNotificationConfig, requireEnv } from '../config';
import { tables } from '../data/resources';
import type { NotifyDeps } from '../notifications/notify-applicant';
import { dynamoDocumentClient } from './aws';
import { awsNotifier } from './aws-notifier';
import { dossierRepository } from './dossier-deps';
import { dynamoConsumedEvents } from './dynamo/consumed-events';

export function notifyDeps(): NotifyDeps {
  const config = readNotificationConfig();
  // Two attempts each: the stream retries the event anyway, and its marks keep what was sent from being sent again.
  const ses = new SESv2Client({ maxAttempts: 2 });
  const sns = new SNSClient({ maxAttempts: 2 });
  return {
    dossiers: dossierRepository(),
    notifier: awsNotifier(ses, sns, config),
    // Marks in the dossiers table expire with its TTL attribute, long after any redelivery could come.
    marks: dynamoConsumedEvents(dynamoDocumentClient(), requireEnv(tables.dossiers.envVar), {
      ttlAttribute: tables.dossiers.ttlAttribute,
    }),
    publicBaseUrl: config.publicBaseUrl,
    clock: () => new Date(),
  };
}
