import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../local/demo';
import { freePort } from '../../local/emulators';
import { startStack } from '../../local/stack';
import { procedure } from '../unit/fixtures';

const dataDir = mkdtempSync(join(tmpdir(), 'motcua-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the embedded stack on disk', () => {
  it('keeps published versions and the signing key across a restart, and reseeds idempotently', async () => {
    process.env.LOG_LEVEL = 'silent';
    // Fixed ports, as `npm start` has: the restarted stack is found where the first one was.
    const ports = { gateway: await freePort(), dynamodb: await freePort(), s3: await freePort() };
    const admin = demoAccounts.find((a) => a.username === 'admin')!;
    const first = await startStack({ dataDir, ports, publicBaseUrl: 'http://motcua.test', quickStart: true });
    expect(first.seeded?.published).toBe(first.seeded?.procedures);
    const token = await first.issuer.mint(admin);
    const changed = {
      ...procedure('1.004222'),
      name: { vi: 'Đăng ký thường trú', en: 'Permanent residence (v2)' },
    };
    const published = await fetch(`${first.urls.gateway}/v1/admin/procedures`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(changed),
    });
    expect(published.status).toBe(201);
    await first.stop();

    const second = await startStack({
      dataDir,
      ports,
      publicBaseUrl: 'http://motcua.test',
      quickStart: true,
    });
    try {
      // The admin's version 2 of 1.004222 stays current: the seed never republishes what it already seeded.
      expect(second.seeded?.published).toBe(0);
      const current = (await (await fetch(`${second.urls.gateway}/v1/procedures/1.004222`)).json()) as {
        version: number;
        name: { en: string };
      };
      expect(current).toMatchObject({ version: 2, name: { en: 'Permanent residence (v2)' } });
      const again = await fetch(`${second.urls.gateway}/v1/admin/procedures`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(changed),
      });
      expect(again.status).toBe(201);
    } finally {
      await second.stop();
    }
  });
});
