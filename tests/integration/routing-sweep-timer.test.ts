// The routing sweep on its schedule: the embedded stack runs the sweep function on a timer, as EventBridge Scheduler
// does in the cloud. A run lost behind the dossier's back is re-driven without anyone calling the sweep.

import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPartners } from '../../local/demo';
import { eventually, sfnClient } from '../fixtures/workflow/client';
import { fileBundle } from './support/routing';
import { signedFetch } from './support/signed';
import { startTestStack, type TestStack } from './support/stack';

const ward = demoPartners[0]!;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ sweepEveryMs: 300 });
}, 120_000);
afterAll(() => stack?.stop());

const routingOf = async (code: string) =>
  (
    await DynamoDBDocumentClient.from(stack.clients.dynamodb).send(
      new GetCommand({ TableName: process.env.TABLE_DOSSIERS, Key: { pk: `DOSSIER#${code}`, sk: 'META' } }),
    )
  ).Item?.data?.routing as { attempt: number; executionName: string } | undefined;

describe('the routing sweep’s timer', () => {
  it('re-drives a dossier whose run was lost, with no one calling the sweep', async () => {
    const code = await fileBundle(stack);
    const task = await eventually(async () => {
      const response = await signedFetch(stack.urls.gateway, '/v1/partner/tasks?limit=100', ward);
      const items = ((await response.json()) as { items: { id: string; dossierCode: string }[] }).items;
      return items.find((t) => t.dossierCode === code);
    }, 'the ward’s task');
    const first = (await routingOf(code))!;
    expect(first.attempt).toBe(1);
    await sfnClient(stack.urls.workflow).send(
      new StopExecutionCommand({
        executionArn: `${stack.routingMachineArn.replace(':stateMachine:', ':execution:')}:${first.executionName}`,
      }),
    );
    const redriven = await eventually(async () => {
      const routing = await routingOf(code);
      return routing && routing.attempt === 2 ? routing : undefined;
    }, 'the re-drive by the timer');
    expect(redriven.executionName).toBe(first.executionName.replace(/-a1$/, '-a2'));
    expect(stack.sweep?.runs).toBeGreaterThan(0);
    // The waiting step keeps its task under the new run.
    await eventually(async () => {
      const response = await signedFetch(stack.urls.gateway, '/v1/partner/tasks?limit=100', ward);
      const items = ((await response.json()) as { items: { id: string; dossierCode: string }[] }).items;
      return items.some((t) => t.id === task.id) ? true : undefined;
    }, 'the same task under the new run');
  });
});
