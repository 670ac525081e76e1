import { describe, expect, it } from 'vitest';
import {
  AWS_DEFAULT_TASK_TIMEOUT_SECONDS,
  HIDDEN,
  INTERPRETER_TIMER_CAP_SECONDS,
  LOCAL_WAIT_RESOURCE,
  parseDefinition,
  prepareDefinition,
} from '../../local/workflow/definition';
import { SfnError } from '../../local/workflow/errors';

const callback = (extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: 'f', Payload: { 'taskToken.$': '$$.Task.Token' } },
  End: true,
  ...extra,
});

const states = (prepared: ReturnType<typeof prepareDefinition>) =>
  prepared.runnable.States as unknown as Record<string, Record<string, unknown>>;

describe('prepareDefinition', () => {
  it('moves TimeoutSecondsPath into Parameters so it is read from the state input, as on AWS', () => {
    const prepared = prepareDefinition(
      parseDefinition({ StartAt: 'T', States: { T: callback({ TimeoutSecondsPath: '$.timeoutSeconds' }) } }),
    );
    const task = states(prepared).T!;
    expect(task.TimeoutSecondsPath).toBeUndefined();
    expect(task.Parameters).toMatchObject({ [`${HIDDEN.timeout}.$`]: '$.timeoutSeconds', FunctionName: 'f' });
  });

  it('wraps the input of a task without Parameters when it must add a hidden path', () => {
    const prepared = prepareDefinition(
      parseDefinition({
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            HeartbeatSecondsPath: '$.hb',
            End: true,
          },
        },
      }),
    );
    expect(states(prepared).T!.Parameters).toEqual({
      [`${HIDDEN.input}.$`]: '$',
      [`${HIDDEN.heartbeat}.$`]: '$.hb',
    });
    expect(prepared.tasks.get('T')?.wrapsInput).toBe(true);
  });

  it("caps the interpreter's own task timer below the Node timer overflow and keeps the declared timeout", () => {
    const prepared = prepareDefinition(
      parseDefinition({
        StartAt: 'T',
        States: { T: callback({ TimeoutSeconds: AWS_DEFAULT_TASK_TIMEOUT_SECONDS }) },
      }),
    );
    expect(states(prepared).T!.TimeoutSeconds).toBe(INTERPRETER_TIMER_CAP_SECONDS);
    expect(prepared.tasks.get('T')?.timeoutSeconds).toBe(AWS_DEFAULT_TASK_TIMEOUT_SECONDS);
  });

  it('lets a States.Timeout catcher also match a heartbeat timeout', () => {
    const prepared = prepareDefinition(
      parseDefinition({
        StartAt: 'T',
        States: {
          T: callback({
            Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Late' }],
            End: undefined,
            Next: 'Done',
          }),
          Late: { Type: 'Succeed' },
          Done: { Type: 'Succeed' },
        },
      }),
    );
    expect(states(prepared).T!.Catch).toEqual([
      { ErrorEquals: ['States.Timeout', 'States.HeartbeatTimeout'], Next: 'Late' },
    ]);
  });

  it('turns a Wait state into a task the service times, keeping its paths', () => {
    const prepared = prepareDefinition(
      parseDefinition({
        StartAt: 'W',
        States: {
          W: { Type: 'Wait', SecondsPath: '$.s', InputPath: '$.x', Next: 'Done' },
          Done: { Type: 'Succeed' },
        },
      }),
    );
    expect(states(prepared).W).toMatchObject({
      Type: 'Task',
      Resource: LOCAL_WAIT_RESOURCE,
      InputPath: '$.x',
      Next: 'Done',
      Parameters: { [`${HIDDEN.input}.$`]: '$', [`${HIDDEN.waitSeconds}.$`]: '$.s' },
    });
    expect(prepared.waitStates.has('W')).toBe(true);
  });

  it('reads the execution input and start time from the service context inside Map iterations', () => {
    const prepared = prepareDefinition(
      parseDefinition({
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemProcessor: {
              StartAt: 'T',
              States: {
                T: callback({
                  Parameters: { FunctionName: 'f', Payload: { 'code.$': '$$.Execution.Input.dossierCode' } },
                }),
              },
            },
            End: true,
          },
        },
      }),
    );
    const processor = states(prepared).M!.ItemProcessor as {
      States: Record<string, { Parameters: unknown }>;
    };
    expect(processor.States.T!.Parameters).toEqual({
      FunctionName: 'f',
      Payload: { 'code.$': '$$.Local.ExecutionInput.dossierCode' },
    });
    expect(prepared.tasks.has('T')).toBe(true);
  });

  it('refuses a Map with MaxConcurrency, which the interpreter does not stop after a failure', () => {
    const definition = parseDefinition({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemProcessor: { StartAt: 'T', States: { T: callback() } },
          End: true,
        },
      },
    });
    expect(() => prepareDefinition(definition)).toThrow(SfnError);
    expect(() => prepareDefinition(definition, { allowMapMaxConcurrency: true })).not.toThrow();
  });

  it('takes the top-level TimeoutSeconds away from the interpreter to enforce it durably', () => {
    const prepared = prepareDefinition(
      parseDefinition({ StartAt: 'T', TimeoutSeconds: 31_536_000, States: { T: callback() } }),
    );
    expect(prepared.executionTimeoutSeconds).toBe(31_536_000);
    expect((prepared.runnable as { TimeoutSeconds?: number }).TimeoutSeconds).toBeUndefined();
  });

  it('refuses JSONata and malformed definitions', () => {
    expect(() => parseDefinition('{"QueryLanguage":"JSONata","StartAt":"A","States":{}}')).toThrow(SfnError);
    expect(() => parseDefinition('{')).toThrow(SfnError);
  });
});
