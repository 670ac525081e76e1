import { describe, expect, it } from 'vitest';
import { IdempotencyKeyReusedError } from '../../shared/errors';
import { publishProcedure } from '../../shared/usecases/catalogue/publish-procedure';
import { memoryCatalogue } from './fakes/memory-catalogue';
import { procedure } from './fixtures';

const now = new Date('2026-11-27T03:00:00Z');
const birth = procedure('1.001193');

describe('publishProcedure', () => {
  it('numbers versions and keeps the earlier ones', async () => {
    const { repository, idempotency } = memoryCatalogue();
    const deps = { catalogue: repository, idempotency };
    await publishProcedure({ procedure: birth, publishedBy: 'admin', now }, deps);
    const changed = { ...birth, processingTime: { workingDays: 1 } };
    const second = await publishProcedure({ procedure: changed, publishedBy: 'admin', now }, deps);
    expect(second).toMatchObject({ version: 2 });
    expect((await repository.procedure(birth.code, 1))?.processingTime.workingDays).toBe(0);
    expect((await repository.procedure(birth.code))?.version).toBe(2);
  });

  it('replays the first answer for a retried key and body', async () => {
    const { repository, idempotency } = memoryCatalogue();
    const deps = { catalogue: repository, idempotency };
    const input = { procedure: birth, publishedBy: 'admin', now, idempotencyKey: 'key-0001' };
    const first = await publishProcedure(input, deps);
    const again = await publishProcedure(input, deps);
    expect(again).toEqual(first);
    expect((await repository.procedure(birth.code))?.version).toBe(1);
  });

  it('refuses the same key with a different body', async () => {
    const { repository, idempotency } = memoryCatalogue();
    const deps = { catalogue: repository, idempotency };
    await publishProcedure({ procedure: birth, publishedBy: 'admin', now, idempotencyKey: 'key-0002' }, deps);
    const other = { ...birth, name: { ...birth.name, en: 'Birth registration (amended)' } };
    await expect(
      publishProcedure({ procedure: other, publishedBy: 'admin', now, idempotencyKey: 'key-0002' }, deps),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('scopes keys to the caller', async () => {
    const { repository, idempotency } = memoryCatalogue();
    const deps = { catalogue: repository, idempotency };
    await publishProcedure(
      { procedure: birth, publishedBy: 'admin-a', now, idempotencyKey: 'key-0003' },
      deps,
    );
    const second = await publishProcedure(
      { procedure: birth, publishedBy: 'admin-b', now, idempotencyKey: 'key-0003' },
      deps,
    );
    expect(second).toMatchObject({ version: 2 });
  });

  it('refuses a fee counted from an answer the procedure does not ask as a required count, publishing nothing', async () => {
    const { repository, idempotency } = memoryCatalogue();
    const deps = { catalogue: repository, idempotency };
    const copies = procedure('2.000635');
    const optional = {
      ...copies,
      questions: copies.questions.map((q) => (q.id === 'copies' ? { ...q, required: false } : q)),
    };
    await expect(
      publishProcedure({ procedure: optional, publishedBy: 'admin', now }, deps),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      status: 400,
      details: [{ problem: expect.stringMatching(/question copies must be a required whole number/) }],
    });
    expect(await repository.procedure(copies.code)).toBeUndefined();
    expect(await publishProcedure({ procedure: copies, publishedBy: 'admin', now }, deps)).toMatchObject({
      version: 1,
    });
  });
});
