// Seeding the catalogue at start: published versions are never overwritten by a restart.
import { describe, expect, it } from 'vitest';
import { loadSeed, seedCatalogue } from '../../local/seed';
import { memoryCatalogue } from './fakes/memory-catalogue';

describe('seedCatalogue', () => {
  it('publishes every procedure once on a new catalogue and nothing on the next start', async () => {
    const { repository } = memoryCatalogue();
    const first = await seedCatalogue(repository);
    expect(first.published).toBe(first.procedures);
    expect((await seedCatalogue(repository)).published).toBe(0);
  });

  it('keeps a version an admin published after the seed across restarts', async () => {
    const { repository } = memoryCatalogue();
    await seedCatalogue(repository);
    const seeded = (await repository.procedure('1.004194'))!;
    await repository.publish(
      { ...seeded, version: seeded.version + 1, processingTime: { workingDays: 2 } },
      'admin',
    );
    expect((await seedCatalogue(repository)).published).toBe(0);
    const current = await repository.procedure('1.004194');
    expect(current).toMatchObject({ version: seeded.version + 1, processingTime: { workingDays: 2 } });
  });

  it('publishes a procedure again only when the seed data itself changed', async () => {
    const { repository } = memoryCatalogue();
    await seedCatalogue(repository);
    const seed = loadSeed();
    const changed = {
      ...seed,
      procedures: seed.procedures.map((p) =>
        p.code === '1.004194' ? { ...p, name: { ...p.name, en: `${p.name.en} (revised)` } } : p,
      ),
    };
    expect((await seedCatalogue(repository, new Date(), changed)).published).toBe(1);
    expect((await repository.procedure('1.004194'))?.version).toBe(2);
    expect((await seedCatalogue(repository, new Date(), changed)).published).toBe(0);
  });
});
