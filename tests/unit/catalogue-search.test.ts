import { describe, expect, it } from 'vitest';
import { buildIndex, searchIndex } from '../../shared/domain/catalogue-search';
import { foldText } from '../../shared/domain/text';
import { ValidationError } from '../../shared/errors';
import { searchProceduresQuerySchema } from '../../shared/schemas/catalogue';
import { catalogueSnapshot } from '../../shared/usecases/catalogue/catalogue-snapshot';
import { searchProcedures } from '../../shared/usecases/catalogue/search-procedures';
import { memoryCatalogue } from './fakes/memory-catalogue';
import { asVersions } from './fixtures';

const index = buildIndex(1, asVersions());
const query = (input: Record<string, unknown>) => searchProceduresQuerySchema.parse(input);

describe('foldText', () => {
  it('drops Vietnamese diacritics, đ and case', () => {
    expect(foldText('Đăng ký KHAI SINH')).toBe('dang ky khai sinh');
    expect(foldText('Thẻ bảo hiểm y tế')).toBe('the bao hiem y te');
  });

  it('treats composed and decomposed Unicode alike', () => {
    expect(foldText('Hộ tịch'.normalize('NFD'))).toBe(foldText('Hộ tịch'.normalize('NFC')));
  });
});

describe('searchIndex', () => {
  it.each(['khai sinh', 'Khai Sinh', 'KHAI SINH', 'đăng ký khai sinh', 'dang ky khai sinh'])(
    'finds Đăng ký khai sinh for %s',
    (q) => {
      const codes = searchIndex(index, query({ q, limit: 100 })).items.map((p) => p.code);
      expect(codes).toContain('1.001193');
    },
  );

  it('ranks the exact procedure name first', () => {
    const first = searchIndex(index, query({ q: 'dang ky khai sinh' })).items[0];
    expect(first?.name.vi).toBe('Đăng ký khai sinh');
  });

  it('requires every word to match', () => {
    const items = searchIndex(index, query({ q: 'khai sinh xây dựng', limit: 100 })).items;
    expect(items).toEqual([]);
  });

  it('matches word prefixes', () => {
    const codes = searchIndex(index, query({ q: 'thuong tru', limit: 100 })).items.map((p) => p.code);
    expect(codes).toContain('1.004222');
  });

  it('finds a procedure by its national code', () => {
    expect(searchIndex(index, query({ q: '1.001193' })).items[0]?.code).toBe('1.001193');
  });

  it('filters by field, online level and any agency on the route', () => {
    const byField = searchIndex(index, query({ field: 'civil-status', limit: 100 })).items;
    expect(byField.length).toBeGreaterThan(3);
    expect(byField.every((p) => p.field === 'civil-status')).toBe(true);
    const partial = searchIndex(index, query({ onlineLevel: 'partial', limit: 100 })).items;
    expect(partial.every((p) => p.onlineLevel === 'partial')).toBe(true);
    const socialInsurance = searchIndex(index, query({ agency: '000.00.09.H26', limit: 100 })).items.map(
      (p) => p.code,
    );
    expect(socialInsurance).toContain('2.002621');
  });

  it('counts an agency a step may be forwarded to as one on the route', () => {
    const hoanKiemWard = searchIndex(index, query({ agency: '000.00.31.H26', limit: 100 })).items.map(
      (p) => p.code,
    );
    expect(hoanKiemWard.sort()).toEqual(['1.001193', '2.002621']);
  });

  it('pages through every hit exactly once with the cursor', () => {
    const all = searchIndex(index, query({ limit: 100 })).items.map((p) => p.code);
    const seen: string[] = [];
    let after: ReturnType<typeof searchIndex>['next'];
    do {
      const page = searchIndex(index, query({ limit: 7 }), after);
      seen.push(...page.items.map((p) => p.code));
      after = page.next;
    } while (after);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(asVersions().length);
  });
});

describe('searchProcedures', () => {
  it('refuses a cursor from a different search', async () => {
    const fake = memoryCatalogue();
    for (const p of asVersions()) await fake.repository.publish(p, 'test');
    const snapshot = catalogueSnapshot(fake.repository, 0);
    const first = await searchProcedures(query({ q: 'dang ky', limit: 2 }), { snapshot });
    expect(first.nextCursor).toBeDefined();
    await expect(
      searchProcedures(query({ q: 'chung thuc', limit: 2, cursor: first.nextCursor }), { snapshot }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(searchProcedures(query({ cursor: 'bm90LWpzb24' }), { snapshot })).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });
});

describe('catalogueSnapshot', () => {
  it('reloads the catalogue only when its revision moves', async () => {
    const fake = memoryCatalogue();
    const [first, second] = asVersions();
    await fake.repository.publish(first!, 'test');
    const snapshot = catalogueSnapshot(fake.repository, 0);
    await snapshot.current();
    await snapshot.current();
    expect(fake.fullLoads()).toBe(1);
    await fake.repository.publish(second!, 'test');
    expect((await snapshot.current()).entries).toHaveLength(2);
    expect(fake.fullLoads()).toBe(2);
  });

  it('does not even check the revision within the recheck interval', async () => {
    const fake = memoryCatalogue();
    let now = 0;
    const snapshot = catalogueSnapshot(fake.repository, 5_000, () => now);
    await snapshot.current();
    await fake.repository.publish(asVersions()[0]!, 'test');
    now = 4_999;
    expect((await snapshot.current()).entries).toHaveLength(0);
    now = 5_000;
    expect((await snapshot.current()).entries).toHaveLength(1);
  });
});
