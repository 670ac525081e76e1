// Reference for the cold-start benchmark: a bare middy handler with the DynamoDB document client and nothing else.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = middy().handler(async () => {
  const { Item } = await client.send(new GetCommand({ TableName: 'reference', Key: { pk: 'x' } }));
  return { statusCode: 200, body: JSON.stringify(Item ?? {}) };
});
