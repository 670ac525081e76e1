import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { describe, expect, it } from 'vitest';
import {
  definitionFromTemplate,
  resolveDefinitionString,
  UnresolvedReferenceError,
} from '../../local/workflow/resolve';

const localArn = (name: string) => `arn:aws:lambda:ap-southeast-1:000000000000:function:${name}`;

describe('resolveDefinitionString', () => {
  it('joins literal parts with Ref, Fn::GetAtt and pseudo parameters', () => {
    const definitionString = {
      'Fn::Join': [
        '',
        [
          '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:',
          { Ref: 'AWS::Partition' },
          ':states:::lambda:invoke","Parameters":{"FunctionName":"',
          { 'Fn::GetAtt': ['AssignStep1234', 'Arn'] },
          '","Payload":{"table":"',
          { Ref: 'DossiersTable99' },
          '"}},"End":true}}}',
        ],
      ],
    };
    const asl = JSON.parse(
      resolveDefinitionString(definitionString, {
        resources: {
          AssignStep1234: localArn('motcua-assign-step'),
          DossiersTable99: 'motcua-local-dossiers',
        },
      }),
    );
    expect(asl.States.A.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(asl.States.A.Parameters).toEqual({
      FunctionName: localArn('motcua-assign-step'),
      Payload: { table: 'motcua-local-dossiers' },
    });
  });

  it('takes a named attribute from an entry with attributes', () => {
    const text = resolveDefinitionString(
      { 'Fn::Join': ['', ['{"q":"', { 'Fn::GetAtt': ['Queue1', 'QueueUrl'] }, '"}']] },
      { resources: { Queue1: { ref: 'q', attributes: { QueueUrl: 'http://127.0.0.1/q' } } } },
    );
    expect(JSON.parse(text)).toEqual({ q: 'http://127.0.0.1/q' });
  });

  it('names the logical id it has no local value for', () => {
    expect(() =>
      resolveDefinitionString({ 'Fn::Join': ['', [{ Ref: 'Missing1' }]] }, { resources: {} }),
    ).toThrow(new UnresolvedReferenceError('No local value for Ref Missing1'));
  });

  it('refuses a result that is not JSON', () => {
    expect(() => resolveDefinitionString('{"StartAt":', { resources: {} })).toThrow(SyntaxError);
  });
});

describe('definitionFromTemplate', () => {
  it('resolves the definition CDK synthesizes for a callback task into runnable ASL', () => {
    const app = new App();
    const stack = new Stack(app, 'Workflow', { env: { account: '123456789012', region: 'ap-southeast-1' } });
    const assign = new lambda.Function(stack, 'AssignStep', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => null;'),
    });
    const await_ = new tasks.LambdaInvoke(stack, 'AwaitDecision', {
      lambdaFunction: assign,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        taskToken: sfn.JsonPath.taskToken,
        step: sfn.JsonPath.objectAt('$.step'),
      }),
      taskTimeout: sfn.Timeout.at('$.timeoutSeconds'),
    });
    new sfn.StateMachine(stack, 'Route', {
      definitionBody: sfn.DefinitionBody.fromChainable(await_),
      timeout: Duration.days(365),
    });
    const template = Template.fromStack(stack).toJSON();
    const functionId = Object.keys(template.Resources).find(
      (id) => template.Resources[id].Type === 'AWS::Lambda::Function',
    )!;

    const asl = JSON.parse(
      definitionFromTemplate(template, { resources: { [functionId]: localArn('assign') } }),
    );
    const state = asl.States.AwaitDecision;
    expect(state.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(state.Parameters.FunctionName).toBe(localArn('assign'));
    expect(state.Parameters.Payload).toEqual({ 'taskToken.$': '$$.Task.Token', 'step.$': '$.step' });
    expect(state.TimeoutSecondsPath).toBe('$.timeoutSeconds');
    expect(asl.TimeoutSeconds).toBe(365 * 86_400);
  }, 60_000);
});
