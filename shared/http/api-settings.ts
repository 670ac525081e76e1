// Settings of the API itself that the CDK API stack and the local gateway must share.

/**
 * Every media type is binary: API Gateway then passes request bodies base64-encoded (the middleware decodes them)
 * and returns `isBase64Encoded` responses (PDF forms) as bytes whatever the client's Accept header says. With a
 * narrower list, a client whose first Accept type is not listed would get the PDF as base64 text.
 */
export const binaryMediaTypes = ['*/*'];

/** API Gateway's own payload limit. */
export const maxRequestBytes = 10 * 1024 * 1024;
