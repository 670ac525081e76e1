// An error the workflow service answers with: AWS's error type (the SDK maps it to its exception class).
export type SfnErrorType =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'InvalidArn'
  | 'InvalidDefinition'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'StateMachineAlreadyExists'
  | 'StateMachineDoesNotExist'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'ValidationException'
  | 'UnknownOperationException'
  | 'SerializationException'
  | 'InternalFailure';

export class SfnError extends Error {
  constructor(
    readonly type: SfnErrorType,
    message: string,
    readonly status = type === 'InternalFailure' ? 500 : 400,
  ) {
    super(message);
    this.name = type;
  }
}
