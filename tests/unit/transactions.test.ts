import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { failedConditions } from '../../shared/adapters/dynamo/transactions';

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('failedConditions', () => {
  it('names the items whose condition failed or that another transaction held', () => {
    expect(failedConditions(cancelled('None', 'ConditionalCheckFailed', 'TransactionConflict'))).toEqual([
      1, 2,
    ]);
  });

  it('ignores other cancellation reasons and other errors', () => {
    expect(failedConditions(cancelled('ThrottlingError', 'None'))).toEqual([]);
    expect(failedConditions(new Error('boom'))).toBeUndefined();
  });
});
