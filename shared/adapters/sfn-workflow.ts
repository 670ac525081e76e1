// The routing run on Step Functions (the local workflow service on the embedded stack, through AWS_ENDPOINT_URL_SFN).
// StartExecution is idempotent for a name and the same input while the run is open: AWS answers the existing run.
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { RoutingInput, WorkflowStarter } from '../ports/workflow';

let client: SFNClient | undefined;
const sfn = () => {
  client ??= new SFNClient({ maxAttempts: 4 });
  return client;
};

export function stepFunctionsWorkflow(
  stateMachineArn: string,
  sfnClient: SFNClient = sfn(),
): WorkflowStarter {
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
  };
}
