// Deadlines of routed steps on the embedded stack, with the workflow service's time scale making a working day last
// about a second: a step past its due time flags the dossier overdue with form 04, the same task waits on under the
// new due time, and the agency's late decision still moves the route on. And the sweep: a run lost with its
// workflow service is re-driven from the dossier's recorded stage, without asking an agency that already answered.
import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPartners } from '../../local/demo';
import { eventually, sfnClient } from '../fixtures/workflow/client';
import { fileBundle } from './support/routing';
import { signedFetch } from './support/signed';
import { startTestStack, type TestStack } from './support/stack';

const ward = demoPartners[0]!;
const police = demoPartners[1]!;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ workflowTimeScale: 86_400 });
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
    };
    deadline: { appointmentDay: string };
  };

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
    await signedFetch(
      stack.urls.gateway,
      `/v1/partner/tasks/${encodeURIComponent(first.id)}/decision`,
      ward,
      {
        method: 'POST',
        body: { decision: 'approve' },
      },
    );
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
