// Dossier codes stay unique and consecutive when filings come from several OS processes at once, as they do from
// many Lambda instances: the counter is allocated by one atomic update, not by a lock any one process holds.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts, demoBirth } from '../../local/demo';
import { startTestStack, type TestStack } from './support/stack';
import { uploadFile } from './support/uploads';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ consumers: false });
});
afterAll(() => stack?.stop());

const PROCESSES = 4;
const PER_PROCESS = 50;
const child = fileURLToPath(new URL('./support/file-in-process.ts', import.meta.url));

interface ChildResult {
  pid: number;
  codes: string[];
  failures: string[];
  calls: Record<string, number>;
}

function run(job: unknown): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, MOTCUA_FILE_JOB: JSON.stringify(job) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`filing process exited ${code}: ${out}`));
      resolve(JSON.parse(line) as ChildResult);
    });
  });
}

describe('dossier codes across processes', () => {
  it(`gives ${PROCESSES} processes × ${PER_PROCESS} concurrent filings at one unit and day consecutive codes`, async () => {
    const an = demoAccounts.find((a) => a.username === 'citizen.an')!;
    const documents = await Promise.all(
      ['to-khai-dang-ky-khai-sinh', 'giay-chung-sinh'].map(async (requirementId) => ({
        requirementId,
        uploadId: await uploadFile(stack, 'citizen.an', {
          procedureCode: demoBirth.procedureCode,
          requirementId,
        }),
      })),
    );
    const unit = '000.06.01.H26';
    const job = {
      count: PER_PROCESS,
      caller: { kind: 'citizen', sub: an.sub, name: an.name, citizenId: an.cccd },
      request: {
        procedureCode: demoBirth.procedureCode,
        unit,
        applicant: demoBirth.applicant,
        answers: demoBirth.answers,
        documents,
      },
      // Room for every process to load its modules first, on a busy machine too.
      startAt: Date.now() + 8_000,
    };
    const results = await Promise.all(Array.from({ length: PROCESSES }, () => run(job)));

    expect(new Set(results.map((r) => r.pid)).size).toBe(PROCESSES);
    expect(results.flatMap((r) => r.failures)).toEqual([]);
    const codes = results.flatMap((r) => r.codes);
    expect(new Set(codes).size).toBe(PROCESSES * PER_PROCESS);
    const prefixes = new Set(codes.map((c) => c.split('-').slice(0, 2).join('-')));
    expect(prefixes.size).toBe(1);
    const sequences = codes.map((c) => Number(c.split('-').at(-1))).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: PROCESSES * PER_PROCESS }, (_, i) => i + 1));
    // The allocation costs one UpdateItem per filing whatever the contention, and the filing one transaction.
    const total = (command: string) => results.reduce((sum, r) => sum + (r.calls[command] ?? 0), 0);
    // (Measured: 2 GetItem, 1 BatchGetItem for the uploads, 1 UpdateItem, 1 TransactWriteItems per filing.)
    expect(total('UpdateItemCommand')).toBe(PROCESSES * PER_PROCESS);
    expect(total('TransactWriteItemsCommand')).toBe(PROCESSES * PER_PROCESS);
    const all = results.reduce((sum, r) => sum + Object.values(r.calls).reduce((a, b) => a + b, 0), 0);
    expect(all / (PROCESSES * PER_PROCESS)).toBeLessThanOrEqual(5);
  });
});
