// The DynamoDB client, created once per process; the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let documentClient: DynamoDBDocumentClient | undefined;

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 4 }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return documentClient;
}

/** A process that starts a second embedded stack (the benches) points the client at the new endpoints. */
export function resetDynamoClientForTests() {
  documentClient = undefined;
}
