// The local dead-letter queues: records a consumer could not take after its retries, one JSON line each in
// `<dataDir>/dead-letters/<consumer>.jsonl` (the cloud sends the batch's coordinates to an SQS queue instead), and the
// agency webhooks given up on in `<dataDir>/dead-letters/agency-webhooks.jsonl` (the cloud's queue
// `motcua-<env>-agency-webhooks-dead-letters`). `npm run dlq` lists both.
import { appendFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';
import type { UndeliveredNotice, UndeliveredNotices } from '../shared/ports/undelivered-notices';

/** The file of the agency webhooks' letters (no stream consumer has this id). */
export const AGENCY_WEBHOOK_DEAD_LETTERS = 'agency-webhooks';

/** A stream consumer's letter (`<consumer>.jsonl`). */
export interface DeadLetter {
  consumer: string;
  at: string;
  streamArn: string;
  shardId: string;
  sequenceNumber: string;
  /** Failed invocations of this record before it was set aside. */
  attempts: number;
  /** `reported`: the handler named it in its batch item failures; `threw`: the invocation itself failed. */
  reason: 'reported' | 'threw';
  error?: string;
  /** The event's coordinates when the image carries them, so a listing needs no parsing. */
  event?: { id?: string; name?: string; dossierCode?: string };
  /** The stream record exactly as the handler received it: what a redrive would send again. */
  record: DynamoDBRecord;
}

export interface DeadLetterSink {
  put(letter: DeadLetter): Promise<void>;
}

/** An agency webhook given up on, as the local queue keeps it: the port's letter, marked. */
export interface WebhookDeadLetter extends UndeliveredNotice {
  kind: 'agency-webhook';
}

export const deadLetterDir = (dataDir: string) => join(dataDir, 'dead-letters');

async function append(dir: string, queue: string, letter: DeadLetter | WebhookDeadLetter) {
  await mkdir(dir, { recursive: true });
  await appendFile(join(dir, `${queue}.jsonl`), `${JSON.stringify(letter)}\n`);
}

async function readLines<T>(file: string): Promise<T[]> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

export function fileDeadLetters(dir: string): DeadLetterSink {
  return { put: (letter) => append(dir, letter.consumer, letter) };
}

/** The embedded stack's UndeliveredNotices: one line per letter in `<dir>/agency-webhooks.jsonl`. */
export function fileUndeliveredNotices(dir: string): UndeliveredNotices {
  return {
    keep: (letter) => append(dir, AGENCY_WEBHOOK_DEAD_LETTERS, { kind: 'agency-webhook', ...letter }),
  };
}

/** Every consumer's dead letters, oldest first; an absent folder is an empty queue. */
export async function readDeadLetters(dir: string): Promise<Map<string, DeadLetter[]>> {
  const byConsumer = new Map<string, DeadLetter[]>();
  const files = await readdir(dir).catch(() => [] as string[]);
  for (const file of files.filter((f) => f.endsWith('.jsonl')).sort()) {
    const consumer = file.slice(0, -'.jsonl'.length);
    if (consumer === AGENCY_WEBHOOK_DEAD_LETTERS) continue;
    byConsumer.set(consumer, await readLines<DeadLetter>(join(dir, file)));
  }
  return byConsumer;
}

/** The agency webhooks given up on, oldest first; none when the file is absent. */
export async function readUndeliveredNotices(dir: string): Promise<WebhookDeadLetter[]> {
  return readLines<WebhookDeadLetter>(join(dir, `${AGENCY_WEBHOOK_DEAD_LETTERS}.jsonl`));
}
