// Notifications on the embedded stack, end to end: a dossier filed online with an email and a phone and received by
// the officer makes the notifications consumer (fed by DynamoDB Local's stream, run in the function pool) send its
// 'received' message through the real SES v2 and SNS clients to the local outbox, once per channel; the outbox page,
// in headless Chromium, shows the recipients masked; the same event delivered again sends nothing; and a recipient
// the outbox refuses is retried, then dead-lettered, while the other channel is sent once. Routing is off.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterDir, readDeadLetters } from '../../local/dead-letters';
import { demoBirth } from '../../local/demo';
import type { OutboxMessage } from '../../local/outbox';
import { dynamoDocumentClient } from '../../shared/adapters/aws';
import { consumedMarkKey } from '../../shared/adapters/dynamo/consumed-events';
import type { StreamHandler } from '../../shared/events/handler';
import { deliveryMark, NOTIFICATIONS_CONSUMER } from '../../shared/notifications/notify-applicant';
import { eventually } from '../fixtures/workflow/client';
import { streamRecord } from '../unit/support/stream';
import { type Browser, launchChromium } from './support/chromium';
import { startTestStack, type TestStack } from './support/stack';
import { uploadFile } from './support/uploads';

const EMAIL = 'citizen.an@example.com';
const FAILING_EMAIL = 'refused.an@example.com';
const PHONE = demoBirth.applicant.phone;
const TIMEOUT_MS = 120_000;

let stack: TestStack;
let browser: Browser | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'motcua-notifications-'));

beforeAll(async () => {
  stack = await startTestStack({ routing: false, dataDir });
  browser = await launchChromium(join(dataDir, 'profile'));
}, TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, TIMEOUT_MS);

const post = (path: string, as: string, body?: unknown) =>
  stack.call(path, {
    method: 'POST',
    as,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

/** Files the birth registration online as citizen.an with this contact, and has the Ba Đình officer receive it. */
async function receivedDossier(contact: Record<string, unknown>): Promise<string> {
  const documents = await Promise.all(
    ['to-khai-dang-ky-khai-sinh', 'giay-chung-sinh'].map(async (requirementId) => ({
      requirementId,
      uploadId: await uploadFile(stack, 'citizen.an', {
        procedureCode: demoBirth.procedureCode,
        requirementId,
      }),
    })),
  );
  const filed = await post('/v1/dossiers', 'citizen.an', {
    procedureCode: demoBirth.procedureCode,
    unit: demoBirth.unit,
    applicant: { ...demoBirth.applicant, ...contact },
    answers: demoBirth.answers,
    documents,
  });
  expect(filed.status, await filed.clone().text()).toBe(201);
  const { code } = (await filed.json()) as { code: string };
  const received = await post(`/v1/dossiers/${code}/receive`, 'officer.badinh');
  expect(received.status, await received.clone().text()).toBe(200);
  return code;
}

const messagesOf = (code: string, kind = 'received') =>
  stack.outbox.messages().filter((m) => m.dossierCode === code && m.kind === kind);

async function receivedEvent(code: string): Promise<Record<string, unknown>> {
  const { Items } = await dynamoDocumentClient().send(
    new QueryCommand({
      TableName: process.env.TABLE_DOSSIERS,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
      ExpressionAttributeValues: { ':pk': `DOSSIER#${code}`, ':events': 'EVENT#' },
    }),
  );
  const item = Items?.find((i) => (i.event as { name: string }).name === 'DossierReceived');
  if (!item) throw new Error(`no DossierReceived event for ${code}`);
  return item;
}

describe('notifications on the embedded stack', () => {
  let code: string;
  let sent: OutboxMessage[];

  it("sends the 'received' message by email and by SMS, once each, through SES v2 and SNS", async () => {
    code = await receivedDossier({ email: EMAIL });
    sent = await eventually(async () => {
      const found = messagesOf(code);
      return found.length >= 2 ? found : undefined;
    }, "the 'received' email and SMS");
    expect(sent.map((m) => m.channel).sort()).toEqual(['email', 'sms']);
    const view = (await (await stack.call(`/v1/dossiers/${code}`, { as: 'citizen.an' })).json()) as {
      deadline: { appointmentDay: string };
    };
    const [year, month, day] = view.deadline.appointmentDay.split('-');
    const email = sent.find((m) => m.channel === 'email')!;
    const sms = sent.find((m) => m.channel === 'sms')!;
    expect(email).toMatchObject({
      to: EMAIL,
      from: 'thongbao@motcua.local.test',
      subject: `Hồ sơ ${code} đã được tiếp nhận`,
      event: 'DossierReceived',
      language: 'vi',
    });
    expect(email.text).toContain(`Ngày hẹn trả kết quả: ${day}/${month}/${year}`);
    expect(email.text).toContain(`http://motcua.test/v1/tracking/${encodeURIComponent(code)}?key=`);
    expect(sms).toMatchObject({ to: '+84912345678', from: 'HCCHANOI', event: 'DossierReceived' });
    expect(sms.text).toMatch(/^[\x20-\x7e]+$/);
    expect(sms.text).toContain(`Ho so ${code} da duoc tiep nhan`);
    expect(sms.eventId).toBe(email.eventId);
  });

  it('shows on the outbox page, in Chromium, what was sent with the recipients masked', async () => {
    const page = await browser!.read<{
      title: string;
      rows: { channel: string; kind: string; to: string; lang: string; subject: string | null }[];
      body: string;
    }>(
      `${stack.urls.outbox}/outbox`,
      `({
        title: document.title,
        rows: [...document.querySelectorAll('tr[data-seq]')]
          .filter((tr) => tr.querySelector('td.code')?.textContent === ${JSON.stringify(code)})
          .map((tr) => ({
            channel: tr.dataset.channel,
            kind: tr.dataset.kind,
            to: tr.querySelector('td.to').textContent,
            lang: tr.querySelector('td.lang').textContent,
            subject: tr.querySelector('.subject')?.textContent ?? null,
          })),
        body: document.body.innerText,
      })`,
    );
    expect(page.title).toBe('Hộp thư đi · Outbox');
    expect(page.rows.sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([
      {
        channel: 'email',
        kind: 'received',
        to: 'c***@example.com',
        lang: 'vi',
        subject: `Hồ sơ ${code} đã được tiếp nhận`,
      },
      { channel: 'sms', kind: 'received', to: '09*****678', lang: 'vi', subject: null },
    ]);
    expect(page.body).toContain('DossierReceived');
    expect(page.body).not.toContain(EMAIL);
    expect(page.body).not.toContain(PHONE.slice(1));
    const json = await (await fetch(`${stack.urls.outbox}/outbox.json`)).text();
    expect(json).toContain('c***@example.com');
    expect(json).not.toContain(EMAIL);
    expect(json).not.toContain(PHONE.slice(1));
  });

  it('sends nothing again when the same event is delivered again, and only an unmarked channel after a lost mark', async () => {
    const { handler } = (await import('../../functions/notifications/on-dossier-event')) as {
      handler: StreamHandler;
    };
    const record = streamRecord(await receivedEvent(code), 1);
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] });
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] });
    expect(
      messagesOf(code)
        .map((m) => m.id)
        .sort(),
    ).toEqual(sent.map((m) => m.id).sort());

    // As if the email's mark had never been written (a crash between the send and its mark): the next delivery
    // sends that channel alone, and marks it again.
    const key = consumedMarkKey(NOTIFICATIONS_CONSUMER, deliveryMark(sent[0]!.eventId!, 'received', 'email'));
    const table = process.env.TABLE_DOSSIERS;
    await dynamoDocumentClient().send(new DeleteCommand({ TableName: table, Key: key }));
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] });
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] });
    const after = messagesOf(code);
    expect(after.filter((m) => m.channel === 'email')).toHaveLength(2);
    expect(after.filter((m) => m.channel === 'sms')).toHaveLength(1);
    const { Item } = await dynamoDocumentClient().send(new GetCommand({ TableName: table, Key: key }));
    expect(Item).toBeDefined();
  });

  it(
    'retries a channel the provider refuses, then dead-letters the event, having sent the other channel once',
    async () => {
      stack.outbox.failFor(FAILING_EMAIL);
      const failing = await receivedDossier({
        email: FAILING_EMAIL,
        notify: { channels: ['email', 'sms'], language: 'en' },
      });
      const letter = await eventually(async () => {
        const letters = (await readDeadLetters(deadLetterDir(dataDir))).get('notifications') ?? [];
        return letters.find((l) => l.event?.dossierCode === failing);
      }, 'the dead letter of the refused email');
      expect(letter).toMatchObject({
        consumer: 'notifications',
        reason: 'reported',
        // The first attempt and the consumer's retries (maxRetries 3).
        attempts: 4,
        event: { name: 'DossierReceived', dossierCode: failing },
      });
      expect(letter.error ?? '').not.toContain(FAILING_EMAIL);
      // Every attempt reached the provider: one refused request at least per invocation.
      const refused = stack.outbox.refused().filter((r) => r.to === FAILING_EMAIL);
      expect(refused.length).toBeGreaterThanOrEqual(4);
      // The SMS went out on the first attempt and was never sent again, in the language the applicant chose.
      const sms = messagesOf(failing);
      expect(sms.map((m) => [m.channel, m.language])).toEqual([['sms', 'en']]);
      expect(sms[0]!.text).toContain(`Dossier ${failing} received`);
      stack.outbox.recover(FAILING_EMAIL);
    },
    TIMEOUT_MS,
  );
});
