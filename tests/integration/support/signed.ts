// A partner's signed GET, as an agency's client makes it (SigV4, service execute-api), checked against the contract.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { assertContract } from './contract';

export async function signedFetch(
  gateway: string,
  path: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
) {
  const url = new URL(path, gateway);
  const signer = new SignatureV4({
    credentials,
    region: 'ap-southeast-1',
    service: 'execute-api',
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'GET',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host },
  });
  const response = await fetch(url, { headers: signed.headers });
  await assertContract('GET', path, response.clone());
  return response;
}
