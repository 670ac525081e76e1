// The workflow stack per environment: the deployed routing machine keeps the definition's conventions (callbacks,
// timeouts, the timeout caught first), logs and traces, and only the functions that must may start or answer runs.
import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { environmentNames } from '../../infra/config/environments';
import { routeFunctionName } from '../../infra/stacks/api-stack';
import { consumerFunctionName } from '../../infra/stacks/events-stack';
import { workflowExecutionAlarms } from '../../infra/stacks/monitoring-stack';
import { routingStateMachineName, workflowFunctionName } from '../../infra/stacks/workflow-stack';
import { definitionFromTemplate } from '../../local/workflow/resolve';
import { localRoutingDefinition } from '../../local/workflow/routing-machine';
import { cachedRoutingDefinition, localTaskFunctionName } from '../../local/workflow/routing-names';
import { type RoutingTaskKey, routingSweep, routingTasks } from '../../shared/workflow/tasks';
import { type SynthedEnv, synthForBlock } from './support';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
type State = Record<string, unknown> & { Type: string; Resource?: string };
type Asl = { StartAt: string; States: Record<string, State> };
const asArray = <T>(value: T | T[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const logicalId = (construct: IConstruct) => {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return element.stack.getLogicalId(element);
};
const resourcesOf = (template: Template) => template.toJSON().Resources as Record<string, Resource>;
const taskKeys = Object.keys(routingTasks) as RoutingTaskKey[];

/** Every state, those of the Map's item processor included. */
function allStates(asl: Asl): Record<string, State> {
  const states: Record<string, State> = {};
  const walk = (level: Record<string, State>) => {
    for (const [name, state] of Object.entries(level)) {
      states[name] = state;
      const inner = (state.ItemProcessor ?? state.Iterator) as Asl | undefined;
      if (inner) walk(inner.States);
    }
  };
  walk(asl.States);
  return states;
}

/**
 * The physical name of the function each IAM policy of `template` is attached to, with the policy's statements.
 * A policy on a role no function of its template runs as is reported with the role's logical id.
 */
function policiesByHolder(template: Template): { holder: string; statements: Statement[] }[] {
  const resources = resourcesOf(template);
  const holderOf = (roleRef: unknown) => {
    const roleId = (roleRef as { Ref?: string }).Ref ?? JSON.stringify(roleRef);
    const fn = Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        JSON.stringify(r.Properties.Role) === JSON.stringify({ 'Fn::GetAtt': [roleId, 'Arn'] }),
    );
    return (fn?.Properties.FunctionName as string | undefined) ?? `role ${roleId}`;
  };
  const found: { holder: string; statements: Statement[] }[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      const statements = (resource.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
      const roles = asArray(resource.Properties.Roles as unknown[]);
      if (roles.length === 0) found.push({ holder: `policy ${id}`, statements });
      for (const role of roles) found.push({ holder: holderOf(role), statements });
    }
    if (resource.Type === 'AWS::IAM::Role') {
      for (const inline of asArray(
        resource.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[],
      )) {
        found.push({ holder: holderOf({ Ref: id }), statements: inline.PolicyDocument.Statement });
      }
    }
  }
  return found;
}

describe.each(environmentNames)('the %s workflow stack', (envName) => {
  let env: SynthedEnv;
  synthForBlock(envName, (synthed) => {
    env = synthed;
  });

  const template = () => env.templateOf(env.workflow);
  const machine = () => resourcesOf(template())[logicalId(env.workflow.stateMachine)] as Resource;
  /** The deployed definition, its task functions resolved to their logical ids' physical names. */
  const deployedAsl = (): Asl =>
    JSON.parse(
      definitionFromTemplate(template().toJSON(), {
        region: env.config.region,
        resources: Object.fromEntries(
          taskKeys.map((key) => [
            logicalId(env.workflow.tasks[key].function),
            env.workflow.tasks[key].functionName,
          ]),
        ),
      }),
    ) as Asl;
  /** Physical names of the functions holding `action`, over every policy of every stack of the app. */
  const holdersOf = (action: string) =>
    [
      ...new Set(
        [...env.allTemplates().values()].flatMap((t) =>
          policiesByHolder(t)
            .filter(({ statements }) =>
              statements.some((s) => s.Effect === 'Allow' && asArray(s.Action).includes(action)),
            )
            .map(({ holder }) => holder),
        ),
      ),
    ].sort();

  it('runs one Standard state machine under its fixed name, traced, logging every event', () => {
    template().resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    expect(machine().Properties).toMatchObject({
      StateMachineName: routingStateMachineName(envName),
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        // No state input or output in logs: decisions and their reasons stay on the dossier.
        IncludeExecutionData: false,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { 'Fn::GetAtt': [logicalId(env.workflow.logGroup), 'Arn'] },
            },
          },
        ],
      },
    });
  });

  it('writes the machine’s logs to a KMS-encrypted log group with the configured retention', () => {
    const logs = resourcesOf(template())[logicalId(env.workflow.logGroup)] as Resource;
    expect(logs.Properties.KmsKeyId).toBeDefined();
    expect(logs.Properties.RetentionInDays).toBe(env.config.logRetention);
  });

  it('waits for an agency’s decision and for the applicant’s supplement with task tokens', () => {
    const states = allStates(deployedAsl());
    for (const name of ['Decide', 'AwaitSupplement']) {
      expect(states[name]?.Resource, name).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      expect((states[name]?.Parameters as Record<string, unknown> | undefined)?.Payload).toMatchObject({
        'taskToken.$': '$$.Task.Token',
      });
    }
  });

  it('times a decision out after its planned seconds and catches States.Timeout before anything else', () => {
    const decide = allStates(deployedAsl()).Decide as State & {
      Catch: { ErrorEquals: string[]; Next: string }[];
    };
    expect(decide.TimeoutSecondsPath).toBe('$.step.timeoutSeconds');
    expect(decide.Catch[0]).toMatchObject({ ErrorEquals: ['States.Timeout'], Next: 'Overdue' });
  });

  it('deploys exactly the definition the local workflow service runs', async () => {
    // The same tasks under their local names: any other difference is a definition the local stack does not run.
    const resources = Object.fromEntries(
      taskKeys.map((key) => {
        const name = localTaskFunctionName(key);
        return [
          logicalId(env.workflow.tasks[key].function),
          {
            ref: name,
            attributes: { Arn: `arn:aws:lambda:${env.config.region}:000000000000:function:${name}` },
          },
        ];
      }),
    );
    const deployed = JSON.parse(
      definitionFromTemplate(template().toJSON(), { region: env.config.region, resources }),
    ) as Asl;
    const local = JSON.parse(localRoutingDefinition(env.config.region)) as Asl;
    expect(Object.keys(allStates(deployed)).sort()).toEqual(Object.keys(allStates(local)).sort());
    expect(deployed).toEqual(local);
    // What the embedded stack loads (cached on disk by the content of its sources) is that same definition.
    expect(JSON.parse(await cachedRoutingDefinition(env.config.region))).toEqual(local);
  });

  it('builds one workflow-task function per task of shared/workflow/tasks.ts, granted only its uses', () => {
    expect(Object.keys(env.workflow.tasks)).toEqual(taskKeys);
    for (const key of taskKeys) {
      const fn = env.workflow.tasks[key];
      const task = routingTasks[key];
      expect(fn.kind).toBe('workflow-task');
      expect(fn.functionName).toBe(workflowFunctionName(envName, task.id));
      expect(Object.fromEntries(fn.resources)).toEqual({
        ...Object.fromEntries(Object.entries(task.uses).map(([id, access]) => [`table:${id}`, access])),
        // Only a task that answers its own token holds the callback actions, and nothing else on the machine.
        ...('answers' in task && task.answers ? { 'state-machine:routing': 'callback' } : {}),
      });
    }
    expect(taskKeys.filter((key) => 'answers' in routingTasks[key])).toEqual(['assign']);
  });

  it('runs the sweep on its schedule with its uses and both start and callback on the machine', () => {
    const sweep = env.workflow.sweep;
    expect(sweep.kind).toBe('schedule');
    expect(Object.fromEntries(sweep.resources)).toEqual({
      ...Object.fromEntries(Object.entries(routingSweep.uses).map(([id, access]) => [`table:${id}`, access])),
      'state-machine:routing': ['start', 'callback'],
    });
    template().hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: `rate(${routingSweep.everyMinutes} minutes)`,
    });
  });

  it('lets only the decision route, the applicant’s stop request, the resume consumer, the assign task and the sweep answer a waiting task', () => {
    const callers = [
      routeFunctionName(envName, 'decidePartnerTask'),
      routeFunctionName(envName, 'requestStop'),
      consumerFunctionName(envName, 'routing-resume'),
      workflowFunctionName(envName, routingTasks.assign.id),
      workflowFunctionName(envName, routingSweep.id),
    ].sort();
    for (const action of ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat']) {
      expect(holdersOf(action), action).toEqual(callers);
    }
  });

  it('lets only the routing starter, the re-drive route and the sweep start and describe runs', () => {
    const starters = [
      routeFunctionName(envName, 'redriveDossier'),
      consumerFunctionName(envName, 'routing-starter'),
      workflowFunctionName(envName, routingSweep.id),
    ].sort();
    expect(holdersOf('states:StartExecution')).toEqual(starters);
    expect(holdersOf('states:DescribeExecution')).toEqual(starters);
  });

  it('sets the machine’s ARN on every function that starts or answers runs, by name outside its stack', () => {
    const holders = new Set([...holdersOf('states:StartExecution'), ...holdersOf('states:SendTaskSuccess')]);
    for (const [, t] of env.allTemplates()) {
      for (const fn of Object.values(t.findResources('AWS::Lambda::Function'))) {
        const variables = (fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
        if (!holders.has(fn.Properties.FunctionName)) {
          expect(variables.ROUTING_STATE_MACHINE_ARN, fn.Properties.FunctionName).toBeUndefined();
          continue;
        }
        const arn = JSON.stringify(variables.ROUTING_STATE_MACHINE_ARN);
        if (fn.Properties.FunctionName === workflowFunctionName(envName, routingSweep.id)) {
          // The sweep lives beside the machine and refers to it directly.
          expect(variables.ROUTING_STATE_MACHINE_ARN).toEqual({ Ref: logicalId(env.workflow.stateMachine) });
          continue;
        }
        // Everything else, the assign task beside the machine included (the machine refers to it), goes by name.
        expect(arn, fn.Properties.FunctionName).toContain(
          `:stateMachine:${routingStateMachineName(envName)}`,
        );
        // No import of a workflow-stack output: the workflow stack can be replaced without an export in use.
        expect(arn).not.toContain('Fn::ImportValue');
        expect(arn).not.toContain('Fn::GetStackOutput');
      }
    }
    expect(Object.keys(template().toJSON().Outputs ?? {})).toEqual([]);
  });

  it('lets the machine’s role invoke the five task functions and no other function', () => {
    const role = env.workflow.stateMachine.role;
    const policy = role.node.tryFindChild('DefaultPolicy') as IConstruct;
    const statements = (
      (resourcesOf(template())[logicalId(policy)] as Resource).Properties.PolicyDocument as {
        Statement: Statement[];
      }
    ).Statement;
    const invoked = statements
      .filter((s) => asArray(s.Action).some((a) => a.startsWith('lambda:')))
      .flatMap((s) => {
        expect(asArray(s.Action)).toEqual(['lambda:InvokeFunction']);
        return asArray(s.Resource).map((r) => JSON.stringify(r));
      });
    const ids = taskKeys.map((key) => logicalId(env.workflow.tasks[key].function));
    const expected = ids.flatMap((id) => [
      JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] }),
      JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, ':*']] }),
    ]);
    expect(invoked.sort()).toEqual(expected.sort());
    // The machine's role holds nothing of Step Functions' callback or start actions either.
    expect(JSON.stringify(statements)).not.toContain('states:');
  });

  it('alarms the topic on failed, timed-out and aborted runs, overdue steps and dossiers left stuck', () => {
    const alarms = Object.values(env.templates.monitoring.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties as Record<string, unknown>,
    );
    const topic = { Ref: logicalId(env.monitoring.alarmTopic) };
    for (const metricName of workflowExecutionAlarms) {
      const alarm = alarms.find((a) => a.Namespace === 'AWS/States' && a.MetricName === metricName);
      expect(alarm, metricName).toMatchObject({ Statistic: 'Sum', Threshold: 1, AlarmActions: [topic] });
      const dimensions = alarm?.Dimensions as { Name: string; Value: unknown }[];
      expect(dimensions.map((d) => d.Name)).toEqual(['StateMachineArn']);
      expect(JSON.stringify(dimensions[0]?.Value)).toContain(
        `:stateMachine:${routingStateMachineName(envName)}`,
      );
    }
    expect(alarms.find((a) => a.MetricName === 'OverdueSteps')).toMatchObject({
      Namespace: 'motcua',
      Dimensions: [{ Name: 'service', Value: workflowFunctionName(envName, routingTasks.overdue.id) }],
      Threshold: 1,
      AlarmActions: [topic],
    });
    expect(alarms.find((a) => a.MetricName === 'NotificationsFailed')).toMatchObject({
      Namespace: 'motcua',
      Dimensions: [{ Name: 'service', Value: workflowFunctionName(envName, routingTasks.assign.id) }],
      Threshold: 1,
      AlarmActions: [topic],
    });
    // A dossier the sweep stopped re-driving calls an operator.
    expect(alarms.find((a) => a.MetricName === 'RoutingStuck')).toMatchObject({
      Namespace: 'motcua',
      Dimensions: [{ Name: 'service', Value: workflowFunctionName(envName, routingSweep.id) }],
      Threshold: 1,
      AlarmActions: [topic],
    });
  });

  it('passes cdk-nag (AwsSolutions) with every acknowledgement reasoned', () => {
    const report = env.nagPack?.validateScope(env.workflow);
    expect(
      report?.violations.map((v) => `${v.ruleName} at ${v.violatingResources[0]?.constructPath}`),
    ).toEqual([]);
    expect(report?.success).toBe(true);
  });
});
