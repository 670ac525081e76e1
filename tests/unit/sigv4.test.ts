import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { type PartnerCredential, verifySigV4 } from '../../local/sigv4';

const credential: PartnerCredential = {
  accessKeyId: 'AKIALOCALTEST0000001',
  secretAccessKey: 'test-secret',
  principalArn: 'arn:aws:iam::000000000000:user/partner-test',
};
const options = { region: 'ap-southeast-1', service: 'execute-api' };

// Signs with the AWS SDK's own signer, so the verifier is checked against the real client behaviour.
async function signed(input: {
  method?: string;
  path: string;
  query?: Record<string, string>;
  body?: string;
  secret?: string;
  at?: Date;
}) {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: credential.accessKeyId,
      secretAccessKey: input.secret ?? credential.secretAccessKey,
    },
    region: options.region,
    service: options.service,
    sha256: Sha256,
  });
  const request = await signer.sign(
    {
      method: input.method ?? 'GET',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 3000,
      path: input.path,
      query: input.query ?? {},
      headers: { host: '127.0.0.1:3000', 'content-type': 'application/json' },
      ...(input.body ? { body: input.body } : {}),
    },
    input.at ? { signingDate: input.at } : {},
  );
  const rawQuery = new URLSearchParams(input.query ?? {}).toString();
  return {
    method: request.method,
    rawPath: input.path,
    rawQuery,
    headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
    body: Buffer.from(input.body ?? ''),
  };
}

describe('verifySigV4', () => {
  it('accepts a request signed by the AWS SDK signer', async () => {
    const request = await signed({ path: '/v1/partner/profile', query: { limit: '5', q: 'khai sinh' } });
    expect(verifySigV4(request, [credential], options)).toEqual({
      ok: true,
      principalArn: credential.principalArn,
      accessKeyId: credential.accessKeyId,
    });
  });

  it('accepts a signed POST body', async () => {
    const request = await signed({
      method: 'POST',
      path: '/v1/partner/tasks/abc/decision',
      body: '{"decision":"approve"}',
    });
    expect(verifySigV4(request, [credential], options).ok).toBe(true);
  });

  it('refuses a tampered body', async () => {
    const request = await signed({ method: 'POST', path: '/v1/x', body: '{"decision":"approve"}' });
    const tampered = {
      ...request,
      body: Buffer.from('{"decision":"reject"}'),
      headers: { ...request.headers },
    };
    delete (tampered.headers as Record<string, unknown>)['x-amz-content-sha256'];
    expect(verifySigV4(tampered, [credential], options)).toEqual({
      ok: false,
      reason: 'mismatch',
      principalArn: credential.principalArn,
    });
  });

  it('refuses a tampered path', async () => {
    const request = await signed({ path: '/v1/partner/profile' });
    expect(verifySigV4({ ...request, rawPath: '/v1/partner/other' }, [credential], options)).toEqual({
      ok: false,
      reason: 'mismatch',
      principalArn: credential.principalArn,
    });
  });

  it('refuses the wrong secret, an unknown key and a missing header', async () => {
    const wrong = await signed({ path: '/v1/partner/profile', secret: 'other' });
    expect(verifySigV4(wrong, [credential], options)).toEqual({
      ok: false,
      reason: 'mismatch',
      principalArn: credential.principalArn,
    });
    const request = await signed({ path: '/v1/partner/profile' });
    expect(verifySigV4(request, [], options)).toEqual({ ok: false, reason: 'unknown-key' });
    expect(verifySigV4({ ...request, headers: {} }, [credential], options)).toEqual({
      ok: false,
      reason: 'missing',
    });
  });

  it('refuses a signature older than five minutes', async () => {
    const request = await signed({ path: '/v1/partner/profile', at: new Date(Date.now() - 6 * 60_000) });
    expect(verifySigV4(request, [credential], options)).toEqual({
      ok: false,
      reason: 'expired',
      principalArn: credential.principalArn,
    });
  });

  it('refuses a signature scoped to another region or service', async () => {
    const request = await signed({ path: '/v1/partner/profile' });
    expect(verifySigV4(request, [credential], { ...options, region: 'us-east-1' })).toEqual({
      ok: false,
      reason: 'scope',
      principalArn: credential.principalArn,
    });
  });
});

describe('verifySigV4 on hostile input', () => {
  it('calls a query with broken percent-encoding malformed instead of failing', async () => {
    const request = await signed({ path: '/v1/partner/profile' });
    expect(verifySigV4({ ...request, rawQuery: 'a=%zz' }, [credential], options)).toEqual({
      ok: false,
      reason: 'malformed',
      principalArn: credential.principalArn,
    });
  });

  it('refuses an unsigned-payload declaration and a declared hash that is not the body’s', async () => {
    const request = await signed({ method: 'POST', path: '/v1/x', body: '{"a":1}' });
    for (const declared of ['UNSIGNED-PAYLOAD', '0'.repeat(64)]) {
      const headers = { ...request.headers, 'x-amz-content-sha256': declared };
      expect(verifySigV4({ ...request, headers }, [credential], options), declared).toEqual({
        ok: false,
        reason: 'mismatch',
        principalArn: credential.principalArn,
      });
    }
  });
});
