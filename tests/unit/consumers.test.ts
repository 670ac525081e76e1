import { describe, expect, it } from 'vitest';
import { receiptBookEnvironment } from '../../shared/config';
import { tables } from '../../shared/data/resources';
import { eventNames } from '../../shared/domain/events';
import { centerReceiptBook } from '../../shared/domain/issued-receipts';
import { consumerList, filterOf } from '../../shared/events/consumers';
import { eventFilterPattern, matchesPattern } from '../../shared/events/filter';
import { SUPERVISOR_ALERTS_CONSUMER } from '../../shared/notifications/alert-supervisors';
import { NOTIFICATIONS_CONSUMER } from '../../shared/notifications/notify-applicant';
import { AUDIT_CONSUMER } from '../../shared/usecases/audit/append-audit';
import { PERSONAL_STORE_CONSUMER } from '../../shared/usecases/documents/feed-personal-store';
import { PAYMENT_LEDGER_CONSUMER } from '../../shared/usecases/ledger/record-payment';
import { RECEIPT_ISSUER_CONSUMER } from '../../shared/usecases/receipts/issue-receipt';
import { ROUTING_FORWARDED_CONSUMER } from '../../shared/usecases/routing/notify-forward';
import { ROUTING_STARTER_CONSUMER } from '../../shared/usecases/routing/start-routing';
import { ROUTING_RESUME_CONSUMER } from '../../shared/usecases/routing/supplement-loop';
import { STATISTICS_CONSUMER } from '../../shared/usecases/stats/record-statistics';
import { eventItem, eventRecord, sampleEvent, streamRecord } from './support/stream';

describe('the consumer declarations', () => {
  it('name each consumer as its use case marks the events it consumed', () => {
    expect(consumerList.map((c) => c.id).sort()).toEqual(
      [
        AUDIT_CONSUMER,
        PERSONAL_STORE_CONSUMER,
        ROUTING_STARTER_CONSUMER,
        ROUTING_RESUME_CONSUMER,
        ROUTING_FORWARDED_CONSUMER,
        RECEIPT_ISSUER_CONSUMER,
        PAYMENT_LEDGER_CONSUMER,
        NOTIFICATIONS_CONSUMER,
        STATISTICS_CONSUMER,
        SUPERVISOR_ALERTS_CONSUMER,
      ].sort(),
    );
  });

  it('give the audit log every event', () => {
    expect(consumerList.find((c) => c.id === AUDIT_CONSUMER)!.events).toEqual(eventNames);
  });

  it('read only the table that has a stream', () => {
    for (const consumer of consumerList) expect(tables[consumer.source].stream).toBe('NEW_IMAGE');
  });

  it('point at handler modules that export a handler', async () => {
    Object.assign(process.env, {
      TABLE_AUDIT: 'a',
      TABLE_DOSSIERS: 'd',
      TABLE_CATALOGUE: 'c',
      TABLE_IDEMPOTENCY: 'i',
      AWS_REGION: 'ap-southeast-1',
      ROUTING_STATE_MACHINE_ARN: 'arn:aws:states:ap-southeast-1:000000000000:stateMachine:routing',
      STAGE: 'local',
      PUBLIC_BASE_URL: 'http://localhost:3000',
      NOTIFY_EMAIL_FROM: 'thongbao@motcua.local.test',
      NOTIFY_SMS_SENDER_ID: 'HCCHANOI',
      NOTIFY_SUPERVISORS_EMAIL: 'giamsat@motcua.local.test',
      ...receiptBookEnvironment(centerReceiptBook),
    });
    for (const consumer of consumerList) {
      const module = (await import(`../../${consumer.handler}`)) as { handler?: unknown };
      expect(typeof module.handler, consumer.handler).toBe('function');
    }
  });
});

describe('the stream filter', () => {
  const pattern = eventFilterPattern(['DossierReceived']);

  it('lets a new event item of a consumed name through', () => {
    expect(matchesPattern(pattern, eventRecord(sampleEvent('DossierReceived'), 1))).toBe(true);
  });

  it('stops events of other names, other items, and rewrites or removals of events', () => {
    const received = eventItem(sampleEvent('DossierReceived'));
    expect(matchesPattern(pattern, eventRecord(sampleEvent('DossierFiled'), 1))).toBe(false);
    expect(matchesPattern(pattern, streamRecord({ pk: 'DOSSIER#c', sk: 'META', data: {} }, 2))).toBe(false);
    expect(matchesPattern(pattern, streamRecord(received, 3, 'MODIFY'))).toBe(false);
    expect(matchesPattern(pattern, streamRecord(received, 4, 'REMOVE'))).toBe(false);
  });

  it("is the pattern the cloud's event source mapping gets", () => {
    expect(filterOf(consumerList[1])).toEqual({
      eventName: ['INSERT'],
      dynamodb: {
        NewImage: {
          entity: { S: ['event'] },
          event: { M: { name: { S: ['DossierReceived', 'DossierSupplemented', 'DossierResultReady'] } } },
        },
      },
    });
  });
});
