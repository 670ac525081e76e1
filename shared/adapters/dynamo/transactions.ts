// Reading why a DynamoDB transaction was cancelled, so callers can say which item lost.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

// DynamoDB cancels with TransactionConflict when another transaction holds the same item: for our writes that is
// the same race as a failed condition (someone else moved it first), so both count. DynamoDB Local reports only
// ConditionalCheckFailed, so the conflict branch is exercised by unit tests of this function alone.
const lostRace = new Set(['ConditionalCheckFailed', 'TransactionConflict']);

/** The indexes of the items that lost (condition failed or conflicted), or undefined for any other error. */
export function failedConditions(error: unknown): number[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).flatMap((reason, index) =>
    lostRace.has(reason.Code ?? '') ? [index] : [],
  );
}
