// The routing state machine for the embedded stack: the definition `routingDefinition` builds (the one the workflow
// stack deploys), synthesized by CDK in memory and resolved to local function names, which the invoker maps to the
// task handlers of shared/workflow/tasks.ts. The embedded stack reads it through routing-names.ts's cache.
import { App, Stack } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { type RoutingFunctions, routingDefinition } from '../../infra/workflow/routing-definition';
import { type RoutingTaskKey, routingTasks } from '../../shared/workflow/tasks';
import { definitionFromTemplate } from './resolve';
import { localTaskFunctionName } from './routing-names';

/** The routing definition as ASL whose Lambda tasks name `motcua-local-routing-<task>`. */
export function localRoutingDefinition(region: string): string {
  const app = new App();
  const stack = new Stack(app, 'LocalRouting', { env: { account: '000000000000', region } });
  const keys = Object.keys(routingTasks) as RoutingTaskKey[];
  const functions = Object.fromEntries(
    keys.map((key) => [
      key,
      new LambdaFunction(stack, `${routingTasks[key].id}`, {
        functionName: localTaskFunctionName(key),
        runtime: Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: Code.fromInline('exports.handler = async () => null'),
      }),
    ]),
  ) as unknown as RoutingFunctions & Record<RoutingTaskKey, LambdaFunction>;
  new StateMachine(stack, 'Routing', { definitionBody: routingDefinition(stack, functions) });
  const template = app.synth().getStackByName(stack.stackName).template as Parameters<
    typeof definitionFromTemplate
  >[0];
  const resources = Object.fromEntries(
    keys.map((key) => {
      const logicalId = stack.getLogicalId(functions[key].node.defaultChild as never);
      const name = localTaskFunctionName(key);
      return [
        logicalId,
        { ref: name, attributes: { Arn: `arn:aws:lambda:${region}:000000000000:function:${name}` } },
      ];
    }),
  );
  return definitionFromTemplate(template, { resources, region });
}
