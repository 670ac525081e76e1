// Writes domain events straight into the dossiers table, in the layout the dossier repository writes them, and
// reads back what the consumers did.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../../../shared/adapters/aws';
import type { Dossier } from '../../../shared/domain/dossier';
import type { DomainEvent } from '../../../shared/domain/events';
import { eventItem } from '../../unit/support/stream';

export async function putEvent(event: DomainEvent) {
  await dynamoDocumentClient().send(
    new PutCommand({
      TableName: process.env.TABLE_DOSSIERS,
      Item: eventItem(event),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function putDossier(dossier: Dossier) {
  await dynamoDocumentClient().send(
    new PutCommand({
      TableName: process.env.TABLE_DOSSIERS,
      Item: { pk: `DOSSIER#${dossier.code}`, sk: 'META', data: dossier, version: dossier.version },
    }),
  );
}

/** Waits until `check` holds, for effects another process or loop produces; fails with the last value seen. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`condition not met; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}
