// The routing definition CDK synthesizes (infra/workflow/routing-definition.ts), run on the local workflow service
// with task functions played by this test: stages in order, the steps of a stage at once, a rejection in a parallel
// stage closing the route with no later stage notified, an overdue step waiting again, and the transitions counted.
import {
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RoutingFunctions,
  routingDefinition,
  stepErrors,
} from '../../infra/workflow/routing-definition';
import type { Invoker } from '../../local/workflow/engine';
import { definitionFromTemplate } from '../../local/workflow/resolve';
import { startWorkflowService, type WorkflowService } from '../../local/workflow/server';
import { eventually, history, sfnClient } from '../fixtures/workflow/client';

type Step = { stepId: string; agency: string; timeoutSeconds: number };
// Under-6 bundle: one step, then two in parallel.
const stages: Step[][] = [
  [{ stepId: 's0-0', agency: 'tu-phap', timeoutSeconds: 3600 }],
  [
    { stepId: 's1-0', agency: 'cong-an', timeoutSeconds: 3600 },
    { stepId: 's1-1', agency: 'bhxh', timeoutSeconds: 3600 },
  ],
];

const fnIds = ['Advance', 'Assign', 'Overdue', 'AwaitSupplement', 'Close', 'Fail'] as const;
let definition: string;
let service: WorkflowService;
let machineArn: string;
// What the task functions saw, per execution: assignments with their tokens, overdue flags, closings.
const assigned = new Map<string, { stepId: string; token: string }[]>();
const calls = new Map<string, string[]>();
let overdueTimeout = 3600;

const invoker: Invoker = async (functionName, payload, info) => {
  const fn = fnIds.find((id) => functionName.includes(`${id}Fn`));
  const input = payload as { next?: number; taskToken?: string; step?: Step; error?: string };
  calls.set(info.executionArn, [...(calls.get(info.executionArn) ?? []), `${fn}`]);
  switch (fn) {
    case 'Advance': {
      const next = input.next!;
      return next < stages.length
        ? { ...input, stage: next, next: next + 1, steps: stages[next], done: false }
        : { ...input, done: true };
    }
    case 'Assign':
      assigned.set(info.executionArn, [
        ...(assigned.get(info.executionArn) ?? []),
        { stepId: input.step!.stepId, token: input.taskToken! },
      ]);
      return null;
    case 'Overdue':
      return { ...input.step, timeoutSeconds: overdueTimeout, overdue: true };
    default:
      return null;
  }
};

beforeAll(async () => {
  const stack = new Stack(new App(), 'Routing');
  const fns = Object.fromEntries(
    fnIds.map((id) => [
      id.charAt(0).toLowerCase() + id.slice(1),
      new LambdaFunction(stack, `${id}Fn`, {
        runtime: Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: Code.fromInline('x'),
      }),
    ]),
  ) as unknown as RoutingFunctions;
  new StateMachine(stack, 'Machine', { definitionBody: routingDefinition(stack, fns) });
  const template = Template.fromStack(stack).toJSON();
  const resources = Object.fromEntries(
    Object.keys(template.Resources)
      .filter((id) => template.Resources[id].Type === 'AWS::Lambda::Function')
      .map((id) => [
        id,
        { ref: id, attributes: { Arn: `arn:aws:lambda:ap-southeast-1:000000000000:function:${id}` } },
      ]),
  );
  definition = definitionFromTemplate(template, { resources });
  service = await startWorkflowService({ invoker });
  machineArn = service.putStateMachine('motcua-routing', definition);
});
afterAll(() => service?.stop());

async function start(name: string) {
  const sfn = sfnClient(service.url);
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: machineArn,
      name,
      input: JSON.stringify({ dossierCode: name, attempt: 1, next: 0 }),
    }),
  );
  return { sfn, arn: executionArn! };
}

const tokensOf = (arn: string, count: number) =>
  eventually(async () => {
    const list = assigned.get(arn) ?? [];
    return list.length >= count ? list : undefined;
  }, `${count} assignments`);

const finished = (sfn: ReturnType<typeof sfnClient>, arn: string) =>
  eventually(async () => {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    return out.status === 'RUNNING' ? undefined : out;
  }, 'the execution to end');

describe('the routing workflow on the local workflow service', () => {
  it('runs stages in order and a stage’s steps at once, in 12 state transitions for one then two steps', async () => {
    const { sfn, arn } = await start('all-approve');
    const [first] = await tokensOf(arn, 1);
    expect(first!.stepId).toBe('s0-0');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: first!.token, output: '{}' }));
    const both = await tokensOf(arn, 3);
    expect(
      both
        .slice(1)
        .map((a) => a.stepId)
        .sort(),
    ).toEqual(['s1-0', 's1-1']);
    for (const a of both.slice(1))
      await sfn.send(new SendTaskSuccessCommand({ taskToken: a.token, output: '{}' }));
    expect((await finished(sfn, arn)).status).toBe('SUCCEEDED');
    const entered = (await history(sfn, arn)).filter((e) => e.type?.endsWith('StateEntered'));
    expect(entered).toHaveLength(12);
    expect(calls.get(arn)).not.toContain('Close');
  });

  it('closes the route when an agency of a parallel stage rejects, and no later stage is started', async () => {
    const { sfn, arn } = await start('rejected');
    const [first] = await tokensOf(arn, 1);
    await sfn.send(new SendTaskSuccessCommand({ taskToken: first!.token, output: '{}' }));
    const [, police] = await tokensOf(arn, 3);
    await sfn.send(
      new SendTaskFailureCommand({
        taskToken: police!.token,
        error: stepErrors.rejected,
        cause: 'không đủ điều kiện',
      }),
    );
    expect((await finished(sfn, arn)).status).toBe('SUCCEEDED');
    expect(calls.get(arn)?.filter((c) => c === 'Advance')).toHaveLength(2);
    expect(calls.get(arn)).toContain('Close');
    expect(assigned.get(arn)).toHaveLength(3);
  });

  it('flags an overdue step and waits for the same step again under a new timeout', async () => {
    overdueTimeout = 3600;
    const quick: Step[][] = [[{ stepId: 's0-0', agency: 'tu-phap', timeoutSeconds: 1 }]];
    const saved = stages.splice(0, stages.length, ...quick);
    try {
      const { sfn, arn } = await start('overdue');
      const [, again] = await tokensOf(arn, 2);
      expect(again!.stepId).toBe('s0-0');
      expect(calls.get(arn)).toContain('Overdue');
      await sfn.send(new SendTaskSuccessCommand({ taskToken: again!.token, output: '{}' }));
      expect((await finished(sfn, arn)).status).toBe('SUCCEEDED');
    } finally {
      stages.splice(0, stages.length, ...saved);
    }
  });
});
