// Domain events as the dossiers table holds them, and the stream records Lambda hands a consumer for them.
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import {
  type DomainEvent,
  domainEvent,
  type EventName,
  type EventPayload,
} from '../../../shared/domain/events';

export const STREAM_ARN =
  'arn:aws:dynamodb:ddblocal:000000000000:table/t-dossiers/stream/2026-11-27T00:00:00.000';

const payloads: { [N in EventName]: EventPayload<N> } = {
  DossierFiled: {
    unit: '000.00.01.H26',
    procedureCode: '1.001193',
    procedureVersion: 1,
    channel: 'online',
    status: 'SUBMITTED',
    documents: [],
  },
  DossierReceived: {
    unit: '000.00.01.H26',
    procedureCode: '1.001193',
    procedureVersion: 1,
    channel: 'online',
    appointmentDay: '2026-12-04',
    applicantKey: 'ak-1',
    documents: [],
  },
  DossierSupplementRequested: { items: [{ name: 'Giấy chứng sinh', reason: 'mờ' }] },
  DossierSupplemented: { documents: [], appointmentDayChanged: false, applicantKey: 'ak-1', received: true },
  DossierRefused: { reason: 'thiếu giấy tờ' },
  DossierWithdrawn: { reason: 'nộp nhầm' },
  DossierRouted: {
    unit: '000.00.01.H26',
    procedureCode: '2.002621',
    attempt: 1,
    executionName: '000_00_01_H26-261127-0001-a1',
    stageCount: 2,
  },
  DossierStageCompleted: { stage: 0, stageCount: 2 },
  DossierResultReady: { unit: '000.00.01.H26', procedureCode: '2.002621' },
  DossierRejected: { reason: 'không đủ điều kiện', agency: '000.33.08.H26' },
  DossierStopped: { reason: 'người nộp đề nghị dừng' },
  DossierStageStarted: {
    stage: 0,
    steps: [{ stepId: 's0-0', agency: '000.33.08.H26', dueAt: '2026-11-30T02:00:00.000Z' }],
  },
  DossierStepDecided: {
    stepId: 's0-0',
    round: 1,
    agency: '000.33.08.H26',
    decision: 'approve',
    result: 'early',
  },
  DossierStepForwarded: {
    stepId: 's0-0',
    round: 1,
    taskId: '000.00.01.H26-261127-0001~s0-0~r1',
    from: '000.00.33.H26',
    to: '000.00.31.H26',
    reason: 'Người nộp thường trú tại phường Hoàn Kiếm',
    dueAt: '2026-11-30T02:00:00.000Z',
  },
  DossierOverdue: {
    unit: '000.00.01.H26',
    procedureCode: '2.002621',
    stepId: 's0-0',
    agency: '000.33.08.H26',
    previousAppointmentDay: '2026-12-04',
    newAppointmentDay: '2026-12-09',
  },
  DossierRoutingFailed: {
    unit: '000.00.01.H26',
    procedureCode: '2.002621',
    attempt: 1,
    error: 'Motcua.TaskFailed',
    failures: 1,
  },
  DossierPaid: {
    unit: '000.00.01.H26',
    procedureCode: '1.004222',
    channel: 'online',
    paymentId: 'P261203ABCDEFGHJKMNP',
    provider: 'vnpay',
    amountVnd: 20000,
    outstandingVnd: 0,
    refundDueVnd: 0,
    settledBy: 'callback',
  },
  DossierRefunded: {
    unit: '000.00.01.H26',
    paymentId: 'P261203ABCDEFGHJKMNP',
    refundId: 'R261203ABCDEFGHJKMNP',
    provider: 'vnpay',
    amountVnd: 20000,
    kind: 'full',
  },
  DossierPaymentFailed: {
    paymentId: 'P261203ABCDEFGHJKMNP',
    provider: 'vnpay',
    amountVnd: 20000,
    responseCode: '24',
    settledBy: 'callback',
  },
  DossierResultDispatched: {
    unit: '000.00.01.H26',
    procedureCode: '1.001193',
    carrier: 'VNPost',
    trackingNumber: 'EB123456789VN',
  },
  DossierReturned: { unit: '000.00.01.H26', procedureCode: '1.001193', method: 'counter' },
  DossierRated: { unit: '000.00.01.H26', procedureCode: '1.001193', score: 5, hasComment: false },
};

let version = 1;

/** A valid event of `name`; payload fields may be overridden. */
export function sampleEvent<N extends EventName>(
  name: N,
  overrides: { code?: string; payload?: Partial<EventPayload<N>>; at?: Date } = {},
): DomainEvent<N> {
  version += 1;
  return domainEvent(name, { ...payloads[name], ...overrides.payload } as EventPayload<N>, {
    dossierCode: overrides.code ?? '000.00.01.H26-261127-0001',
    dossierVersion: version,
    at: overrides.at ?? new Date('2026-11-27T02:00:00.000Z'),
    caller: { kind: 'officer', id: 'sub-officer-1' },
  });
}

/** The item the lead's repositories write for an event, in the same transaction as the change. */
export function eventItem(event: { dossierCode: string; dossierVersion: number; name: string }) {
  return {
    pk: `DOSSIER#${event.dossierCode}`,
    sk: `EVENT#${String(event.dossierVersion).padStart(6, '0')}#${event.name}`,
    entity: 'event',
    event,
  };
}

/** A stream record in Lambda's shape for any item. */
export function streamRecord(
  item: Record<string, unknown>,
  sequenceNumber: number | string,
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE' = 'INSERT',
): DynamoDBRecord {
  const image = marshall(item, { removeUndefinedValues: true }) as Record<string, AttributeValue>;
  return {
    eventID: `e-${sequenceNumber}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ap-southeast-1',
    dynamodb: {
      ApproximateCreationDateTime: 1_795_000_000,
      Keys: { pk: image.pk!, sk: image.sk! },
      ...(eventName === 'REMOVE' ? {} : { NewImage: image }),
      SequenceNumber: String(sequenceNumber).padStart(21, '0'),
      SizeBytes: 100,
      StreamViewType: 'NEW_IMAGE',
    },
    eventSourceARN: STREAM_ARN,
  };
}

export const eventRecord = (event: DomainEvent | Record<string, unknown>, sequenceNumber: number) =>
  streamRecord(eventItem(event as DomainEvent), sequenceNumber);
