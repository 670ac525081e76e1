// The workflow service's append-only journal: one JSON record a line, fsync'ed before the call that wrote it is
// answered, so an acknowledged StartExecution or SendTask* survives `kill -9`.
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export type JournalRecord =
  | {
      t: 'sm';
      arn: string;
      name: string;
      roleArn: string;
      definition: string;
      hash: string;
      at: number;
      created: number;
    }
  | { t: 'start'; arn: string; sm: string; name: string; input: string; hash: string; at: number }
  | {
      t: 'sched';
      ex: string;
      key: string;
      token: string;
      at: number;
      timeoutAt: number;
      heartbeatSeconds?: number;
      timeoutSeconds: number;
      params: string;
    }
  | { t: 'invoked'; ex: string; key: string; at: number }
  | { t: 'wait'; ex: string; key: string; at: number; until: number }
  | { t: 'hb'; ex: string; key: string; at: number }
  | {
      t: 'result';
      ex: string;
      key: string;
      at: number;
      ok: boolean;
      output?: string;
      error?: string;
      cause?: string;
      timeout?: boolean;
    }
  | {
      t: 'end';
      ex: string;
      at: number;
      status: string;
      output?: string;
      error?: string;
      cause?: string;
      history: unknown[];
    };

export class Journal {
  private fd: number | undefined;

  constructor(readonly path: string) {}

  /** Reads the records written so far and opens the file for appending; a torn last line is cut off. */
  open(): JournalRecord[] {
    mkdirSync(dirname(this.path), { recursive: true });
    const records: JournalRecord[] = [];
    if (existsSync(this.path)) {
      const text = readFileSync(this.path, 'utf8');
      // A line without its newline was being written when the process died: it was never acknowledged.
      const complete = text.lastIndexOf('\n') + 1;
      if (complete < text.length) truncateSync(this.path, Buffer.byteLength(text.slice(0, complete)));
      for (const line of text.slice(0, complete).split('\n')) {
        if (line.trim() === '') continue;
        records.push(JSON.parse(line) as JournalRecord);
      }
    }
    this.fd = openSync(this.path, 'a');
    const dir = openSync(dirname(this.path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    return records;
  }

  append(record: JournalRecord): void {
    if (this.fd === undefined) throw new Error('journal is not open');
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
