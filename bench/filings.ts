// Filings per second on the embedded stack, over HTTP, beside the same gateway's floor (GET /v1/health),
// and the DynamoDB calls one filing and one tracking lookup make, counted on the real client.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoAccounts } from '../local/demo';
import { startStack } from '../local/stack';
import { dynamoDocumentClient } from '../shared/adapters/aws';

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

/** Runs `count` operations with at most `inFlight` at once; returns operations per second. */
async function rate(count: number, inFlight: number, operation: (i: number) => Promise<void>) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await operation(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

export async function filingBench(options: { filings: number }) {
  process.env.LOG_LEVEL = 'silent';
  const s3Dir = mkdtempSync(join(tmpdir(), 'motcua-bench-'));
  const stack = await startStack({
    ports: { gateway: 0, dynamodb: 0, s3: 0 },
    s3Dir,
    throttle: { ratePerSecond: 1e9, burst: 1e9 },
    prefix: 'bench',
  });
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
    await fullFiling(0, '000.03.01.H26');
    await ok(await fetch(`${base}/v1/health`), 'health');

    const rows: RateRow[] = [];
    for (const inFlight of [1, 16]) {
      const count = inFlight === 1 ? Math.max(10, options.filings / 4) : options.filings;
      rows.push({
        what: 'GET /v1/health (floor)',
        inFlight,
        count: count * 7,
        perSecond: await rate(
          count * 7,
          inFlight,
          async () => void (await ok(await fetch(`${base}/v1/health`), 'health')).arrayBuffer(),
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

    // Count the DynamoDB calls of one filing (uploads made beforehand) and one tracking lookup.
    const documents = [
      {
        requirementId: 'to-khai-dang-ky-khai-sinh',
        uploadId: await upload('to-khai-dang-ky-khai-sinh', 9999),
      },
      { requirementId: 'giay-chung-sinh', uploadId: await upload('giay-chung-sinh', 9999) },
    ];
    const calls: string[] = [];
    dynamoDocumentClient().middlewareStack.add(
      (next, context) => async (args) => {
        calls.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'benchCallCounter' },
    );
    const filed = await file(documents, '000.06.01.H26');
    const filingCalls = calls.splice(0);
    await ok(await fetch(`${base}/v1/tracking/${filed.code}?key=${filed.lookupKey}`), 'track');
    const trackingCalls = calls.splice(0);
    dynamoDocumentClient().middlewareStack.remove('benchCallCounter');
    return { rows, filingCalls, trackingCalls };
  } finally {
    await stack.stop();
    rmSync(s3Dir, { recursive: true, force: true });
  }
}
