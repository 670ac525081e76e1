// The local workflow service over HTTP with the real @aws-sdk/client-sfn: the route definition path by path,
// the API's errors, and durability across a restart on the same data dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidArn,
  InvalidDefinition,
  InvalidToken,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoker } from '../../local/workflow/engine';
import { startWorkflowService, type WorkflowService } from '../../local/workflow/server';
import {
  awaitStatus,
  awaitSteps,
  eventually,
  history,
  routeDefinition,
  routeInput,
  scheduledSteps,
  sfnClient,
  step,
} from '../fixtures/workflow/client';

const ROLE = 'arn:aws:iam::000000000000:role/workflow';
// 1,000 seconds of workflow time pass in one real second: a 1,000 s step timeout fires after about a second.
const TIME_SCALE = 1000;

type Call = { functionName: string; payload: Record<string, unknown> };

function recordingInvoker(calls: Call[]): Invoker {
  return async (functionName, payload) => {
    calls.push({ functionName, payload: payload as Record<string, unknown> });
    // The overdue handler hands the step back with its new deadline (form 04's new appointment day).
    if (functionName === 'motcua-flag-overdue')
      return { ...(payload as object), timeoutSeconds: 100 * 86_400 };
    return null;
  };
}

const approve = (sfn: SFNClient, token: string) =>
  sfn.send(
    new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ decision: 'APPROVED' }) }),
  );

describe('the local workflow service', () => {
  const calls: Call[] = [];
  let service: WorkflowService;
  let sfn: SFNClient;
  let routeArn: string;

  beforeAll(async () => {
    service = await startWorkflowService({ timeScale: TIME_SCALE, invoker: recordingInvoker(calls) });
    sfn = sfnClient(service.url);
    const created = await sfn.send(
      new CreateStateMachineCommand({ name: 'route', definition: routeDefinition, roleArn: ROLE }),
    );
    routeArn = created.stateMachineArn!;
  });
  afterAll(() => service?.stop());

  const start = async (name: string, input: string) =>
    (await sfn.send(new StartExecutionCommand({ stateMachineArn: routeArn, name, input }))).executionArn!;

  it('reports its time scale', async () => {
    const info = (await (await fetch(service.url)).json()) as { timeScale: number };
    expect(info.timeScale).toBe(TIME_SCALE);
    expect(service.timeScale).toBe(TIME_SCALE);
  });

  it('runs a sequential stage, then a parallel one, to success as the agencies approve', async () => {
    const arn = await start(
      'seq-par',
      routeInput('D-1', [[step('tu-phap')], [step('cong-an'), step('bhxh')]]),
    );
    const [first] = await awaitSteps(sfn, arn, 1);
    expect(first).toMatchObject({ agency: 'tu-phap', stageIndex: 0 });
    // The second stage is not scheduled before the first is decided.
    expect(await scheduledSteps(sfn, arn)).toHaveLength(1);
    await approve(sfn, first!.token);

    const steps = await awaitSteps(sfn, arn, 3);
    const stage1 = steps.filter((s) => s.stageIndex === 1);
    expect(stage1.map((s) => s.agency).sort()).toEqual(['bhxh', 'cong-an']);
    await Promise.all(stage1.map((s) => approve(sfn, s.token)));

    const done = await awaitStatus(sfn, arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({ dossierCode: 'D-1', stageIndex: 2 });
    const assigned = calls.filter(
      (c) => c.functionName === 'motcua-assign-step' && c.payload.dossierCode === 'D-1',
    );
    expect(assigned).toHaveLength(3);
    expect(new Set(assigned.map((c) => c.payload.taskToken)).size).toBe(3);
  });

  it('records each callback task in TaskScheduled with its parameters and token, as AWS does', async () => {
    const arn = await start('history', routeInput('D-2', [[step('tu-phap', 5 * 86_400)]]));
    const [scheduled] = await awaitSteps(sfn, arn, 1);
    const event = (await history(sfn, arn)).find((e) => e.type === 'TaskScheduled')!;
    expect(event.id).toBeGreaterThan(0);
    expect(event.timestamp).toBeInstanceOf(Date);
    expect(event.taskScheduledEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      region: 'ap-southeast-1',
      timeoutInSeconds: 5 * 86_400,
    });
    const parameters = JSON.parse(event.taskScheduledEventDetails!.parameters!);
    expect(parameters).toEqual({
      FunctionName: 'motcua-assign-step',
      Payload: {
        taskToken: scheduled!.token,
        dossierCode: 'D-2',
        stageIndex: 0,
        step: step('tu-phap', 5 * 86_400),
      },
    });
    await approve(sfn, scheduled!.token);
    await awaitStatus(sfn, arn);
    const types = new Set((await history(sfn, arn)).map((e) => e.type));
    for (const type of [
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskSubmitted',
      'TaskSucceeded',
      'ExecutionSucceeded',
    ]) {
      expect(types).toContain(type);
    }
  });

  it('fails the execution when an agency rejects in a parallel stage, and notifies no later stage', async () => {
    const arn = await start('reject', routeInput('D-3', [[step('cong-an'), step('bhxh')], [step('ubnd')]]));
    const steps = await awaitSteps(sfn, arn, 2);
    const rejecting = steps.find((s) => s.agency === 'cong-an')!;
    const sibling = steps.find((s) => s.agency === 'bhxh')!;
    await sfn.send(
      new SendTaskFailureCommand({
        taskToken: rejecting.token,
        error: 'Rejected',
        cause: 'Hồ sơ không hợp lệ',
      }),
    );
    const done = await awaitStatus(sfn, arn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'DossierRejected' });
    expect((await scheduledSteps(sfn, arn)).filter((s) => s.stageIndex === 1)).toEqual([]);
    expect(calls.filter((c) => c.payload.dossierCode === 'D-3' && c.payload.stageIndex === 1)).toEqual([]);
    const failed = (await history(sfn, arn)).find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({ error: 'Rejected', cause: 'Hồ sơ không hợp lệ' });
    // The other agency's task closed with the execution.
    await expect(approve(sfn, sibling.token)).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('catches States.Timeout, flags the step overdue and waits again under the new deadline', async () => {
    const arn = await start('overdue', routeInput('D-4', [[step('tu-phap', 1000)]]));
    const [late] = await awaitSteps(sfn, arn, 1);
    const steps = await awaitSteps(sfn, arn, 2);
    const timedOut = (await history(sfn, arn)).find((e) => e.type === 'TaskTimedOut');
    expect(timedOut?.taskTimedOutEventDetails?.error).toBe('States.Timeout');
    const overdue = calls.filter(
      (c) => c.functionName === 'motcua-flag-overdue' && c.payload.dossierCode === 'D-4',
    );
    expect(overdue).toHaveLength(1);
    const again = steps[1]!;
    expect(again.token).not.toBe(late!.token);
    expect(
      JSON.parse(
        (await history(sfn, arn)).filter((e) => e.type === 'TaskScheduled').at(-1)!.taskScheduledEventDetails!
          .parameters!,
      ).Payload.step.agency,
    ).toBe('tu-phap');
    await expect(approve(sfn, late!.token)).rejects.toBeInstanceOf(TaskTimedOut);
    await approve(sfn, again.token);
    expect((await awaitStatus(sfn, arn)).status).toBe('SUCCEEDED');
  });

  it('stops an execution on StopExecution and closes its open tasks', async () => {
    const arn = await start('stop', routeInput('D-5', [[step('tu-phap')]]));
    const [open] = await awaitSteps(sfn, arn, 1);
    const stopped = await sfn.send(
      new StopExecutionCommand({ executionArn: arn, error: 'ApplicantWithdrew', cause: 'Form 05' }),
    );
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(d).toMatchObject({ status: 'ABORTED', error: 'ApplicantWithdrew', cause: 'Form 05' });
    expect((await history(sfn, arn)).at(-1)?.type).toBe('ExecutionAborted');
    await expect(approve(sfn, open!.token)).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('answers a start with the same name and input as the same execution while it runs, and refuses otherwise', async () => {
    const input = routeInput('D-6', [[step('tu-phap')]]);
    const arn = await start('idem', input);
    expect(await start('idem', input)).toBe(arn);
    await expect(start('idem', routeInput('D-6b', [[step('tu-phap')]]))).rejects.toBeInstanceOf(
      ExecutionAlreadyExists,
    );
    await sfn.send(new StopExecutionCommand({ executionArn: arn }));
    await expect(start('idem', input)).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    const listed = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: routeArn, statusFilter: 'ABORTED' }),
    );
    expect(listed.executions?.map((e) => e.name)).toContain('idem');
  });

  it("answers tokens, ARNs and definitions it does not know with AWS's errors", async () => {
    const unknownToken = `AQ${'x'.repeat(128)}`;
    await expect(approve(sfn, unknownToken)).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(approve(sfn, 'not-a-token')).rejects.toBeInstanceOf(InvalidToken);
    await expect(sfn.send(new SendTaskHeartbeatCommand({ taskToken: unknownToken }))).rejects.toBeInstanceOf(
      TaskDoesNotExist,
    );
    await expect(
      sfn.send(
        new DescribeExecutionCommand({
          executionArn: `${routeArn.replace('stateMachine', 'execution')}:nope`,
        }),
      ),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: 'nope' }))).rejects.toBeInstanceOf(
      InvalidArn,
    );
    await expect(
      sfn.send(
        new StartExecutionCommand({ stateMachineArn: routeArn.replace(':route', ':missing'), input: '{}' }),
      ),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(
      sfn.send(
        new CreateStateMachineCommand({
          name: 'broken',
          definition: '{"StartAt":"X","States":{}}',
          roleArn: ROLE,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidDefinition);
    // Creating the same name and definition again is idempotent; another definition under that name is refused.
    const again = await sfn.send(
      new CreateStateMachineCommand({ name: 'route', definition: routeDefinition, roleArn: ROLE }),
    );
    expect(again.stateMachineArn).toBe(routeArn);
    await expect(
      sfn.send(
        new CreateStateMachineCommand({
          name: 'route',
          definition: '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}',
          roleArn: ROLE,
        }),
      ),
    ).rejects.toBeInstanceOf(StateMachineAlreadyExists);
  });

  it('answers a token of a finished execution with TaskTimedOut', async () => {
    const arn = await start('finished', routeInput('D-7', [[step('tu-phap')]]));
    const [only] = await awaitSteps(sfn, arn, 1);
    await approve(sfn, only!.token);
    await awaitStatus(sfn, arn);
    await expect(approve(sfn, only!.token)).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(
      sfn.send(new SendTaskFailureCommand({ taskToken: only!.token, error: 'Rejected' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('times out a task that stops heart-beating, matched by States.Timeout and not by States.TaskFailed', async () => {
    const definition = JSON.stringify({
      StartAt: 'Await',
      States: {
        Await: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: {
            FunctionName: 'motcua-assign-step',
            Payload: { 'taskToken.$': '$$.Task.Token', step: {} },
          },
          HeartbeatSeconds: 5000,
          Catch: [
            { ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'Failed' },
            { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'Lost' },
          ],
          End: true,
        },
        Failed: { Type: 'Fail', Error: 'WrongCatcher' },
        Lost: { Type: 'Pass', End: true },
      },
    });
    const arn = service.putStateMachine('heartbeat', definition);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{}' }));
    const [task] = await awaitSteps(sfn, executionArn!, 1);
    // A heartbeat is accepted while the task is open; then the task goes quiet and times out.
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: task!.token }));
    const done = await awaitStatus(sfn, executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).error.Error).toBe('States.HeartbeatTimeout');
  });

  it('runs Wait states at the time scale', async () => {
    const arn = service.putStateMachine('wait', {
      StartAt: 'Pause',
      States: { Pause: { Type: 'Wait', Seconds: 1500, Next: 'Done' }, Done: { Type: 'Succeed' } },
    });
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, input: '{"a":1}' }),
    );
    const done = await awaitStatus(sfn, executionArn!);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"a":1}' });
    const types = (await history(sfn, executionArn!)).map((e) => e.type);
    expect(types).toContain('WaitStateEntered');
    expect(types).not.toContain('TaskScheduled');
  });
});

describe('the local workflow service in real time', () => {
  it('keeps a timeout beyond 24.8 days pending instead of firing at once', async () => {
    const service = await startWorkflowService({ timeScale: 1 });
    try {
      const sfn = sfnClient(service.url);
      const arn = service.putStateMachine('long', {
        StartAt: 'Await',
        States: {
          Await: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: 'f', Payload: { 'taskToken.$': '$$.Task.Token', step: {} } },
            TimeoutSeconds: 3_000_000,
            End: true,
          },
        },
      });
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: arn, input: '{}' }),
      );
      const [task] = await awaitSteps(sfn, executionArn!, 1);
      // An overflowing Node timer would fire after 1 ms and fail the execution (trap 4).
      await new Promise((resolve) => setTimeout(resolve, 300));
      await approve(sfn, task!.token);
      expect((await awaitStatus(sfn, executionArn!)).status).toBe('SUCCEEDED');
    } finally {
      await service.stop();
    }
  });
});

describe('the local workflow service across a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-workflow-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('finishes an execution after a restart with a token issued before it, without re-notifying', async () => {
    const calls: Call[] = [];
    const first = await startWorkflowService({
      dataDir,
      timeScale: TIME_SCALE,
      invoker: recordingInvoker(calls),
    });
    let arn: string;
    let firstToken: string;
    try {
      const sfn = sfnClient(first.url);
      const sm = first.putStateMachine('route', routeDefinition);
      ({ executionArn: arn } = (await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: sm,
          name: 'd-restart',
          input: routeInput('D-R', [[step('tu-phap')], [step('cong-an'), step('bhxh')]]),
        }),
      )) as { executionArn: string });
      const [scheduled] = await awaitSteps(sfn, arn, 1);
      firstToken = scheduled!.token;
      await eventually(async () => (calls.length === 1 ? true : undefined), 'the first assignment');
    } finally {
      await first.stop();
    }

    const second = await startWorkflowService({
      dataDir,
      timeScale: TIME_SCALE,
      invoker: recordingInvoker(calls),
    });
    try {
      const sfn = sfnClient(second.url);
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
      await approve(sfn, firstToken);
      const steps = await awaitSteps(sfn, arn, 3);
      expect(steps[0]!.token).toBe(firstToken);
      await Promise.all(steps.filter((s) => s.stageIndex === 1).map((s) => approve(sfn, s.token)));
      expect((await awaitStatus(sfn, arn)).status).toBe('SUCCEEDED');
      // The first agency was notified once, before the restart; the replay handed back its recorded task.
      expect(calls.filter((c) => c.payload.stageIndex === 0)).toHaveLength(1);
      expect(calls.filter((c) => c.payload.stageIndex === 1)).toHaveLength(2);
    } finally {
      await second.stop();
    }

    const third = await startWorkflowService({ dataDir, timeScale: TIME_SCALE });
    try {
      const sfn = sfnClient(third.url);
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
      expect(d.status).toBe('SUCCEEDED');
      expect((await history(sfn, arn)).at(-1)?.type).toBe('ExecutionSucceeded');
      await expect(approve(sfn, firstToken)).rejects.toBeInstanceOf(TaskTimedOut);
    } finally {
      await third.stop();
    }
  });
});
