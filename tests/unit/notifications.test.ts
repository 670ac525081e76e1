// The applicant's notifications: templates in both languages, masking, preferences, which messages an event makes,
// and the consumer's rule of once per event, message and channel, with in-memory fakes of our own ports.

import { afterEach, describe, expect, it } from 'vitest';
import { readNotificationConfig, resetConfigForTests } from '../../shared/config';
import type { Dossier } from '../../shared/domain/dossier';
import type { MessageFacts } from '../../shared/notifications/messages';
import {
  deliveryMark,
  NOTIFICATIONS_CONSUMER,
  NotificationFailedError,
  type NotifyDeps,
  notifyApplicant,
  notifyApplicants,
} from '../../shared/notifications/notify-applicant';
import { dossierLinks, type NotifiedEvent, planMessages } from '../../shared/notifications/plan';
import { e164, maskEmail, maskPhone, recipientsOf } from '../../shared/notifications/recipients';
import { tagList, tagsFrom } from '../../shared/notifications/tags';
import { formatDay, messageKinds, renderMessage, smsSafe } from '../../shared/notifications/templates';
import type { Notifier, OutgoingEmail, OutgoingSms } from '../../shared/ports/notifier';
import { memoryMarks } from './fakes/memory-marks';
import { birthDossier } from './support/dossier';
import { sampleEvent } from './support/stream';

const BASE = 'https://api.motcua.example.vn';
const CODE = '000.00.01.H26-261127-0042';
const context = {
  dossierCode: CODE,
  procedureName: { vi: 'Đăng ký khai sinh', en: 'Birth registration' },
  applicantName: 'Nguyễn Văn An',
};
const links = dossierLinks(BASE, { code: CODE, lookupKey: 'LK1234' });

/** One sample of every message, so each template is rendered in both languages. */
const samples: Record<MessageFacts['kind'], MessageFacts> = {
  received: { kind: 'received', appointmentDay: '2026-12-04', trackingUrl: links.tracking },
  'awaiting-payment': { kind: 'awaiting-payment', outstandingVnd: 150_000, trackingUrl: links.tracking },
  'supplement-requested': {
    kind: 'supplement-requested',
    items: [
      { name: 'Giấy chứng sinh', reason: 'Bản chụp bị mờ' },
      { name: 'Tờ khai', reason: 'Thiếu chữ ký' },
    ],
    trackingUrl: links.tracking,
  },
  refused: { kind: 'refused', reason: 'Không thuộc thẩm quyền' },
  'payment-confirmed': {
    kind: 'payment-confirmed',
    amountVnd: 150_000,
    paymentId: 'PAY-123',
    outstandingVnd: 0,
    receiptsUrl: links.dossier,
  },
  overdue: {
    kind: 'overdue',
    previousAppointmentDay: '2026-12-04',
    newAppointmentDay: '2026-12-11',
    trackingUrl: links.tracking,
  },
  'result-ready': { kind: 'result-ready', downloadUrl: links.result, trackingUrl: links.tracking },
  'result-dispatched': { kind: 'result-dispatched', carrier: 'VNPost', trackingNumber: 'EL123456789VN' },
  returned: { kind: 'returned', method: 'post' },
  rejected: { kind: 'rejected', reason: 'Không đủ điều kiện' },
  stopped: { kind: 'stopped', reason: 'Người nộp đề nghị dừng' },
  rate: { kind: 'rate', ratingUrl: links.rating },
};

describe('message templates', () => {
  it('have a sample for every kind the renderer knows', () => {
    expect(Object.keys(samples).sort()).toEqual([...messageKinds].sort());
  });

  it.each(messageKinds)('render %s in Vietnamese and English, each naming the dossier', (kind) => {
    const vi = renderMessage(samples[kind], context, 'vi');
    const en = renderMessage(samples[kind], context, 'en');
    for (const message of [vi, en]) {
      expect(message.email.subject).toContain(CODE);
      expect(message.email.text).toContain(CODE);
      expect(message.sms.text).toContain(CODE);
    }
    expect(vi.email.text).toMatch(/^Kính gửi ông\/bà Nguyễn Văn An,/);
    expect(vi.email.text).toContain('Trung tâm Phục vụ hành chính công');
    expect(en.email.text).toMatch(/^Dear Nguyễn Văn An,/);
    expect(en.email.text).toContain('Hanoi Public Administrative Service Center');
    expect(vi.email.subject).not.toEqual(en.email.subject);
  });

  it.each(messageKinds)('keep the %s SMS short and in printable ASCII in both languages', (kind) => {
    for (const language of ['vi', 'en'] as const) {
      const { text } = renderMessage(samples[kind], context, language).sms;
      expect(text).toMatch(/^[\x20-\x7e]+$/);
      // Two concatenated GSM-7 segments at most.
      expect(text.length).toBeLessThanOrEqual(306);
    }
  });

  it('tell a received dossier its appointment day and tracking link', () => {
    const vi = renderMessage(samples.received, context, 'vi');
    const en = renderMessage(samples.received, context, 'en');
    expect(vi.email.text).toContain('Ngày hẹn trả kết quả: 04/12/2026');
    expect(en.email.text).toContain('Appointment day for the result: 4 Dec 2026');
    expect(vi.email.text).toContain(links.tracking);
    expect(vi.sms.text).toContain(`Hen tra 04/12/2026. Tra cuu: ${links.tracking}`);
  });

  it('list each item a supplement request asks for', () => {
    const { email } = renderMessage(samples['supplement-requested'], context, 'vi');
    expect(email.text).toContain('1. Giấy chứng sinh: Bản chụp bị mờ');
    expect(email.text).toContain('2. Tờ khai: Thiếu chữ ký');
  });

  it('apologise for a late dossier with its new appointment day (form 04)', () => {
    const vi = renderMessage(samples.overdue, context, 'vi');
    expect(vi.email.subject).toMatch(/^Thư xin lỗi/);
    expect(vi.email.text).toContain('xin lỗi');
    expect(vi.email.text).toContain('11/12/2026');
    expect(renderMessage(samples.overdue, context, 'en').sms.text).toContain('New date 11 Dec 2026');
  });

  it('say how to get a result: download, post or counter', () => {
    const { email } = renderMessage(samples['result-ready'], context, 'en');
    expect(email.text).toContain(`${BASE}/v1/dossiers/${CODE}/result`);
    expect(email.text).toMatch(/by post/);
    expect(email.text).toMatch(/at the counter/);
  });

  it('give the amount in each language and the payment id of a confirmed payment', () => {
    expect(renderMessage(samples['payment-confirmed'], context, 'vi').email.text).toContain('150.000 đồng');
    const en = renderMessage(samples['payment-confirmed'], context, 'en');
    expect(en.email.text).toContain('150,000 VND');
    expect(en.email.text).toContain('PAY-123');
    expect(en.email.text).toContain(links.dossier);
  });

  it('ask for a rating at the rating route', () => {
    expect(renderMessage(samples.rate, context, 'vi').email.text).toContain(
      `${BASE}/v1/dossiers/${CODE}/rating`,
    );
  });

  it('drop diacritics and đ for SMS', () => {
    expect(smsSafe('Đăng ký hồ sơ đã được tiếp nhận – ngày 4')).toBe(
      'Dang ky ho so da duoc tiep nhan - ngay 4',
    );
    expect(smsSafe('emoji 😀')).toBe('emoji ??');
  });

  it('format days per language', () => {
    expect(formatDay('2026-02-16', 'vi')).toBe('16/02/2026');
    expect(formatDay('2026-02-16', 'en')).toBe('16 Feb 2026');
  });
});

describe('masking recipients', () => {
  it('keeps the first letter of the mailbox and the whole domain', () => {
    expect(maskEmail('citizen.an@example.com')).toBe('c***@example.com');
    expect(maskEmail('not-an-address')).toBe('***');
  });

  it('keeps the first two and the last three digits, in the national form', () => {
    expect(maskPhone('0912345678')).toBe('09*****678');
    expect(maskPhone('+84912345678')).toBe('09*****678');
    expect(maskPhone('1234')).toBe('****');
  });

  it('turns a national number into E.164 for SNS', () => {
    expect(e164('0912345678')).toBe('+84912345678');
    expect(e164('+84912345678')).toBe('+84912345678');
  });
});

describe('recipientsOf', () => {
  const applicant = { fullName: 'Nguyễn Văn An', citizenId: '001090012345' };

  it('uses every channel the applicant gave a contact for, in Vietnamese, by default', () => {
    expect(recipientsOf({ ...applicant, email: 'an@example.com', phone: '0912345678' })).toEqual({
      language: 'vi',
      targets: [
        { channel: 'email', to: 'an@example.com' },
        { channel: 'sms', to: '0912345678' },
      ],
      skipped: [],
    });
  });

  it('follows the chosen channels and language', () => {
    const chosen = recipientsOf({
      ...applicant,
      email: 'an@example.com',
      phone: '0912345678',
      notify: { channels: ['sms'], language: 'en' },
    });
    expect(chosen).toEqual({
      language: 'en',
      targets: [{ channel: 'sms', to: '0912345678' }],
      skipped: [{ channel: 'email', reason: 'not-chosen' }],
    });
  });

  it('skips a chosen channel without its contact', () => {
    expect(
      recipientsOf({
        ...applicant,
        email: 'an@example.com',
        notify: { channels: ['email', 'sms'], language: 'vi' },
      }).skipped,
    ).toEqual([{ channel: 'sms', reason: 'no-contact' }]);
  });

  it('has nobody to send to without any contact, or when the applicant chose no channel', () => {
    expect(recipientsOf(applicant).targets).toEqual([]);
    expect(
      recipientsOf({ ...applicant, email: 'an@example.com', notify: { channels: [], language: 'vi' } })
        .targets,
    ).toEqual([]);
  });
});

describe('message tags', () => {
  it('carry a dossier code through SES tag values, which allow no dots', () => {
    const tags = {
      event: 'DossierReceived',
      eventId: 'e-1',
      dossierCode: CODE,
      kind: 'received',
      language: 'vi',
    };
    const list = tagList(tags);
    for (const { Value } of list) expect(Value).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(tagsFrom(list)).toEqual(tags);
  });
});

function dossierWith(overrides: Partial<Dossier> = {}): Dossier {
  const dossier = birthDossier(CODE);
  return {
    ...dossier,
    applicant: { ...dossier.applicant, email: 'citizen.an@example.com', phone: '0912345678' },
    ...overrides,
  };
}

const withFees = (dossier: Dossier, paidVnd: number): Dossier => ({
  ...dossier,
  fees: {
    items: [],
    totalVnd: 150_000,
    dueWhen: 'before-processing',
    computedAt: dossier.submittedAt,
    paidVnd,
    refundDueVnd: 0,
    payments: [],
  },
});

describe('planMessages', () => {
  it('tells a received dossier its appointment, and that it waits for its fees when it does', () => {
    const event = sampleEvent('DossierReceived', { code: CODE, payload: { appointmentDay: '2026-12-04' } });
    expect(planMessages(event, dossierWith(), BASE)).toEqual([
      { kind: 'received', appointmentDay: '2026-12-04', trackingUrl: links.tracking },
    ]);
    expect(planMessages(event, withFees(dossierWith(), 0), BASE).map((m) => m.kind)).toEqual([
      'received',
      'awaiting-payment',
    ]);
    expect(planMessages(event, withFees(dossierWith(), 150_000), BASE).map((m) => m.kind)).toEqual([
      'received',
    ]);
  });

  it.each([
    ['DossierReturned', ['returned', 'rate']],
    ['DossierRejected', ['rejected', 'rate']],
    ['DossierStopped', ['stopped', 'rate']],
    ['DossierRefused', ['refused']],
    ['DossierOverdue', ['overdue']],
    ['DossierPaid', ['payment-confirmed']],
    ['DossierSupplementRequested', ['supplement-requested']],
    ['DossierResultReady', ['result-ready']],
    ['DossierResultDispatched', ['result-dispatched']],
  ] as const)('makes of %s the messages %j', (name, kinds) => {
    const event = sampleEvent(name, { code: CODE }) as NotifiedEvent;
    expect(planMessages(event, dossierWith(), BASE).map((m) => m.kind)).toEqual(kinds);
  });

  it('carries the new appointment day of an overdue dossier', () => {
    const event = sampleEvent('DossierOverdue', {
      code: CODE,
      payload: { previousAppointmentDay: '2026-12-04', newAppointmentDay: '2026-12-11' },
    });
    expect(planMessages(event, dossierWith(), BASE)[0]).toMatchObject({ newAppointmentDay: '2026-12-11' });
  });
});

// ---- the consumer's logic, with fakes of our own ports

function memoryNotifier() {
  const sent: (({ channel: 'email' } & OutgoingEmail) | ({ channel: 'sms' } & OutgoingSms))[] = [];
  const failing = new Set<string>();
  let next = 0;
  const notifier: Notifier = {
    async sendEmail(message) {
      if (failing.has(message.to)) throw new Error('provider unavailable');
      sent.push({ channel: 'email', ...message });
      return { messageId: `m-${++next}` };
    },
    async sendSms(message) {
      if (failing.has(message.to)) throw new Error('provider unavailable');
      sent.push({ channel: 'sms', ...message });
      return { messageId: `m-${++next}` };
    },
  };
  return { notifier, sent, failing };
}

function depsFor(dossier: Dossier | undefined) {
  const marks = memoryMarks();
  const provider = memoryNotifier();
  const deps: NotifyDeps = {
    dossiers: {
      getMany: async (codes) =>
        new Map(dossier && codes.includes(dossier.code) ? [[dossier.code, structuredClone(dossier)]] : []),
    },
    notifier: provider.notifier,
    marks,
    publicBaseUrl: BASE,
    clock: () => new Date('2026-11-27T03:00:00.000Z'),
  };
  return { deps, marks, ...provider };
}

describe('notifyApplicant', () => {
  const received = () =>
    sampleEvent('DossierReceived', { code: CODE, payload: { appointmentDay: '2026-12-04' } });

  it('sends each message once on each channel, tagged with its origin, and marks each, in one write', async () => {
    const { deps, sent, marks } = depsFor(dossierWith());
    const event = received();
    const deliveries = await notifyApplicant(event, deps);
    expect(deliveries.map((d) => [d.kind, d.channel, d.outcome])).toEqual([
      ['received', 'email', 'sent'],
      ['received', 'sms', 'sent'],
    ]);
    expect(sent.map((m) => [m.channel, m.to])).toEqual([
      ['email', 'citizen.an@example.com'],
      ['sms', '0912345678'],
    ]);
    expect(sent[0]).toMatchObject({
      subject: `Hồ sơ ${CODE} đã được tiếp nhận`,
      tags: {
        event: 'DossierReceived',
        eventId: event.id,
        dossierCode: CODE,
        kind: 'received',
        language: 'vi',
      },
    });
    expect(marks.marks.map((m) => [m.consumer, m.eventId])).toEqual([
      [NOTIFICATIONS_CONSUMER, deliveryMark(event.id, 'received', 'email')],
      [NOTIFICATIONS_CONSUMER, deliveryMark(event.id, 'received', 'sms')],
    ]);
    expect(marks.writes()).toBe(1);
  });

  it('sends nothing again when the same event is delivered again', async () => {
    const { deps, sent } = depsFor(dossierWith());
    const event = received();
    await notifyApplicant(event, deps);
    const again = await notifyApplicant(event, deps);
    expect(again.map((d) => d.outcome)).toEqual(['already-sent', 'already-sent']);
    expect(sent).toHaveLength(2);
  });

  it('still sends the other channel when one fails, throws, and on redelivery sends only the failed one', async () => {
    const { deps, sent, failing, marks } = depsFor(dossierWith());
    const event = received();
    failing.add('citizen.an@example.com');
    const failure = await notifyApplicant(event, deps).catch((error: unknown) => error);
    // The channel that went through is marked before the failure is reported.
    expect(marks.keys()).toEqual([`${NOTIFICATIONS_CONSUMER}#${deliveryMark(event.id, 'received', 'sms')}`]);
    expect(failure).toBeInstanceOf(NotificationFailedError);
    expect((failure as NotificationFailedError).message).toBe('could not send received/email');
    expect((failure as NotificationFailedError).message).not.toContain('citizen.an');
    expect(sent.map((m) => m.channel)).toEqual(['sms']);

    failing.clear();
    const retried = await notifyApplicant(event, deps);
    expect(retried.map((d) => [d.channel, d.outcome])).toEqual([
      ['email', 'sent'],
      ['sms', 'already-sent'],
    ]);
    expect(sent.map((m) => m.channel)).toEqual(['sms', 'email']);
  });

  it('records a dossier without contact as skipped, sends nothing and does not fail', async () => {
    const { deps, sent, marks } = depsFor(birthDossier(CODE));
    const deliveries = await notifyApplicant(received(), deps);
    expect(deliveries).toEqual([
      { kind: 'received', channel: 'email', outcome: 'skipped', reason: 'no-contact' },
      { kind: 'received', channel: 'sms', outcome: 'skipped', reason: 'no-contact' },
    ]);
    expect(sent).toEqual([]);
    expect(marks.marks).toEqual([]);
  });

  it('writes in the language and on the channels the applicant chose', async () => {
    const dossier = dossierWith();
    dossier.applicant.notify = { channels: ['email'], language: 'en' };
    const { deps, sent } = depsFor(dossier);
    await notifyApplicant(received(), deps);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channel: 'email', subject: `Dossier ${CODE} received` });
  });

  it('sends a returned dossier its closing message and the rating request, each marked apart', async () => {
    const { deps, sent, marks } = depsFor(dossierWith({ status: 'RETURNED' }));
    await notifyApplicant(sampleEvent('DossierReturned', { code: CODE }), deps);
    expect(sent.map((m) => `${m.tags.kind}/${m.channel}`)).toEqual([
      'returned/email',
      'returned/sms',
      'rate/email',
      'rate/sms',
    ]);
    expect(new Set(marks.marks.map((m) => m.eventId)).size).toBe(4);
  });

  it('throws for an event whose dossier is missing, so the stream retries and dead-letters it', async () => {
    const { deps, sent } = depsFor(undefined);
    await expect(notifyApplicant(received(), deps)).rejects.toThrow(/is not found/);
    expect(sent).toEqual([]);
  });
});

describe('notifyApplicants, a stream batch at once', () => {
  function batchDeps() {
    const first = dossierWith();
    const second = { ...dossierWith(), code: `${CODE.slice(0, -1)}9` };
    const marks = memoryMarks();
    const provider = memoryNotifier();
    const reads: string[][] = [];
    const deps: NotifyDeps = {
      dossiers: {
        getMany: async (codes) => {
          reads.push([...codes]);
          return new Map(
            [first, second].filter((d) => codes.includes(d.code)).map((d) => [d.code, structuredClone(d)]),
          );
        },
      },
      notifier: provider.notifier,
      marks,
      publicBaseUrl: BASE,
      clock: () => new Date('2026-11-27T03:00:00.000Z'),
    };
    const events = [
      sampleEvent('DossierReceived', { code: first.code, payload: { appointmentDay: '2026-12-04' } }),
      sampleEvent('DossierReceived', { code: second.code, payload: { appointmentDay: '2026-12-04' } }),
      sampleEvent('DossierReturned', { code: first.code }),
    ];
    return { deps, marks, reads, events, ...provider };
  }

  it('reads the dossiers once, sends each message once, and writes all the marks together', async () => {
    const { deps, marks, reads, events, sent } = batchDeps();
    const results = await notifyApplicants(events, deps);
    expect(reads).toEqual([[events[0]!.dossierCode, events[1]!.dossierCode]]);
    expect(results.map((r) => [r.event.id, r.deliveries.map((d) => d.outcome)])).toEqual([
      [events[0]!.id, ['sent', 'sent']],
      [events[1]!.id, ['sent', 'sent']],
      [events[2]!.id, ['sent', 'sent', 'sent', 'sent']],
    ]);
    expect(sent).toHaveLength(8);
    expect(marks.writes()).toBe(1);
    expect(marks.marks).toHaveLength(8);
    const again = await notifyApplicants(events, deps);
    expect(again.flatMap((r) => r.deliveries.map((d) => d.outcome))).toEqual(Array(8).fill('already-sent'));
    expect(sent).toHaveLength(8);
  });

  it('sends the rest of the batch when a channel fails, marks it, throws, and on redelivery sends only that one', async () => {
    const { deps, marks, events, sent, failing } = batchDeps();
    failing.add('0912345678');
    const failure = await notifyApplicants(events.slice(0, 2), deps).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NotificationFailedError);
    expect(sent.map((m) => m.channel)).toEqual(['email', 'email']);
    expect(marks.marks).toHaveLength(2);
    failing.clear();
    await notifyApplicants(events.slice(0, 2), deps);
    expect(sent.map((m) => m.channel)).toEqual(['email', 'email', 'sms', 'sms']);
  });

  it('sends the others when one event has no dossier, then throws naming it', async () => {
    const { deps, events, sent } = batchDeps();
    const orphan = sampleEvent('DossierReceived', {
      code: 'missing-code',
      payload: { appointmentDay: '2026-12-04' },
    });
    await expect(notifyApplicants([orphan, events[1]!], deps)).rejects.toThrow(
      /missing-code .* is not found/,
    );
    expect(sent).toHaveLength(2);
  });
});

describe('readNotificationConfig', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetConfigForTests();
  });
  const set = (env: Record<string, string | undefined>) => {
    Object.assign(process.env, {
      STAGE: 'local',
      PUBLIC_BASE_URL: 'http://localhost:3000',
      NOTIFY_EMAIL_FROM: 'thongbao@motcua.example.vn',
      NOTIFY_SMS_SENDER_ID: 'HCCHANOI',
      ...env,
    });
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete process.env[name];
  };

  it('reads the senders and the public URL', () => {
    set({});
    expect(readNotificationConfig()).toEqual({
      emailFrom: 'thongbao@motcua.example.vn',
      smsSenderId: 'HCCHANOI',
      publicBaseUrl: 'http://localhost:3000',
    });
  });

  it('stops naming a missing variable', () => {
    set({ NOTIFY_EMAIL_FROM: undefined });
    expect(() => readNotificationConfig()).toThrow('Missing environment variable NOTIFY_EMAIL_FROM');
    set({ NOTIFY_SMS_SENDER_ID: undefined });
    expect(() => readNotificationConfig()).toThrow('Missing environment variable NOTIFY_SMS_SENDER_ID');
  });

  it('refuses a sender id SMS cannot carry', () => {
    set({ NOTIFY_SMS_SENDER_ID: 'HCC HA NOI 2026' });
    expect(() => readNotificationConfig()).toThrow(/NOTIFY_SMS_SENDER_ID must be/);
  });
});
