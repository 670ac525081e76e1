// Reading why a DynamoDB transaction was cancelled, so callers can say which condition failed.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/** The indexes of the items whose condition failed, or undefined when the error is something else. */
export function failedConditions(error: unknown): number[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).flatMap((reason, index) =>
    reason.Code === 'ConditionalCheckFailed' ? [index] : [],
  );
}
