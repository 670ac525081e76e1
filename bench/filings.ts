// Filings per second on the embedded stack, over HTTP, with Lambda-like isolation (every function in its own
// instances, one request at a time), beside the same gateway's floor (one public GET /v1/procedures/{code}), and the
// DynamoDB calls a filing makes alone and under contention, counted on each instance's own client.

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoAccounts } from '../local/demo';
import { startStack } from '../local/stack';
import { rate } from './stats';

const BIRTH = '1.001193';
const answers = {
  childFullName: 'Nguyễn Minh Khang',
  childDateOfBirth: '2026-11-20',
  childSex: 'Nam',
  placeOfBirth: 'Hà Nội',
  relationship: 'Cha',
};
const applicant = { fullName: 'Nguyễn Văn An', citizenId: '001090012345' };

export interface RateRow {
  what: string;
  inFlight: number;
  count: number;
  perSecond: number;
}

export interface CallsRow {
  what: string;
  inFlight: number;
  invocations: number;
  perInvocation: number;
  which: Record<string, number>;
}

export interface ColdStartStats {
  function: string;
  coldStarts: number;
  invocations: number;
  maxConcurrent: number;
  initMsMedian: number;
}

export async function filingBench(options: { filings: number }) {
  process.env.LOG_LEVEL = 'silent';
  const s3Dir = mkdtempSync(join(tmpdir(), 'motcua-bench-'));
  const stack = await startStack({
    ports: { gateway: 0, dynamodb: 0, s3: 0 },
    s3Dir,
    throttle: { ratePerSecond: 1e9, burst: 1e9 },
    prefix: 'bench',
    pool: { countDynamoDbCalls: true, maxInstances: 16 },
    // Consumers run in this process (their modules keep this stack's tables); the event bench measures them.
    consumers: false,
  });
  const statsOf = (name: string) => stack.functionStats().find((f) => f.function === name);
  // The DynamoDB calls a function made while `work` ran, per invocation.
  async function callsDuring(name: string, what: string, inFlight: number, work: () => Promise<unknown>) {
    const before = statsOf(name);
    await work();
    const after = statsOf(name)!;
    const which: Record<string, number> = {};
    for (const [command, n] of Object.entries(after.dynamodbCalls)) {
      const delta = n - (before?.dynamodbCalls[command] ?? 0);
      if (delta) which[command] = delta;
    }
    const invocations = after.invocations - (before?.invocations ?? 0);
    const total = Object.values(which).reduce((a, b) => a + b, 0);
    return { what, inFlight, invocations, perInvocation: total / invocations, which } satisfies CallsRow;
  }
  const base = stack.urls.gateway;
  const token = await stack.issuer.mint(demoAccounts.find((a) => a.username === 'citizen.an')!);
  const auth = { authorization: `Bearer ${token}` };
  const json = { ...auth, 'content-type': 'application/json' };
  const ok = async (response: Response, what: string) => {
    if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
    return response;
  };

  async function upload(requirementId: string, i: number) {
    const bytes = Buffer.from(`%PDF-1.4\n% bench ${requirementId} ${i} ${Math.random()}\n%%EOF\n`);
    const ticket = await ok(
      await fetch(`${base}/v1/uploads`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          procedureCode: BIRTH,
          requirementId,
          fileName: `${requirementId}.pdf`,
          contentType: 'application/pdf',
          sizeBytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('base64'),
        }),
      }),
      'ticket',
    );
    const { uploadId, upload } = (await ticket.json()) as {
      uploadId: string;
      upload: { url: string; headers: Record<string, string> };
    };
    await ok(await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: bytes }), 'put');
    await ok(
      await fetch(`${base}/v1/uploads/${uploadId}/complete`, { method: 'POST', headers: auth }),
      'complete',
    );
    return uploadId;
  }

  async function file(documents: { requirementId: string; uploadId: string }[], unit: string) {
    const response = await ok(
      await fetch(`${base}/v1/dossiers`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ procedureCode: BIRTH, unit, applicant, answers, documents }),
      }),
      'file',
    );
    return (await response.json()) as { code: string; lookupKey: string };
  }

  const fullFiling = async (i: number, unit: string) => {
    const documents = [
      { requirementId: 'to-khai-dang-ky-khai-sinh', uploadId: await upload('to-khai-dang-ky-khai-sinh', i) },
      { requirementId: 'giay-chung-sinh', uploadId: await upload('giay-chung-sinh', i) },
    ];
    await file(documents, unit);
  };

  try {
    // Warm every handler once so the figures are about steady state, not first imports.
    const floorPath = `/v1/procedures/${BIRTH}`;
    await fullFiling(0, '000.03.01.H26');
    await ok(await fetch(`${base}${floorPath}`), 'procedure');

    const rows: RateRow[] = [];
    for (const inFlight of [1, 16]) {
      const count = inFlight === 1 ? Math.max(10, options.filings / 4) : options.filings;
      rows.push({
        what: `GET ${floorPath.replace(BIRTH, '{code}')} (floor)`,
        inFlight,
        count: count * 7,
        perSecond: await rate(
          count * 7,
          inFlight,
          async () => void (await ok(await fetch(`${base}${floorPath}`), 'procedure')).arrayBuffer(),
        ),
      });
      rows.push({
        what: 'filing: 2 uploads (ticket, PUT, verify) + POST /v1/dossiers',
        inFlight,
        count,
        perSecond: await rate(count, inFlight, (i) =>
          fullFiling(i, inFlight === 1 ? '000.04.01.H26' : '000.05.01.H26'),
        ),
      });
    }

    // DynamoDB calls of POST /v1/dossiers alone, then with 16 filings at once on one unit's daily counter.
    const documents = [
      {
        requirementId: 'to-khai-dang-ky-khai-sinh',
        uploadId: await upload('to-khai-dang-ky-khai-sinh', 9999),
      },
      { requirementId: 'giay-chung-sinh', uploadId: await upload('giay-chung-sinh', 9999) },
    ];
    const calls: CallsRow[] = [];
    calls.push(
      await callsDuring('fileDossier', 'POST /v1/dossiers', 1, async () => {
        for (let i = 0; i < 8; i += 1) await file(documents, '000.06.01.H26');
      }),
    );
    calls.push(
      await callsDuring('fileDossier', 'POST /v1/dossiers, one unit and day', 16, () =>
        Promise.all(Array.from({ length: 64 }, () => file(documents, '000.07.01.H26'))),
      ),
    );
    const filed = await file(documents, '000.06.01.H26');
    calls.push(
      await callsDuring('trackDossier', 'GET /v1/tracking/{code}', 1, async () => {
        await ok(await fetch(`${base}/v1/tracking/${filed.code}?key=${filed.lookupKey}`), 'track');
      }),
    );
    const coldStarts: ColdStartStats[] = stack.functionStats().map((f) => ({
      function: f.function,
      coldStarts: f.coldStarts,
      invocations: f.invocations,
      maxConcurrent: f.maxConcurrent,
      initMsMedian: [...f.initMs].sort((a, b) => a - b)[Math.floor(f.initMs.length / 2)] ?? 0,
    }));
    return { rows, calls, coldStarts };
  } finally {
    await stack.stop();
    rmSync(s3Dir, { recursive: true, force: true });
  }
}
