// Agency webhooks given up on are dead-lettered, not only counted: the reporting sender keeps one letter per failed
// notice (the webhook message as sent, why, the attempts; never the endpoint's secrets), none for a delivered one or an
// agency without an endpoint, and never fails its caller when the letter cannot be kept. The embedded stack's folder
// is what `npm run dlq` lists; the cloud's queue gets one SendMessage per letter.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AGENCY_WEBHOOK_DEAD_LETTERS,
  deadLetterDir,
  fileDeadLetters,
  readDeadLetters,
  readUndeliveredNotices,
} from '../../local/dead-letters';
import {
  noticeId,
  reportingSender,
  type SendNotice,
  undeliveredLetter,
  undeliveredNotices,
  webhookMessage,
} from '../../shared/adapters/agency-webhooks';
import {
  AGENCY_WEBHOOK_DEAD_LETTERS_URL,
  agencyWebhookDeadLettersQueueName,
  type SendQueueMessage,
  sqsUndeliveredNotices,
} from '../../shared/adapters/sqs-undelivered-notices';
import { webhookNotifier } from '../../shared/adapters/webhook-notifier';
import type { AgencyNotice } from '../../shared/ports/agency-notices';
import type { NotificationOutcome } from '../../shared/ports/agency-notifier';
import { generateSecret } from '../../shared/webhooks/standard-webhooks';
import { memoryUndeliveredNotices, recordingReport } from './fakes/memory-undelivered';

const POLICE = '000.33.08.H26';
const notice: AgencyNotice = {
  type: 'task.assigned',
  agency: POLICE,
  taskId: '000.00.01.H26-261127-0012~s0-0~r1',
  dossierCode: '000.00.01.H26-261127-0012',
  procedure: { code: '1.001193', name: 'Đăng ký khai sinh' },
  stepId: 's0-0',
  task: 'Xác minh cư trú',
  dueAt: '2026-11-30T10:00:00.000Z',
  at: '2026-11-27T03:00:00.000Z',
};
const setAsideAt = new Date('2026-11-27T03:00:20.000Z');
const clock = () => setAsideAt;

/** The real sender over a fake network: the endpoint answers `status` to every attempt. */
function webhookSender(status: number, secrets = [generateSecret()]) {
  const bodies: { id: string | null; body: string }[] = [];
  const fetch = (async (_input: string | URL | Request, init?: RequestInit) => {
    bodies.push({ id: new Headers(init?.headers).get('webhook-id'), body: String(init?.body) });
    return new Response(null, { status });
  }) as typeof globalThis.fetch;
  const notifier = webhookNotifier(
    {
      endpointOf: async (agency) =>
        agency === POLICE ? { url: 'https://police.example.vn/hooks', secrets } : undefined,
    },
    { fetch, attempts: 3, sleep: async () => undefined, clock: () => new Date('2026-11-27T03:00:05Z') },
  );
  const send: SendNotice = (n) => notifier.notify(n.agency, webhookMessage(n));
  return { send, bodies, secrets };
}

const outcomeOf =
  (outcome: Partial<NotificationOutcome>): SendNotice =>
  async (n) => ({
    status: 'failed',
    messageId: noticeId(n),
    attempts: [],
    permanent: false,
    ...outcome,
  });

describe('reportingSender', () => {
  it('keeps one letter of a failed delivery: the message as sent, the attempts, and no secret', async () => {
    const { send, bodies, secrets } = webhookSender(503);
    const undelivered = memoryUndeliveredNotices();
    const report = recordingReport();
    const outcome = await reportingSender(send, {
      source: 'routing-assign',
      undelivered,
      keep: 'every-failure',
      clock,
      ...report,
    })(notice);
    expect(outcome).toMatchObject({ status: 'failed', permanent: false });
    expect(bodies).toHaveLength(3);
    expect(undelivered.letters).toEqual([
      {
        message: { id: noticeId(notice), type: 'dossier.step.assigned', timestamp: notice.at, data: notice },
        agency: POLICE,
        source: 'routing-assign',
        reason: 'failed',
        permanent: false,
        attempts: 3,
        deliveries: outcome.attempts,
        at: setAsideAt.toISOString(),
      },
    ]);
    // What was sent is what was kept: the same webhook id (a resend is dropped as a duplicate), the same body.
    const [letter] = undelivered.letters;
    expect(bodies[0]?.id).toBe(letter?.message.id);
    const { id: _id, ...payload } = letter!.message;
    expect(JSON.parse(bodies[0]!.body)).toEqual(payload);
    const kept = JSON.stringify(undelivered.letters);
    for (const secret of secrets) expect(kept).not.toContain(secret);
    expect(kept).not.toContain('whsec_');
    expect(kept).not.toContain('police.example.vn');
    expect(report.counted).toEqual(['NotificationsFailed']);
    expect(report.lines.map((l) => `${l.level} ${l.message}`)).toEqual([
      'error agency not notified',
      'info undelivered notice kept',
    ]);
  });

  it('keeps none of a delivered notice, nor of an agency without an endpoint (it pulls its queue)', async () => {
    const undelivered = memoryUndeliveredNotices();
    const report = recordingReport();
    const reporting = {
      source: 'routing-assign',
      undelivered,
      keep: 'every-failure' as const,
      clock,
      ...report,
    };
    expect((await reportingSender(webhookSender(204).send, reporting)(notice)).status).toBe('delivered');
    const stranger = { ...notice, agency: '000.00.09.H26' };
    expect((await reportingSender(webhookSender(204).send, reporting)(stranger)).refused).toBe('no-endpoint');
    expect(undelivered.letters).toEqual([]);
    expect(report.counted).toEqual([]);
    expect(report.lines.map((l) => l.message)).toEqual(['agency has no webhook endpoint']);
  });

  it('keeps a refusal for good: an endpoint that refuses the message, a registration that cannot be used', async () => {
    const undelivered = memoryUndeliveredNotices();
    const reporting = {
      source: 'routing-assign',
      undelivered,
      keep: 'every-failure' as const,
      clock,
      ...recordingReport(),
    };
    await reportingSender(webhookSender(410).send, reporting)(notice);
    await reportingSender(outcomeOf({ permanent: true, refused: 'invalid-secret' }), reporting)(notice);
    expect(
      undelivered.letters.map(({ reason, refused, permanent, attempts }) => ({
        reason,
        refused,
        permanent,
        attempts,
      })),
    ).toEqual([
      { reason: 'refused', refused: undefined, permanent: true, attempts: 1 },
      { reason: 'refused', refused: 'invalid-secret', permanent: true, attempts: 0 },
    ]);
  });

  it('logs and counts a letter it could not keep, and answers the outcome all the same', async () => {
    const report = recordingReport();
    const outcome = await reportingSender(webhookSender(503).send, {
      source: 'routing-assign',
      undelivered: memoryUndeliveredNotices({ failing: true }),
      keep: 'every-failure',
      ...report,
    })(notice);
    expect(outcome.status).toBe('failed');
    expect(report.counted).toEqual(['NotificationsFailed', 'UndeliveredNoticesLost']);
    expect(report.lines.at(-1)).toMatchObject({ level: 'error', message: 'undelivered notice not kept' });
  });

  it('keeps only refusals for good when told so, and only counts where no queue is configured', async () => {
    const undelivered = memoryUndeliveredNotices();
    const report = recordingReport();
    const permanentOnly = {
      source: 'routing-forwarded',
      undelivered,
      keep: 'permanent-failures' as const,
      ...report,
    };
    await reportingSender(outcomeOf({ permanent: false }), permanentOnly)(notice);
    expect(undelivered.letters).toEqual([]);
    await reportingSender(outcomeOf({ permanent: true, refused: 'insecure-scheme' }), permanentOnly)(notice);
    expect(undelivered.letters.map((l) => l.refused)).toEqual(['insecure-scheme']);
    await reportingSender(outcomeOf({}), { ...permanentOnly, keep: 'every-failure', undelivered: undefined })(
      notice,
    );
    expect(report.counted).toEqual(['NotificationsFailed', 'NotificationsFailed', 'NotificationsFailed']);
  });
});

describe('the embedded stack’s dead-letter folder', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'motcua-undelivered-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const letter = undeliveredLetter(
    notice,
    {
      status: 'failed',
      messageId: noticeId(notice),
      attempts: [{ at: notice.at, error: 'HTTP 503', status: 503, durationMs: 12 }],
      permanent: false,
    },
    'routing-assign',
    setAsideAt,
  );

  it('writes the letters beside the consumers’ ones, in what npm run dlq reads and lists', async () => {
    const dir = deadLetterDir(dataDir);
    const keeper = await undeliveredNotices({ STAGE: 'dev', AGENCY_WEBHOOK_DEAD_LETTERS_DIR: dir });
    await keeper?.keep(letter);
    await fileDeadLetters(dir).put({
      consumer: 'notifications',
      at: setAsideAt.toISOString(),
      streamArn: 'arn:aws:dynamodb:ap-southeast-1:1:table/t/stream/1',
      shardId: 'shard-1',
      sequenceNumber: '42',
      attempts: 4,
      reason: 'reported',
      event: { id: 'e-1', name: 'DossierReceived', dossierCode: notice.dossierCode },
      record: {},
    });
    expect(
      readFileSync(join(dir, `${AGENCY_WEBHOOK_DEAD_LETTERS}.jsonl`), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(1);
    expect(await readUndeliveredNotices(dir)).toEqual([{ kind: 'agency-webhook', ...letter }]);
    // The consumers' reader still reads consumers' letters only.
    expect([...(await readDeadLetters(dir)).keys()]).toEqual(['notifications']);

    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/dlq.ts'], {
      env: { ...process.env, MOTCUA_DATA_DIR: dataDir },
    });
    expect(stdout).toMatch(/notifications: 1 dead-lettered/);
    expect(stdout).toMatch(/agency-webhooks: 1 undelivered/);
    expect(stdout).toContain(`agency ${POLICE}`);
    expect(stdout).toContain(`webhook ${noticeId(notice)}`);
    expect(stdout).toContain('after 1 attempts (failed: HTTP 503)');
    expect(stdout).toMatch(/2 in /);
  });

  it('reads no letters from a folder that has none', async () => {
    expect(await readUndeliveredNotices(deadLetterDir(dataDir))).toEqual([]);
  });

  it('is picked on the embedded stack, the queue where its URL is set, nothing otherwise', async () => {
    const local = await undeliveredNotices({ STAGE: 'local', MOTCUA_DATA_DIR: dataDir });
    await local?.keep(letter);
    expect(await readUndeliveredNotices(deadLetterDir(dataDir))).toHaveLength(1);
    expect(
      await undeliveredNotices({ STAGE: 'prod', [AGENCY_WEBHOOK_DEAD_LETTERS_URL]: 'https://sqs.example/q' }),
    ).toBeDefined();
    expect(await undeliveredNotices({ STAGE: 'prod' })).toBeUndefined();
  });
});

describe('sqsUndeliveredNotices', () => {
  const url = `https://sqs.ap-southeast-1.amazonaws.com/111111111111/${agencyWebhookDeadLettersQueueName('prod')}`;
  const letter = undeliveredLetter(
    notice,
    {
      status: 'failed',
      messageId: noticeId(notice),
      attempts: [],
      permanent: true,
      refused: 'invalid-secret',
    },
    'routing-forwarded',
    setAsideAt,
  );

  it('sends the letter as the body, with the agency, the type, the webhook id and the source as attributes', async () => {
    const sent: Parameters<SendQueueMessage>[0][] = [];
    await sqsUndeliveredNotices(url, async (input) => {
      sent.push(input);
      return { MessageId: 'm-1' };
    }).keep(letter);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.QueueUrl).toBe(url);
    expect(JSON.parse(sent[0]!.MessageBody!)).toEqual(letter);
    expect(sent[0]?.MessageAttributes).toEqual({
      agency: { DataType: 'String', StringValue: POLICE },
      type: { DataType: 'String', StringValue: 'dossier.step.assigned' },
      webhookId: { DataType: 'String', StringValue: noticeId(notice) },
      source: { DataType: 'String', StringValue: 'routing-forwarded' },
    });
  });

  it('rejects when SQS answers without a message id (the caller counts the letter as lost)', async () => {
    await expect(sqsUndeliveredNotices(url, async () => ({})).keep(letter)).rejects.toThrow(/MessageId/);
  });
});
