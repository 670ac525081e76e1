// The routing workflow's definition, as CDK synthesizes it: the conventions that make it run the same on Step
// Functions and on the local workflow service (ARCHITECTURE.md §3), checked on the resolved ASL.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type RoutingFunctions,
  routingDefinition,
  stepErrors,
} from '../../infra/workflow/routing-definition';
import { taskErrors } from '../../shared/workflow/tasks';

type State = Record<string, unknown> & { Type: string; Next?: string; End?: boolean };
type Asl = { StartAt: string; States: Record<string, State> };

/** CDK writes the definition as Fn::Join of strings and references; a reference becomes its logical id here. */
function resolve(definition: unknown): Asl {
  const join = (definition as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const text = join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const getAtt = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      if (getAtt) return `arn:aws:lambda:ap-southeast-1:000000000000:function:${getAtt[0]}`;
      const ref = (part as { Ref?: string }).Ref ?? '';
      return ref === 'AWS::Partition' ? 'aws' : ref;
    })
    .join(join[0]);
  return JSON.parse(text) as Asl;
}

let asl: Asl;
beforeAll(() => {
  const stack = new Stack(new App(), 'Routing');
  const fn = (id: string) =>
    new LambdaFunction(stack, id, {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('x'),
    });
  const fns: RoutingFunctions = {
    advance: fn('AdvanceFn'),
    assign: fn('AssignFn'),
    overdue: fn('OverdueFn'),
    awaitSupplement: fn('AwaitSupplementFn'),
    close: fn('CloseFn'),
    fail: fn('FailFn'),
  };
  new StateMachine(stack, 'Machine', {
    definitionBody: routingDefinition(stack, fns),
    stateMachineType: StateMachineType.STANDARD,
  });
  const machines = Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine');
  asl = resolve(Object.values(machines)[0]!.Properties.DefinitionString);
});

describe('the routing definition', () => {
  it('loops over stages with a Choice, never an outer Map, and starts by advancing to the input stage', () => {
    expect(asl.StartAt).toBe('Advance');
    // The function's answer is the state's output (payloadResponseOnly: the function ARN as the resource).
    expect(asl.States.Advance).toMatchObject({
      Type: 'Task',
      Next: 'StageLeft',
      Resource: expect.stringMatching(/:function:AdvanceFn[0-9A-F]{8}$/),
    });
    expect((asl.States.Advance as unknown as { Parameters: Record<string, string> }).Parameters).toEqual({
      'dossierCode.$': '$.dossierCode',
      'attempt.$': '$.attempt',
      'next.$': '$.next',
    });
    const choice = asl.States.StageLeft as State & { Choices: { Next: string }[]; Default: string };
    expect(choice.Type).toBe('Choice');
    expect(choice.Choices.map((c) => c.Next)).toEqual(['Routed']);
    expect(choice.Default).toBe('Stage');
    expect(asl.States.Stage).toMatchObject({ Type: 'Map', Next: 'Advance', ItemsPath: '$.steps' });
    expect(Object.values(asl.States).filter((s) => s.Type === 'Map')).toHaveLength(1);
  });

  it('passes every step what it needs through the ItemSelector and runs a stage’s steps all at once', () => {
    const map = asl.States.Stage as State & { ItemSelector: unknown; MaxConcurrency?: number };
    expect(map.ItemSelector).toEqual({
      'dossierCode.$': '$.dossierCode',
      'attempt.$': '$.attempt',
      'stage.$': '$.stage',
      'step.$': '$$.Map.Item.Value',
    });
    expect(map.MaxConcurrency ?? 0).toBe(0);
  });

  it('makes each step a callback task with its timeout from the plan, catching the timeout first', () => {
    const processor = (asl.States.Stage as unknown as { ItemProcessor: Asl }).ItemProcessor;
    expect(processor.StartAt).toBe('Decide');
    const decide = processor.States.Decide as State & {
      Resource: string;
      TimeoutSecondsPath: string;
      Parameters: { Payload: Record<string, string> };
      Catch: { ErrorEquals: string[]; Next: string }[];
    };
    expect(decide.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(decide.TimeoutSecondsPath).toBe('$.step.timeoutSeconds');
    expect(decide.Parameters.Payload['taskToken.$']).toBe('$$.Task.Token');
    expect(decide.Catch.map((c) => [c.ErrorEquals, c.Next])).toEqual([
      [['States.Timeout'], 'Overdue'],
      [[stepErrors.supplementRequested], 'AwaitSupplement'],
    ]);
    // After an overdue flag or a supplement the same step gets a new task.
    expect(processor.States.Overdue).toMatchObject({ Next: 'Decide', ResultPath: '$.step' });
    expect(processor.States.AwaitSupplement).toMatchObject({
      Next: 'Decide',
      ResultPath: '$.step',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    });
  });

  it('ends a rejected or stopped route through Close, and any other failure through RecordFailure', () => {
    const map = asl.States.Stage as State & { Catch: { ErrorEquals: string[]; Next: string }[] };
    // The agencies' errors first: States.ALL would also match them.
    expect(map.Catch).toEqual([
      { ErrorEquals: [stepErrors.rejected, stepErrors.stopped], ResultPath: '$.failure', Next: 'Close' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'RecordFailure' },
    ]);
    expect(asl.States.Close).toMatchObject({
      Next: 'Closed',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'RecordFailure' }],
    });
    expect(asl.States.Advance).toMatchObject({
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'RecordFailure' }],
    });
    expect(asl.States.RecordFailure).toMatchObject({ Next: 'RouteFailed' });
    expect(
      (asl.States.RecordFailure as unknown as { Parameters: { Payload: unknown } }).Parameters.Payload,
    ).toEqual({
      'dossierCode.$': '$.dossierCode',
      'attempt.$': '$.attempt',
      'error.$': '$.failure.Error',
      'cause.$': '$.failure.Cause',
    });
    expect(asl.States.RouteFailed).toMatchObject({ Type: 'Fail', Error: 'RouteFailed' });
  });

  it('retries on every task Lambda’s own failures and the function’s unexpected failure, never a decision', () => {
    const processor = (asl.States.Stage as unknown as { ItemProcessor: Asl }).ItemProcessor;
    const tasks = {
      ...Object.fromEntries(Object.entries(asl.States).filter(([, s]) => s.Type === 'Task')),
      ...Object.fromEntries(Object.entries(processor.States).filter(([, s]) => s.Type === 'Task')),
    };
    expect(Object.keys(tasks).sort()).toEqual(
      ['Advance', 'AwaitSupplement', 'Close', 'Decide', 'Overdue', 'RecordFailure'].sort(),
    );
    for (const [name, state] of Object.entries(tasks)) {
      const retries = (state as unknown as { Retry: { ErrorEquals: string[]; MaxAttempts: number }[] }).Retry;
      const errors = retries.flatMap((r) => r.ErrorEquals);
      expect(errors, name).toContain(taskErrors.failed);
      expect(errors, name).toContain('Lambda.TooManyRequestsException');
      for (const never of [
        'States.ALL',
        'States.TaskFailed',
        taskErrors.staleRun,
        ...Object.values(stepErrors),
      ]) {
        expect(errors, name).not.toContain(never);
      }
      expect(retries.find((r) => r.ErrorEquals.includes(taskErrors.failed))?.MaxAttempts, name).toBe(3);
    }
  });

  it('holds no randomness and no clock', () => {
    const text = JSON.stringify(asl);
    expect(text).not.toMatch(/States\.UUID|\$\$\.State\.EnteredTime|\$\$\.Execution\.StartTime|Timestamp/);
  });
});
