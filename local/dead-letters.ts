// The local dead-letter queue: records a consumer could not take after its retries, one JSON line each in
// `<dataDir>/dead-letters/<consumer>.jsonl` (the cloud sends the batch's coordinates to an SQS queue instead).
import { appendFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';

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

export const deadLetterDir = (dataDir: string) => join(dataDir, 'dead-letters');

export function fileDeadLetters(dir: string): DeadLetterSink {
  return {
    async put(letter) {
      await mkdir(dir, { recursive: true });
      await appendFile(join(dir, `${letter.consumer}.jsonl`), `${JSON.stringify(letter)}\n`);
    },
  };
}

/** Every consumer's dead letters, oldest first; an absent folder is an empty queue. */
export async function readDeadLetters(dir: string): Promise<Map<string, DeadLetter[]>> {
  const byConsumer = new Map<string, DeadLetter[]>();
  const files = await readdir(dir).catch(() => [] as string[]);
  for (const file of files.filter((f) => f.endsWith('.jsonl')).sort()) {
    const lines = (await readFile(join(dir, file), 'utf8')).split('\n').filter(Boolean);
    byConsumer.set(
      file.slice(0, -'.jsonl'.length),
      lines.map((line) => JSON.parse(line) as DeadLetter),
    );
  }
  return byConsumer;
}
