// Deadlines of routed steps on the embedded stack, with the workflow service's time scale making a working day last
// about a second: a step past its due time flags the dossier overdue with form 04, the same task waits on under the
// new due time, and the agency's late decision still moves the route on. And the sweep: a run lost with its
// workflow service is re-driven from the dossier's recorded stage, without asking an agency that already answered.
// And failing task functions (faults planted in the real handlers): retried with backoff by the definition; past
// the retries, recorded on the dossier, re-driven by the sweep a few times, then left stuck for an operator.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPartners } from '../../local/demo';
import { MAX_AUTOMATIC_REDRIVES, taskErrors } from '../../shared/workflow/tasks';
import { eventually, history, sfnClient } from '../fixtures/workflow/client';
import { clearFaults, FAULTS_DIR_ENV, faultsLeft, plantFaults } from './support/faults';
import { fileBundle } from './support/routing';
import { signedFetch } from './support/signed';
import { startTestStack, type TestStack } from './support/stack';

const ward = demoPartners[0]!;
const police = demoPartners[1]!;

const faults = mkdtempSync(join(tmpdir(), 'motcua-faults-'));
const faulty = (task: string) => join(import.meta.dirname, 'support', 'pool-handlers', `faulty-${task}.ts`);

let stack: TestStack;
beforeAll(async () => {
  // The function instances (worker threads) read it from the environment they start with.
  process.env[FAULTS_DIR_ENV] = faults;
  stack = await startTestStack({
    workflowTimeScale: 86_400,
    taskHandlers: { advance: faulty('advance'), assign: faulty('assign') },
  });
}, 120_000);
afterAll(() => stack?.stop());

type Task = {
  id: string;
  dossierCode: string;
  stepId: string;
  round: number;
  overdue: boolean;
  dueAt: string;
};

const tasksOf = async (who: typeof ward, code: string) => {
  const response = await signedFetch(stack.urls.gateway, '/v1/partner/tasks?limit=100', who);
  return ((await response.json()) as { items: Task[] }).items.filter((t) => t.dossierCode === code);
};

const stored = async (code: string) =>
  (
    await DynamoDBDocumentClient.from(stack.clients.dynamodb).send(
      new GetCommand({ TableName: process.env.TABLE_DOSSIERS, Key: { pk: `DOSSIER#${code}`, sk: 'META' } }),
    )
  ).Item?.data as {
    status: string;
    forms: { form: string }[];
    routing: {
      attempt: number;
      executionName: string;
      overdue?: { stepId: string; newAppointmentDay: string }[];
      failure?: { attempt: number; error: string; count: number };
    };
    deadline: { appointmentDay: string };
  };

const executionArn = (name: string) =>
  `${stack.routingMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
const runStatus = async (name: string) =>
  (
    await sfnClient(stack.urls.workflow).send(
      new DescribeExecutionCommand({ executionArn: executionArn(name) }),
    )
  ).status;

/**
 * The ward rejects: the run ends. A waiting same-day step at this time scale goes overdue several times a second;
 * left waiting, it would load the machine under the tests that follow.
 */
async function endRun(code: string) {
  const [task] = await tasksOf(ward, code);
  const response = await signedFetch(
    stack.urls.gateway,
    `/v1/partner/tasks/${encodeURIComponent(task!.id)}/decision`,
    ward,
    { method: 'POST', body: { decision: 'reject', reason: 'Kết thúc phép thử / end of the test' } },
  );
  expect(response.status, await response.clone().text()).toBe(200);
  await eventually(
    async () => ((await stored(code)).status === 'REJECTED' ? true : undefined),
    'the run ended',
  );
}

// First in the file: no other dossier's run takes the faults planted for these.
describe('a task function that fails', () => {
  it('is retried with backoff by the definition: the assign task fails twice, then the step is assigned', async () => {
    plantFaults(faults, 'assign', 2);
    const code = await fileBundle(stack);
    await eventually(async () => (await tasksOf(ward, code))[0], 'the ward’s task after the retries');
    expect(faultsLeft(faults, 'assign')).toEqual([]);
    const dossier = await stored(code);
    expect(dossier.routing.failure).toBeUndefined();
    expect(await runStatus(dossier.routing.executionName)).toBe('RUNNING');
    const failed = (
      await history(sfnClient(stack.urls.workflow), executionArn(dossier.routing.executionName))
    )
      .filter((e) => e.type === 'TaskFailed')
      .map((e) => e.taskFailedEventDetails?.error);
    // Both faults were taken and the step still got its task: the definition retried it. The history names the error.
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed)).toEqual(new Set([taskErrors.failed]));
    await endRun(code);
  });

  it('past its retries is recorded on the dossier; the sweep re-drives it, then leaves it stuck for an operator', async () => {
    plantFaults(faults, 'advance', 'always');
    try {
      const code = await fileBundle(stack);
      const { sweepRouting } = await import('../../shared/usecases/routing/sweep');
      const { sweepDeps } = await import('../../shared/adapters/routing-deps');
      for (let run = 1; run <= MAX_AUTOMATIC_REDRIVES; run++) {
        const failed = await eventually(async () => {
          const dossier = await stored(code);
          return dossier?.routing?.failure?.count === run ? dossier : undefined;
        }, `failure ${run} recorded`);
        expect(failed.status).toBe('IN_PROGRESS');
        expect(failed.routing.failure).toMatchObject({ attempt: run, error: taskErrors.failed });
        await eventually(
          async () => ((await runStatus(failed.routing.executionName)) === 'FAILED' ? true : undefined),
          `run ${run} failed`,
        );
        const report = await sweepRouting(sweepDeps());
        if (run < MAX_AUTOMATIC_REDRIVES) {
          expect(report.redriven).toEqual([failed.routing.executionName.replace(/-a\d+$/, `-a${run + 1}`)]);
          expect(report.stuck).toEqual([]);
        } else {
          expect(report.redriven).toEqual([]);
          expect(report.stuck).toEqual([code]);
        }
      }
      expect((await stored(code)).routing.attempt).toBe(MAX_AUTOMATIC_REDRIVES);
      const history = await stack.call(`/v1/dossiers/${code}`, { as: 'officer.badinh' });
      expect(history.status).toBe(200);
      expect(JSON.stringify(await history.json())).toContain('Routing failed (run 3 in a row)');

      // Fixed: an operator's re-drive starts the count again and the route goes on.
      clearFaults(faults, 'advance');
      const redriven = await stack.call(`/v1/admin/dossiers/${code}/redrive`, {
        method: 'POST',
        as: 'admin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'Đã sửa lỗi / fixed the table' }),
      });
      expect(redriven.status, await redriven.clone().text()).toBe(200);
      expect(await redriven.json()).toMatchObject({ attempt: MAX_AUTOMATIC_REDRIVES + 1 });
      await eventually(async () => (await tasksOf(ward, code))[0], 'the ward’s task after the re-drive');
      expect((await stored(code)).routing.failure).toBeUndefined();
      await endRun(code);
    } finally {
      clearFaults(faults, 'advance');
    }
  });
});

describe('a routed step past its due time', () => {
  it('flags the dossier overdue with form 04, keeps the same task under the new due time, and goes on', async () => {
    const code = await fileBundle(stack);
    const before = await eventually(async () => (await tasksOf(ward, code))[0], 'the ward’s task');
    const late = await eventually(async () => {
      const dossier = await stored(code);
      return dossier?.routing?.overdue?.length ? dossier : undefined;
    }, 'the overdue flag');
    expect(late.routing.overdue![0]!.stepId).toBe('s0-0');
    expect(late.forms.map((f) => f.form)).toContain('04');
    const apology = await stack.call(`/v1/dossiers/${code}/forms/04`, { as: 'officer.badinh' });
    expect(apology.status).toBe(200);

    const after = await eventually(async () => {
      const [task] = await tasksOf(ward, code);
      return task?.overdue ? task : undefined;
    }, 'the task flagged overdue');
    expect(after.id).toBe(before.id);
    expect(after.dueAt > before.dueAt).toBe(true);

    const decision = await signedFetch(
      stack.urls.gateway,
      `/v1/partner/tasks/${encodeURIComponent(after.id)}/decision`,
      ward,
      { method: 'POST', body: { decision: 'approve' } },
    );
    expect(decision.status).toBe(200);
    await eventually(async () => (await tasksOf(police, code))[0], 'the next stage’s task');
  });
});

describe('the sweep', () => {
  it('re-drives a dossier whose run is gone, from its recorded stage, without asking the first agency again', async () => {
    const code = await fileBundle(stack);
    const first = await eventually(async () => (await tasksOf(ward, code))[0], 'the ward’s task');
    const approved = await signedFetch(
      stack.urls.gateway,
      `/v1/partner/tasks/${encodeURIComponent(first.id)}/decision`,
      ward,
      {
        method: 'POST',
        body: { decision: 'approve' },
      },
    );
    expect(approved.status, await approved.clone().text()).toBe(200);
    await eventually(async () => (await tasksOf(police, code))[0], 'the police task');
    // The run is lost (as with a workflow service that lost its journal): stopped behind the dossier's back.
    const dossier = await stored(code);
    const sfn = sfnClient(stack.urls.workflow);
    await sfn.send(
      new StopExecutionCommand({
        executionArn: `${stack.routingMachineArn.replace(':stateMachine:', ':execution:')}:${dossier.routing.executionName}`,
      }),
    );
    const { sweepRouting } = await import('../../shared/usecases/routing/sweep');
    const { sweepDeps } = await import('../../shared/adapters/routing-deps');
    const report = await sweepRouting(sweepDeps());
    expect(report.redriven).toEqual([`${dossier.routing.executionName.replace(/-a1$/, '-a2')}`]);
    expect((await stored(code)).routing.attempt).toBe(2);
    // The second stage is handed out again under the new run: same tasks, no new one for the ward.
    await eventually(async () => {
      const tasks = await tasksOf(police, code);
      return tasks.length === 1 ? tasks : undefined;
    }, 'the police task under the new run');
    expect((await tasksOf(ward, code)).map((t) => t.id)).toEqual([]);
    // Nothing left to re-drive: a second sweep changes nothing.
    expect((await sweepRouting(sweepDeps())).redriven).toEqual([]);
  });
});
