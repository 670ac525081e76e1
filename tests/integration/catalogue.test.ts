import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { procedure } from '../unit/fixtures';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const json = async (response: Response) => (await response.json()) as Record<string, never>;
const publish = (body: unknown, init: RequestInit & { as?: string } = {}) =>
  stack.call('/v1/admin/procedures', {
    method: 'POST',
    as: 'admin',
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('GET /v1/procedures', () => {
  it.each(['khai sinh', 'Khai Sinh', 'KHAI SINH', 'Đăng ký khai sinh'])(
    'finds Đăng ký khai sinh for "%s"',
    async (q) => {
      const response = await stack.call(`/v1/procedures?q=${encodeURIComponent(q)}&limit=100`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { items: { name: { vi: string } }[] };
      expect(body.items.map((p) => p.name.vi)).toContain('Đăng ký khai sinh');
    },
  );

  it('pages the whole catalogue with opaque cursors', async () => {
    const codes: string[] = [];
    let cursor: string | undefined;
    do {
      const response = await stack.call(`/v1/procedures?limit=8${cursor ? `&cursor=${cursor}` : ''}`);
      const body = (await response.json()) as { items: { code: string }[]; nextCursor?: string };
      codes.push(...body.items.map((p) => p.code));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(codes).size).toBe(stack.seeded?.procedures);
  });

  it('filters by field and online level', async () => {
    const body = (await (await stack.call('/v1/procedures?field=residence&limit=100')).json()) as {
      items: { field: string }[];
    };
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.every((p) => p.field === 'residence')).toBe(true);
  });

  it('answers 400 for a bad limit, a foreign cursor and an unknown online level', async () => {
    for (const query of ['limit=0', 'limit=abc', 'cursor=!!', 'cursor=eyJ4IjoxfQ', 'onlineLevel=sometimes']) {
      const response = await stack.call(`/v1/procedures?${query}`);
      expect(response.status, query).toBe(400);
    }
  });
});

describe('GET /v1/procedures/{code}', () => {
  it('returns the current version with its documents, fees and route', async () => {
    const response = await stack.call('/v1/procedures/1.001193');
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ code: '1.001193', version: 1, name: { vi: 'Đăng ký khai sinh' } });
  });

  it('answers 404 for an unknown code and 400 for a malformed one', async () => {
    expect((await stack.call('/v1/procedures/9.999999')).status).toBe(404);
    const malformed = await stack.call('/v1/procedures/not-a-code');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
  });
});

describe('GET /v1/agencies and /v1/branches', () => {
  it('pages agencies and branches', async () => {
    const first = (await (await stack.call('/v1/agencies?limit=10')).json()) as {
      items: unknown[];
      nextCursor: string;
    };
    expect(first.items).toHaveLength(10);
    const second = (await (await stack.call(`/v1/agencies?limit=10&cursor=${first.nextCursor}`)).json()) as {
      items: { code: string }[];
    };
    expect(second.items).toHaveLength(10);
    const branches = (await (await stack.call('/v1/branches?limit=100')).json()) as {
      items: { code: string }[];
    };
    expect(branches.items.map((b) => b.code)).toContain('000.02.01.H26');
  });
});

describe('POST /v1/admin/procedures', () => {
  const birth = procedure('1.001193');

  it('publishes a new version and keeps the old one', async () => {
    const changed = { ...birth, name: { ...birth.name, en: 'Birth registration (2026 revision)' } };
    const response = await publish(changed, { headers: { 'idempotency-key': 'publish-birth-0001' } });
    expect(response.status).toBe(201);
    expect(await json(response)).toMatchObject({ version: 2 });
    const v1 = await json(await stack.call('/v1/procedures/1.001193?version=1'));
    expect(v1).toMatchObject({ version: 1, name: { en: birth.name.en } });
    const current = await json(await stack.call('/v1/procedures/1.001193'));
    expect(current).toMatchObject({ version: 2 });
    expect((await stack.call('/v1/procedures/1.001193?version=9')).status).toBe(404);
  });

  it('replays a retried publish and refuses a reused key with another body', async () => {
    const changed = { ...birth, name: { ...birth.name, en: 'Birth registration (idempotent)' } };
    const key = { headers: { 'idempotency-key': 'publish-birth-0002' } };
    const first = await json(await publish(changed, key));
    const again = await publish(changed, key);
    expect(again.status).toBe(201);
    expect(await json(again)).toEqual(first);
    const other = await publish({ ...changed, fees: [] }, key);
    expect(other.status).toBe(422);
  });

  it('refuses without a token (401), for a citizen or an officer (403)', async () => {
    expect((await publish(birth, { as: undefined })).status).toBe(401);
    expect((await publish(birth, { as: 'citizen.an' })).status).toBe(403);
    expect((await publish(birth, { as: 'officer.badinh' })).status).toBe(403);
  });

  it('refuses bad bodies with 400, 413 and 415 and changes nothing', async () => {
    const before = await json(await stack.call('/v1/procedures/1.000656'));
    const invalid = await publish({
      ...procedure('1.000656'),
      code: '1.000656',
      fees: [{ id: 'x', amountVnd: -1 }],
    });
    expect(invalid.status).toBe(400);
    expect(
      ((await invalid.json()) as { error: { details: { path: string }[] } }).error.details.length,
    ).toBeGreaterThan(0);
    expect((await publish('{"code":')).status).toBe(400);
    expect((await publish(JSON.stringify({ ...birth, pad: 'x'.repeat(300_000) }))).status).toBe(413);
    expect((await publish(birth, { headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect(await json(await stack.call('/v1/procedures/1.000656'))).toEqual(before);
  });

  it('makes the new version searchable', async () => {
    const renamed = {
      ...procedure('1.004873'),
      name: { vi: 'Cấp Giấy xác nhận tình trạng hôn nhân (độc thân)', en: 'Marital status certificate' },
    };
    expect((await publish(renamed)).status).toBe(201);
    const body = (await (await stack.call('/v1/procedures?q=doc%20than')).json()) as {
      items: { code: string }[];
    };
    expect(body.items.map((p) => p.code)).toContain('1.004873');
  });
});
