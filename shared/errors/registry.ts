// Every error code the platform answers, once: its HTTP status and what it means. The error classes, the gateway's
// own answers and the OpenAPI document read this list, so no code is used unregistered or with two statuses.
export const errorRegistry = {
  VALIDATION_FAILED: {
    status: 400,
    meaning: 'The request does not match its schema; details name each field',
  },
  MALFORMED_JSON: { status: 400, meaning: 'The body is not valid JSON' },
  MALFORMED_REQUEST: { status: 400, meaning: 'The HTTP request itself could not be parsed' },
  UNEXPECTED_BODY: { status: 400, meaning: 'This route takes no body' },
  INVALID_CURSOR: { status: 400, meaning: 'The page cursor is not one this list gave out' },
  INVALID_DOCUMENTS: { status: 400, meaning: 'A referenced document is unknown, not verified, or not yours' },
  UNKNOWN_PROCEDURE: { status: 400, meaning: 'No procedure with this code in the catalogue' },
  UNKNOWN_BRANCH: { status: 400, meaning: 'No branch with this code' },
  UNKNOWN_REQUIREMENT: { status: 400, meaning: 'The procedure asks for no document with this id' },
  TYPE_NOT_ACCEPTED: { status: 400, meaning: 'This file type is not accepted for the document' },
  UPLOAD_REJECTED: { status: 400, meaning: 'The uploaded bytes do not match what was declared' },
  UPLOAD_NOT_RECEIVED: { status: 409, meaning: 'Nothing was uploaded to the presigned URL yet' },
  IDENTITY_NOT_VERIFIED: {
    status: 403,
    meaning: 'Online filing needs an account with a verified citizen ID',
  },
  UNAUTHENTICATED: { status: 401, meaning: 'No valid bearer token' },
  SIGV4_REQUIRED: {
    status: 401,
    meaning: 'A partner route needs an AWS SigV4 signature, not a bearer token',
  },
  EXPIRED_TOKEN: { status: 401, meaning: 'The token has expired' },
  FORBIDDEN: { status: 403, meaning: 'The caller lacks the role or scope for this' },
  OUT_OF_SCOPE: { status: 403, meaning: "The unit is outside the caller's supervision scope" },
  ACCESS_DENIED: { status: 403, meaning: 'The caller is not allowed on this route' },
  INVALID_SIGNATURE: { status: 403, meaning: 'The SigV4 signature does not match the request' },
  APPLICANT_MISMATCH: { status: 403, meaning: 'An online applicant must be the signed-in citizen' },
  NO_BRANCH: { status: 403, meaning: 'Counter uploads need an officer scoped to a branch' },
  OUTSIDE_BRANCH: { status: 403, meaning: 'An officer files only at their own branch' },
  NO_BRANCH_SCOPE: { status: 403, meaning: 'This needs a staff account scoped to a branch' },
  NOT_FOUND: { status: 404, meaning: 'No such object' },
  ROUTE_NOT_FOUND: { status: 404, meaning: 'No such route (also an unsigned call of a partner route)' },
  DOSSIER_NOT_FOUND: { status: 404, meaning: 'No such dossier, or not one the caller may see' },
  PROCEDURE_NOT_FOUND: { status: 404, meaning: 'No such procedure or version' },
  AGENCY_NOT_FOUND: { status: 404, meaning: 'No such agency' },
  UPLOAD_NOT_FOUND: { status: 404, meaning: 'No such upload, or not one the caller made' },
  TASK_NOT_FOUND: { status: 404, meaning: "No such task, or not one of the calling agency's" },
  REFUND_NOT_FOUND: { status: 404, meaning: 'No such refund of this dossier' },
  PAYMENT_NOT_FOUND: { status: 404, meaning: 'No such payment of this dossier' },
  FORM_NOT_ISSUED: { status: 404, meaning: 'This form has not been issued for the dossier' },
  RECEIPT_NOT_FOUND: { status: 404, meaning: 'No e-receipt of this number was issued for the dossier' },
  METHOD_NOT_ALLOWED: { status: 405, meaning: 'The route exists, but not with this method; see Allow' },
  REQUEST_TIMEOUT: { status: 408, meaning: 'The request was not received in time' },
  CONFLICT: { status: 409, meaning: 'The object is not in a state that allows this' },
  INVALID_TRANSITION: { status: 409, meaning: 'The dossier cannot make this move from its current status' },
  VERSION_CONFLICT: { status: 409, meaning: 'The object changed meanwhile; reload and retry' },
  TASK_CLOSED: {
    status: 409,
    meaning: 'The task was already decided, or its step no longer awaits a decision',
  },
  TASK_EXPIRED: {
    status: 409,
    meaning:
      'The route this task belonged to has ended (rejected, stopped or withdrawn); nothing can be decided',
  },
  NOTHING_TO_PAY: {
    status: 409,
    meaning: 'The dossier owes nothing now: free, fully relieved or exempt, or closed without a result',
  },
  ALREADY_PAID: { status: 409, meaning: "The dossier's fees are paid" },
  PAYMENT_PENDING: { status: 409, meaning: 'A payment of this dossier is open; finish or wait for it' },
  NOTHING_TO_REFUND: { status: 409, meaning: 'Nothing is due back on this dossier' },
  REFUND_PENDING: { status: 409, meaning: 'A refund of this dossier awaits the provider’s answer' },
  REFUND_SETTLED: { status: 409, meaning: 'The provider already answered this refund' },
  PAYMENT_SETTLED: { status: 409, meaning: 'The provider already gave its verdict on this payment' },
  NO_RESULT: {
    status: 409,
    meaning: 'The dossier has no result to release yet, or none ever (refused or withdrawn)',
  },
  RESULT_NOT_RELEASED: {
    status: 409,
    meaning: 'The result is held until the fees due before release are paid',
  },
  ALREADY_RETURNED: { status: 409, meaning: 'The result was already returned to the applicant' },
  NOT_ELECTRONIC: { status: 409, meaning: 'The result has no electronic documents: it is returned on paper' },
  NOT_DISPATCHED: {
    status: 409,
    meaning: 'A paper result is delivered by post once its dispatch is recorded',
  },
  ALREADY_RATED: { status: 409, meaning: 'The applicant already rated this dossier' },
  NOT_ENDED: { status: 409, meaning: 'A dossier is rated once it has ended: returned, rejected or stopped' },
  UPLOAD_ALREADY_SETTLED: { status: 409, meaning: 'The upload was already verified or rejected' },
  UPLOAD_EXISTS: { status: 409, meaning: 'An upload with this id exists' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'The body is larger than the route accepts' },
  FILE_TOO_LARGE: { status: 413, meaning: 'The declared file is larger than the document allows' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'The body is not application/json' },
  EXPECTATION_FAILED: { status: 417, meaning: 'An Expect header the gateway does not support' },
  REQUEST_HEADERS_TOO_LARGE: { status: 431, meaning: 'The request headers are over 16 KB' },
  RESULT_UPLOAD_INVALID: {
    status: 422,
    meaning: 'A result document of the decision is not a verified upload of the deciding agency',
  },
  FORWARD_NOT_ALLOWED: {
    status: 422,
    meaning:
      'The step cannot be forwarded to this agency: its route allows no forward, or not to it, or it holds the step already',
  },
  AUTHORIZATION_REQUIRED: {
    status: 422,
    meaning: 'Someone other than the applicant collects a result only on a written authorization',
  },
  IDEMPOTENCY_KEY_REUSED: { status: 422, meaning: 'This Idempotency-Key was used with another request' },
  INCOMPLETE_DOSSIER: { status: 422, meaning: 'Documents or answers the procedure requires are missing' },
  REGISTER_PERIOD_TOO_LONG: {
    status: 422,
    meaning: 'A register extract covers days of one calendar year (its book); ask for each year apart',
  },
  REGISTER_TOO_LARGE: {
    status: 422,
    meaning: 'More dossiers than one register extract holds; ask for a shorter period',
  },
  STATS_PERIOD_TOO_LONG: {
    status: 422,
    meaning: 'Statistics cover at most 366 days at a time; ask for a shorter period',
  },
  THROTTLED: { status: 429, meaning: 'Too many requests; retry after Retry-After' },
  INTERNAL: { status: 500, meaning: 'A fault on our side; it is logged' },
  CONFIG_MISSING: { status: 500, meaning: 'A function started without a required setting' },
  UPSTREAM_FAILED: { status: 502, meaning: 'The function behind the route failed' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof errorRegistry;
/** The codes registered with one status: an error class can only raise the codes of its own status. */
export type CodeOf<S extends number> = {
  [C in ErrorCode]: (typeof errorRegistry)[C]['status'] extends S ? C : never;
}[ErrorCode];
