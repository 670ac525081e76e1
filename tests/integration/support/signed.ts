// A partner's signed call, as an agency's client makes it (SigV4, service execute-api), checked against the contract.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { assertContract } from './contract';

export interface SignedInit {
  method?: 'GET' | 'POST';
  body?: unknown;
  headers?: Record<string, string>;
}

export async function signedFetch(
  gateway: string,
  path: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  init: SignedInit = {},
) {
  const url = new URL(path, gateway);
  const method = init.method ?? 'GET';
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const signer = new SignatureV4({
    credentials,
    region: 'ap-southeast-1',
    service: 'execute-api',
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: {
      host: url.host,
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(init.headers ?? {}),
    },
    ...(body ? { body } : {}),
  });
  const response = await fetch(url, { method, headers: signed.headers, ...(body ? { body } : {}) });
  await assertContract(method, url.pathname, response.clone());
  return response;
}
