// Partner principals are registry items: a signed call of a registered principal is served with its agency, one
// the registry does not hold is refused 403 ACCESS_DENIED and lands in the audit log.
import { spawnSync } from 'node:child_process';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPartners } from '../../local/demo';
import { dynamoDocumentClient } from '../../shared/adapters/aws';
import { partnerRegistry } from '../../shared/adapters/deps';
import { dynamoAuditLog } from '../../shared/adapters/dynamo/audit-log';
import { partnerRegistryKey } from '../../shared/adapters/dynamo/partner-registry';
import type { AuditEntry } from '../../shared/domain/audit';
import { signedFetch as signed } from './support/signed';
import { startTestStack, type TestStack } from './support/stack';

const police = demoPartners.find((p) => p.agency === '000.33.08.H26')!;
const unregistered = demoPartners.find((p) => p.agency === '000.00.09.H26')!;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
  // Whatever the stack seeded: police registered, the social insurance principal not (before any partner call, so
  // no function instance has cached it).
  await partnerRegistry().register({
    principalArn: police.principalArn,
    agency: police.agency,
    registeredAt: new Date().toISOString(),
  });
  await dynamoDocumentClient().send(
    new DeleteCommand({
      TableName: process.env.TABLE_CATALOGUE,
      Key: partnerRegistryKey(unregistered.principalArn),
    }),
  );
});
afterAll(() => stack?.stop());

const signedFetch = (path: string, credentials: { accessKeyId: string; secretAccessKey: string }) =>
  signed(stack.urls.gateway, path, credentials);

async function auditEntries() {
  const log = dynamoAuditLog(dynamoDocumentClient(), process.env.TABLE_AUDIT!);
  const all: AuditEntry[] = [];
  for await (const page of log.entries()) all.push(...page);
  return all;
}

describe('the partner registry', () => {
  it('serves a registered principal with the agency the registry names', async () => {
    const response = await signedFetch('/v1/partner/profile', police);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { agency: { code: string } }).agency.code).toBe(police.agency);
  });

  it('refuses a principal it does not hold with 403 ACCESS_DENIED, and the audit log records who, what and when', async () => {
    const before = Date.now();
    const response = await signedFetch('/v1/partner/profile', unregistered);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ACCESS_DENIED');
    const refused = (await auditEntries()).filter((e) => e.result.outcome === 'refused');
    expect(refused).toContainEqual(
      expect.objectContaining({
        who: { kind: 'principal', id: unregistered.principalArn },
        what: { action: 'GET /v1/partner/profile' },
        result: { outcome: 'refused', code: 'ACCESS_DENIED' },
        source: { kind: 'request', id: response.headers.get('x-request-id') },
      }),
    );
    const entry = refused.find((e) => e.source.id === response.headers.get('x-request-id'))!;
    expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('audits the calls the gateway refuses before any function runs: a wrong signature, an unknown key', async () => {
    const forged = await signedFetch('/v1/partner/profile', { ...police, secretAccessKey: 'not-the-secret' });
    expect(forged.status).toBe(403);
    const unknown = await signedFetch('/v1/partner/profile', {
      accessKeyId: 'AKIANOTAKEYWEKNOW000',
      secretAccessKey: 'x',
    });
    expect(unknown.status).toBe(403);
    const refused = (await auditEntries()).filter((e) => e.result.outcome === 'refused');
    const forgedEntry = refused.find((e) => e.source.id === forged.headers.get('x-request-id'));
    // The key is known, so the entry names whose key signed the forged request.
    expect(forgedEntry).toMatchObject({
      who: { kind: 'principal', id: police.principalArn },
      what: { action: 'GET /v1/partner/profile' },
      result: { outcome: 'refused' },
    });
    const unknownEntry = refused.find((e) => e.source.id === unknown.headers.get('x-request-id'));
    expect(unknownEntry).toMatchObject({ who: { kind: 'anonymous' }, result: { outcome: 'refused' } });
  });

  it('registers a partner of a deployed environment with npm run partner:register, refusing a foreign account', async () => {
    const run = (principal: string) =>
      spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'scripts/register-partner.ts',
          '--env',
          'dev',
          '--principal',
          principal,
          '--agency',
          '000.00.09.H26',
        ],
        {
          encoding: 'utf8',
          env: { ...process.env },
        },
      );
    const principal = 'arn:aws:iam::111111111111:role/bhxh-hanoi-intake';
    const ok = run(principal);
    expect(ok.status, ok.stderr).toBe(0);
    expect(await partnerRegistry().agencyOf(principal)).toBe('000.00.09.H26');
    const foreign = run('arn:aws:iam::999999999999:role/someone');
    expect(foreign.status).toBe(2);
    expect(foreign.stderr).toContain('not a partner account of dev');
  });
});
