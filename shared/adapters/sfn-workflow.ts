// The routing run on Step Functions (the local workflow service on the embedded stack, through AWS_ENDPOINT_URL_SFN).
// StartExecution is idempotent for a name and the same input while the run is open: AWS answers the existing run.
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type {
  CallbackOutcome,
  RoutingInput,
  WorkflowCallbacks,
  WorkflowRuns,
  WorkflowStarter,
} from '../ports/workflow';

let client: SFNClient | undefined;
const sfn = () => {
  client ??= new SFNClient({ maxAttempts: 4 });
  return client;
};

export function stepFunctionsWorkflow(
  stateMachineArn: string,
  sfnClient: SFNClient = sfn(),
): WorkflowStarter & WorkflowRuns {
  const executionArn = (name: string) =>
    `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  return {
    async start(name: string, input: RoutingInput) {
      const body = JSON.stringify(input);
      try {
        // New, or the open run of this name and input (a redelivered event): either way it runs.
        await sfnClient.send(new StartExecutionCommand({ stateMachineArn, name, input: body }));
        return 'started';
      } catch (error) {
        if (!(error instanceof ExecutionAlreadyExists)) throw error;
        // A closed run of this name: started once already (the name is never reused for another run).
        const earlier = await sfnClient.send(
          new DescribeExecutionCommand({ executionArn: executionArn(name) }),
        );
        if (earlier.input === body) return 'already-started';
        throw new Error(`run ${name} exists with another input`);
      }
    },
    async status(name: string) {
      try {
        const run = await sfnClient.send(new DescribeExecutionCommand({ executionArn: executionArn(name) }));
        // PENDING_REDRIVE (AWS's own redrive of a failed run) is not running yet: ours re-drives as a new run.
        return run.status === 'PENDING_REDRIVE' ? 'FAILED' : (run.status ?? 'MISSING');
      } catch (error) {
        if (error instanceof ExecutionDoesNotExist) return 'MISSING';
        throw error;
      }
    },
  };
}

// The token is not one the workflow waits on any more: the step timed out (and waits under a new token), or its
// run ended. Anything else (throttling, the network) throws, so the caller's retry or the sweep sends it again.
async function answered(send: () => Promise<unknown>): Promise<CallbackOutcome> {
  try {
    await send();
    return 'sent';
  } catch (error) {
    if (error instanceof TaskDoesNotExist || error instanceof TaskTimedOut || error instanceof InvalidToken) {
      return 'token-invalid';
    }
    throw error;
  }
}

export function stepFunctionsCallbacks(sfnClient: SFNClient = sfn()): WorkflowCallbacks {
  return {
    succeed: (token, output) =>
      answered(() =>
        sfnClient.send(
          new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output ?? {}) }),
        ),
      ),
    fail: (token, error, cause) =>
      answered(() => sfnClient.send(new SendTaskFailureCommand({ taskToken: token, error, cause }))),
  };
}
