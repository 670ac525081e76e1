// Crash rounds: `npm start` in its own process group, filings in flight, `kill -9` of the whole group, restart, and
// every filing that was answered 201 read back. Used by `npm run bench:crash` (20 rounds) and a smaller test.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { demoBirth } from '../local/demo';
import { freePort, waitForPreviousInstance } from '../local/emulators';

const { procedureCode: BIRTH, unit: BA_DINH, answers, applicant } = demoBirth;

export interface CrashReport {
  kills: number;
  acknowledged: number;
  lost: string[];
  reissued: string[];
}

interface Running {
  child: ChildProcess;
  base: string;
}

async function startPlatform(dataDir: string, ports: Record<string, number>): Promise<Running> {
  const child = spawn(join('node_modules', '.bin', 'tsx'), ['local/start.ts'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      MOTCUA_DATA_DIR: dataDir,
      MOTCUA_PORT: String(ports.gateway),
      MOTCUA_DYNAMODB_PORT: String(ports.dynamodb),
      MOTCUA_S3_PORT: String(ports.s3),
      LOG_LEVEL: 'error',
    },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2_000);
  });
  const base = `http://127.0.0.1:${ports.gateway}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}: ${stderr}`);
    const ok = await fetch(`${base}/v1/health`, { signal: AbortSignal.timeout(2_000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return { child, base };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`npm start did not answer within 120 s: ${stderr}`);
}

async function killGroup(running: Running) {
  const exited = new Promise((resolve) => running.child.once('exit', resolve));
  process.kill(-(running.child.pid as number), 'SIGKILL');
  await exited;
}

async function token(base: string, username: string) {
  const response = await fetch(`${base}/local-idp/token`, {
    method: 'POST',
    body: JSON.stringify({ username }),
  });
  return ((await response.json()) as { id_token: string }).id_token;
}

async function upload(base: string, bearer: string, requirementId: string) {
  const bytes = Buffer.from(`%PDF-1.4\n% ${requirementId} ${randomUUID()}\n%%EOF\n`);
  const auth = { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' };
  const ticket = await fetch(`${base}/v1/uploads`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      procedureCode: BIRTH,
      requirementId,
      fileName: `${requirementId}.pdf`,
      contentType: 'application/pdf',
      sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('base64'),
    }),
  });
  const { uploadId, upload: put } = (await ticket.json()) as {
    uploadId: string;
    upload: { url: string; headers: Record<string, string> };
  };
  await fetch(put.url, { method: 'PUT', headers: put.headers, body: bytes });
  const done = await fetch(`${base}/v1/uploads/${uploadId}/complete`, { method: 'POST', headers: auth });
  if (done.status !== 200) throw new Error(`upload ${requirementId}: ${done.status}`);
  return { requirementId, uploadId };
}

/** Files until the group is killed; returns the codes answered 201. */
async function fileUntilKilled(running: Running, inFlight: number, killAfterMs: number) {
  const citizen = await token(running.base, 'citizen.an');
  const documents = await Promise.all(
    ['to-khai-dang-ky-khai-sinh', 'giay-chung-sinh'].map((id) => upload(running.base, citizen, id)),
  );
  const acknowledged: string[] = [];
  let killed = false;
  // The kill lands a random while after the first 201, so every round kills with filings in flight.
  let firstAnswer: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => {
    firstAnswer = resolve;
  });
  const killing = Promise.race([answered, new Promise((resolve) => setTimeout(resolve, 30_000))])
    .then(() => new Promise((resolve) => setTimeout(resolve, killAfterMs)))
    .then(async () => {
      killed = true;
      await killGroup(running);
    });
  const worker = async () => {
    while (!killed) {
      const response = await fetch(`${running.base}/v1/dossiers`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${citizen}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify({ procedureCode: BIRTH, unit: BA_DINH, applicant, answers, documents }),
      }).catch(() => undefined);
      if (response?.status === 201) {
        acknowledged.push(((await response.json()) as { code: string }).code);
        firstAnswer();
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  await killing;
  return acknowledged;
}

export async function crashRounds(options: {
  rounds: number;
  inFlight?: number;
  onRound?: (round: number, acknowledged: number, lost: number) => void;
}): Promise<CrashReport> {
  const dataDir = mkdtempSync(join('.tmp', 'crash-'));
  const ports = { gateway: await freePort(), dynamodb: await freePort(), s3: await freePort() };
  const seen = new Set<string>();
  const report: CrashReport = { kills: 0, acknowledged: 0, lost: [], reissued: [] };
  let previous: string[] = [];
  let running: Running | undefined;
  try {
    for (let round = 0; round <= options.rounds; round++) {
      running = await startPlatform(dataDir, ports);
      const reader = await token(running.base, 'citizen.an');
      let lostNow = 0;
      for (const code of previous) {
        const response = await fetch(`${running.base}/v1/dossiers/${code}`, {
          headers: { authorization: `Bearer ${reader}` },
        });
        if (response.status !== 200) {
          report.lost.push(code);
          lostNow += 1;
        }
      }
      if (round === options.rounds) {
        await killGroup(running);
        options.onRound?.(round, 0, lostNow);
        break;
      }
      // Kill 0.1 s to 1.5 s after the first 201, so the kill lands mid-transaction at varied points.
      previous = await fileUntilKilled(running, options.inFlight ?? 8, 100 + Math.random() * 1_400);
      report.kills += 1;
      report.acknowledged += previous.length;
      for (const code of previous) {
        if (seen.has(code)) report.reissued.push(code);
        seen.add(code);
      }
      options.onRound?.(round, previous.length, lostNow);
    }
  } catch (error) {
    if (running?.child.exitCode === null) await killGroup(running).catch(() => undefined);
    throw error;
  } finally {
    await waitForPreviousInstance(join(dataDir, 'dynamodb', 'dynamodb.pid'));
    rmSync(dataDir, { recursive: true, force: true });
  }
  return report;
}
