// Answers the gateway gives before any function runs; the CDK API stack maps API Gateway's response types to these.
import type { ErrorCode } from '../errors/registry';
export interface GatewayAnswer {
  status: number;
  code: ErrorCode;
  message: string;
  /**
   * API Gateway REST response types that carry this answer in the cloud; empty for answers only the local gateway
   * gives (malformed HTTP never reaches a REST API, and 405s come from the API's mock integrations).
   */
  apiGatewayTypes: string[];
}

export const gatewayAnswers = {
  routeNotFound: {
    status: 404,
    code: 'ROUTE_NOT_FOUND',
    // API Gateway gives one answer to an unknown path and to an unsigned call of an IAM route; so do we.
    message: 'No such route, or a partner route called without a SigV4 signature',
    apiGatewayTypes: ['RESOURCE_NOT_FOUND', 'MISSING_AUTHENTICATION_TOKEN'],
  },
  unauthenticated: {
    status: 401,
    code: 'UNAUTHENTICATED',
    message: 'A valid bearer token or SigV4 signature is required',
    apiGatewayTypes: ['UNAUTHORIZED'],
  },
  signatureRequired: {
    status: 401,
    code: 'SIGV4_REQUIRED',
    message:
      'This partner route needs an AWS SigV4 signature (Authorization: AWS4-HMAC-SHA256 …); bearer tokens are for citizen and staff routes',
    apiGatewayTypes: [],
  },
  invalidSignature: {
    status: 403,
    code: 'INVALID_SIGNATURE',
    message: 'The request signature does not match',
    apiGatewayTypes: ['INVALID_SIGNATURE', 'EXPIRED_TOKEN'],
  },
  accessDenied: {
    status: 403,
    code: 'ACCESS_DENIED',
    message: 'This principal may not call this route',
    apiGatewayTypes: ['ACCESS_DENIED', 'WAF_FILTERED'],
  },
  throttled: {
    status: 429,
    code: 'THROTTLED',
    message: 'Too many requests; slow down',
    apiGatewayTypes: ['THROTTLED', 'QUOTA_EXCEEDED'],
  },
  tooLarge: {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: 'The request is larger than the gateway accepts',
    apiGatewayTypes: ['REQUEST_TOO_LARGE'],
  },
  badRequest: {
    status: 400,
    code: 'VALIDATION_FAILED',
    message: 'The request does not match the route',
    apiGatewayTypes: ['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS'],
  },
  methodNotAllowed: {
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
    message: 'This method is not allowed here',
    apiGatewayTypes: [],
  },
  malformedRequest: {
    status: 400,
    code: 'MALFORMED_REQUEST',
    message: 'The request is not well-formed HTTP/1.1',
    apiGatewayTypes: [],
  },
  headersTooLarge: {
    status: 431,
    code: 'REQUEST_HEADERS_TOO_LARGE',
    message: 'The request line and headers may hold at most 16 KiB',
    apiGatewayTypes: [],
  },
  requestTimeout: {
    status: 408,
    code: 'REQUEST_TIMEOUT',
    message: 'The request did not arrive in time',
    apiGatewayTypes: [],
  },
  expectationFailed: {
    status: 417,
    code: 'EXPECTATION_FAILED',
    message: 'The only expectation understood is "Expect: 100-continue"',
    apiGatewayTypes: [],
  },
  upstreamFailed: {
    status: 502,
    code: 'UPSTREAM_FAILED',
    message: 'The function behind this route failed',
    apiGatewayTypes: ['DEFAULT_5XX'],
  },
} as const satisfies Record<string, GatewayAnswer>;

export function gatewayErrorBody(answer: GatewayAnswer, message = answer.message) {
  return JSON.stringify({ error: { code: answer.code, message } });
}
