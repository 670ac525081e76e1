// The Step Functions adapter of the routing starter, over the real protocol against the local workflow service:
// a redelivered start runs nothing twice, whether the run is still open or already ended.
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkflowService, type WorkflowService } from '../../local/workflow/server';
import { stepFunctionsWorkflow } from '../../shared/adapters/sfn-workflow';
import { eventually, sfnClient } from '../fixtures/workflow/client';

let service: WorkflowService;
beforeAll(async () => {
  service = await startWorkflowService({});
});
afterAll(() => service?.stop());

const input = { dossierCode: '000.02.01.H26-261127-0001', attempt: 1, next: 0 };

describe('the Step Functions workflow starter', () => {
  it('answers a second start of an open run as started, and runs it once', async () => {
    const arn = service.putStateMachine(
      'waits',
      JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }),
    );
    const sfn = sfnClient(service.url);
    const starter = stepFunctionsWorkflow(arn, sfn);
    expect(await starter.start('run-a1', input)).toBe('started');
    expect(await starter.start('run-a1', input)).toBe('started');
    const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }));
    expect(executions?.map((e) => e.name)).toEqual(['run-a1']);
    await expect(starter.start('run-a1', { ...input, next: 1 })).rejects.toThrow();
  });

  it('answers a start of an ended run as already started, and refuses the name for another input', async () => {
    const arn = service.putStateMachine(
      'ends',
      JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
    );
    const sfn = sfnClient(service.url);
    const starter = stepFunctionsWorkflow(arn, sfn);
    expect(await starter.start('run-a1', input)).toBe('started');
    await eventually(async () => {
      const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }));
      return executions?.[0]?.status === 'SUCCEEDED' ? true : undefined;
    }, 'the run to end');
    expect(await starter.start('run-a1', input)).toBe('already-started');
    await expect(starter.start('run-a1', { ...input, attempt: 2 })).rejects.toThrow(/another input/);
  });
});
