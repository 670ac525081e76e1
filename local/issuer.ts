// The local development OIDC issuer: signs Cognito-shaped ID tokens for the demo accounts and publishes its JWKS.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import type { DemoAccount } from './demo';

export const LOCAL_CLIENT_ID = 'motcua-local-client';

export interface Issuer {
  url: string;
  jwks(): { keys: JWK[] };
  mint(account: DemoAccount, ttlSeconds?: number): Promise<string>;
  /** Verifies a bearer token as the Cognito authorizer would; resolves to its claims or rejects. */
  verify(token: string): Promise<Record<string, unknown>>;
}

async function loadOrCreateKey(keyFile?: string): Promise<JWK> {
  if (keyFile && existsSync(keyFile)) return JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = {
    ...(await exportJWK(privateKey)),
    kid: `local-${Date.now().toString(36)}`,
    alg: 'RS256',
    use: 'sig',
  };
  if (keyFile) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, JSON.stringify(jwk), { mode: 0o600 });
  }
  return jwk;
}

/** `keyFile` keeps the signing key across restarts, so tokens minted earlier stay valid. */
export async function createIssuer(url: string, keyFile?: string): Promise<Issuer> {
  const privateJwk = await loadOrCreateKey(keyFile);
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  const privateKey = await importJWK(privateJwk, 'RS256');
  const keySet = createLocalJWKSet({ keys: [publicJwk] });
  return {
    url,
    jwks: () => ({ keys: [publicJwk] }),
    async mint(account, ttlSeconds = 8 * 3600) {
      return new SignJWT({
        token_use: 'id',
        'cognito:username': account.username,
        'cognito:groups': account.groups,
        name: account.name,
        ...(account.cccd ? { 'custom:cccd': account.cccd } : {}),
        ...(account.branch ? { 'custom:branch': account.branch } : {}),
        ...(account.agency ? { 'custom:agency': account.agency } : {}),
      })
        .setProtectedHeader({ alg: 'RS256', kid: publicJwk.kid ?? 'local' })
        .setIssuer(url)
        .setAudience(LOCAL_CLIENT_ID)
        .setSubject(account.sub)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(privateKey);
    },
    async verify(token) {
      const { payload } = await jwtVerify(token, keySet, {
        issuer: url,
        audience: LOCAL_CLIENT_ID,
        algorithms: ['RS256'],
      });
      if (payload.token_use !== 'id') throw new Error('not an ID token');
      return payload as Record<string, unknown>;
    },
  };
}
