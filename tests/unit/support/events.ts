// Builds API Gateway REST (v1) proxy events and Lambda contexts for handler-level unit tests.
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

export function event(
  overrides: Partial<APIGatewayProxyEvent> & { claims?: Record<string, string>; userArn?: string } = {},
) {
  const { claims, userArn, ...rest } = overrides;
  return {
    resource: '/',
    path: '/',
    httpMethod: 'GET',
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      authorizer: claims ? { claims } : null,
      identity: { sourceIp: '127.0.0.1', userArn: userArn ?? null },
    },
    ...rest,
  } as unknown as APIGatewayProxyEvent;
}

export const context = {
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;
