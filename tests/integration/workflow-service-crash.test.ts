// The workflow service as its own OS process, killed with SIGKILL: what it acknowledged survives in the journal,
// and the next process resumes the execution with the tokens the agencies already hold.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import {
  awaitStatus,
  awaitSteps,
  routeDefinition,
  routeInput,
  sfnClient,
  step,
} from '../fixtures/workflow/client';

const root = join(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'motcua-workflow-crash-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `local/workflow/main.ts` on the shared data dir and resolves with its URL once it listens. */
function startProcess(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'local/workflow/main.ts',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--time-scale',
      '1000',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`workflow service exited early (${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const event = JSON.parse(line) as { event?: string; url?: string };
        if (event.event === 'workflow.listening' && event.url) resolve({ url: event.url, child });
      } catch {
        // not a log line
      }
    });
  });
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('the workflow service process under kill -9', () => {
  it('resumes an acknowledged execution, and keeps a token issued before the kill valid', async () => {
    const first = await startProcess();
    let sfn = sfnClient(first.url);
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'route',
        definition: routeDefinition,
        roleArn: 'arn:aws:iam::000000000000:role/workflow',
      }),
    );
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: 'd-crash',
        input: routeInput('D-K', [[step('tu-phap')], [step('cong-an')]]),
      }),
    );
    // Killed right after the acknowledgement: the start is on disk, whatever else the process got to.
    await killHard(first.child);

    const second = await startProcess();
    sfn = sfnClient(second.url);
    const [held] = await awaitSteps(sfn, executionArn!, 1);
    await killHard(second.child);

    const third = await startProcess();
    sfn = sfnClient(third.url);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: held!.token, output: '{"decision":"APPROVED"}' }));
    const steps = await awaitSteps(sfn, executionArn!, 2);
    expect(steps[0]!.token).toBe(held!.token);
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: steps[1]!.token, output: '{"decision":"APPROVED"}' }),
    );
    expect((await awaitStatus(sfn, executionArn!)).status).toBe('SUCCEEDED');
    await killHard(third.child);
  });
});
