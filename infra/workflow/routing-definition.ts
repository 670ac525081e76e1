// The one routing workflow, generic over routes (ARCHITECTURE.md §3): it never names a procedure, an agency or a
// stage count. Written so the same definition runs on Step Functions and on the local workflow service:
// - stages are a loop: `Advance` (a task) records the hand-off and returns the next stage's steps, `StageLeft`
//   (a Choice) ends the run when none is left; no outer Map, so a rejection stops before any later stage starts;
// - the steps of a stage are an inner Map of callback tasks, everything a step needs passed by the ItemSelector;
// - the run starts at the input's `next` stage, so it can be re-driven from the dossier's recorded progress;
// - a step's timeout comes from the plan (`step.timeoutSeconds`), `States.Timeout` is caught before anything else;
// - nothing random, no clock in the definition: a replay takes the same path;
// - every task retries an unexpected failure of its function (`Motcua.TaskFailed`) with backoff; what still fails is
//   caught (after the agencies' own errors) by `RecordFailure`, which marks the dossier, and the run fails: the sweep
//   re-drives it from the dossier's progress, a few times, then reports it stuck to an operator.
//
// State data: `{ dossierCode, attempt, next }` in, `Advance` adds `{ stage, steps, done }`.
// Transitions for a two-stage route of one then two steps: 12 (Advance, StageLeft, Stage, Decide, Advance,
// StageLeft, Stage, Decide ×2, Advance, StageLeft, Routed).
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  DefinitionBody,
  Errors,
  Fail,
  IntegrationPattern,
  JsonPath,
  Map as MapState,
  Succeed,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { taskErrors } from '../../shared/workflow/tasks';

/** Errors an agency's decision or the applicant ends a step with (SendTaskFailure's `error`). */
export const stepErrors = {
  rejected: 'Rejected',
  stopped: 'Stopped',
  supplementRequested: 'SupplementRequested',
} as const;

export interface RoutingFunctions {
  /** Records the finished stage (form 06 hand-off), returns the next stage's steps with their timeouts or done. */
  advance: IFunction;
  /** Callback: records the assignment with its token and due time, notifies the agency. */
  assign: IFunction;
  /** A step ran past its due time: flags the dossier overdue, issues form 04, returns the step's new timeout. */
  overdue: IFunction;
  /** Callback: the dossier waits for the applicant's supplement; the supplement's arrival returns the step. */
  awaitSupplement: IFunction;
  /** The route ended in a rejection or a stop: moves the dossier to REJECTED or STOPPED with its reason. */
  close: IFunction;
  /** A task still failed after its retries: the dossier records the failure (the sweep re-drives it). */
  fail: IFunction;
}

const stepPayload = {
  dossierCode: JsonPath.stringAt('$.dossierCode'),
  attempt: JsonPath.numberAt('$.attempt'),
  stage: JsonPath.numberAt('$.stage'),
  step: JsonPath.objectAt('$.step'),
};

/** What Close and RecordFailure take: the run, and the error the definition caught with its cause. */
const failurePayload = TaskInput.fromObject({
  dossierCode: JsonPath.stringAt('$.dossierCode'),
  attempt: JsonPath.numberAt('$.attempt'),
  error: JsonPath.stringAt('$.failure.Error'),
  cause: JsonPath.stringAt('$.failure.Cause'),
});

// Lambda's own transient failures are retried, and so is a task function's unexpected failure (its wrapper names it
// `Motcua.TaskFailed`); CDK's default retry would also retry a stale run and the agencies' decisions.
function invoke(
  scope: Construct,
  id: string,
  fn: IFunction,
  props: Omit<ConstructorParameters<typeof LambdaInvoke>[2], 'lambdaFunction'>,
) {
  const task = new LambdaInvoke(scope, id, { lambdaFunction: fn, retryOnServiceExceptions: false, ...props });
  task.addRetry({
    errors: [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ],
    interval: Duration.seconds(2),
    maxAttempts: 5,
    backoffRate: 2,
  });
  task.addRetry({
    errors: [taskErrors.failed],
    interval: Duration.seconds(2),
    maxAttempts: 3,
    backoffRate: 2,
  });
  return task;
}

export function routingDefinition(scope: Construct, fns: RoutingFunctions): DefinitionBody {
  const recordFailure = invoke(scope, 'RecordFailure', fns.fail, {
    payload: failurePayload,
    resultPath: JsonPath.DISCARD,
  });
  recordFailure.next(
    new Fail(scope, 'RouteFailed', { error: 'RouteFailed', cause: 'A routing task failed' }),
  );
  const onFailure = { errors: [Errors.ALL], resultPath: '$.failure' };

  const advance = invoke(scope, 'Advance', fns.advance, {
    payload: TaskInput.fromObject({
      dossierCode: JsonPath.stringAt('$.dossierCode'),
      attempt: JsonPath.numberAt('$.attempt'),
      next: JsonPath.numberAt('$.next'),
    }),
    payloadResponseOnly: true,
  });

  const decide = invoke(scope, 'Decide', fns.assign, {
    integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: TaskInput.fromObject({ taskToken: JsonPath.taskToken, ...stepPayload }),
    taskTimeout: Timeout.at('$.step.timeoutSeconds'),
    resultPath: JsonPath.DISCARD,
  });
  const overdue = invoke(scope, 'Overdue', fns.overdue, {
    payload: TaskInput.fromObject(stepPayload),
    payloadResponseOnly: true,
    resultPath: '$.step',
  });
  const awaitSupplement = invoke(scope, 'AwaitSupplement', fns.awaitSupplement, {
    integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: TaskInput.fromObject({ taskToken: JsonPath.taskToken, ...stepPayload }),
    resultPath: '$.step',
  });
  // Timeout first: a timeout also matches States.TaskFailed on some interpreters (FACTS.md, trap 8).
  decide.addCatch(overdue, { errors: [Errors.TIMEOUT], resultPath: '$.timedOut' });
  decide.addCatch(awaitSupplement, { errors: [stepErrors.supplementRequested], resultPath: '$.supplement' });
  overdue.next(decide);
  awaitSupplement.next(decide);

  const stage = new MapState(scope, 'Stage', {
    itemsPath: '$.steps',
    maxConcurrency: 0,
    itemSelector: {
      dossierCode: JsonPath.stringAt('$.dossierCode'),
      attempt: JsonPath.numberAt('$.attempt'),
      stage: JsonPath.numberAt('$.stage'),
      step: JsonPath.objectAt('$$.Map.Item.Value'),
    },
    resultPath: JsonPath.DISCARD,
  });
  stage.itemProcessor(decide);

  const close = invoke(scope, 'Close', fns.close, {
    payload: failurePayload,
    resultPath: JsonPath.DISCARD,
  });
  close.next(new Succeed(scope, 'Closed'));
  close.addCatch(recordFailure, onFailure);
  stage.addCatch(close, { errors: [stepErrors.rejected, stepErrors.stopped], resultPath: '$.failure' });
  stage.addCatch(recordFailure, onFailure);
  stage.next(advance);
  advance.addCatch(recordFailure, onFailure);

  const stageLeft = new Choice(scope, 'StageLeft')
    .when(Condition.booleanEquals('$.done', true), new Succeed(scope, 'Routed'))
    .otherwise(stage);
  advance.next(stageLeft);
  return DefinitionBody.fromChainable(advance);
}
