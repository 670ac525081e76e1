// The S3 client, created once per process; the endpoint comes from AWS_ENDPOINT_URL_S3 when set.
import { S3Client } from '@aws-sdk/client-s3';

let s3Client: S3Client | undefined;

export function s3(): S3Client {
  // Path-style addressing is a deployment setting (S3 emulators need it), not a code path.
  s3Client ??= new S3Client({
    forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return s3Client;
}

/** A process that starts a second embedded stack (the benches) points the client at the new endpoints. */
export function resetS3ClientForTests() {
  s3Client = undefined;
}
