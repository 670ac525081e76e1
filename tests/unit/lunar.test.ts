// Specification of the Vietnamese lunar calendar conversion against dates fixed by law, notices and almanacs.
import { describe, expect, it } from 'vitest';
import { lunarToSolar, solarToLunar } from '../../shared/domain/lunar';

describe('lunarToSolar', () => {
  it.each([
    [2024, '2024-02-10'],
    [2025, '2025-01-29'],
    [2026, '2026-02-17'],
    [2027, '2027-02-06'],
    [2028, '2028-01-26'],
    [2029, '2029-02-13'],
  ])('puts Tết %i on %s', (year, expected) => {
    expect(lunarToSolar(year, 1, 1)).toBe(expected);
  });

  it('uses the UTC+7 meridian, not the Chinese UTC+8 one', () => {
    // Tết 1985 is the textbook case: Vietnam 21 Jan, China 20 Feb.
    expect(lunarToSolar(1985, 1, 1)).toBe('1985-01-21');
    // The 2007 new moon fell just after midnight in China: Vietnam 17 Feb, China 18 Feb.
    expect(lunarToSolar(2007, 1, 1)).toBe('2007-02-17');
    // New moon 23:07 on 2 Feb 2030 in Hanoi, 00:07 on 3 Feb in Beijing: Tết 2030 is 2 Feb in Vietnam.
    expect(lunarToSolar(2030, 1, 1)).toBe('2030-02-02');
  });

  it.each([
    [2025, '2025-04-07'],
    [2026, '2026-04-26'],
    [2027, '2027-04-16'],
  ])('puts the Hùng Kings day (10/3) of %i on %s', (year, expected) => {
    expect(lunarToSolar(year, 3, 10)).toBe(expected);
  });

  it('places leap months where the almanac has them', () => {
    expect(lunarToSolar(2023, 2, 1, true)).toBe('2023-03-22');
    expect(lunarToSolar(2025, 6, 1, true)).toBe('2025-07-25');
    // The leap month follows its ordinary namesake.
    expect(lunarToSolar(2025, 6, 1)).toBe('2025-06-25');
    expect(lunarToSolar(2025, 7, 1)).toBe('2025-08-23');
  });

  it('rejects a leap flag on a month that is not leap', () => {
    expect(() => lunarToSolar(2025, 5, 1, true)).toThrow(RangeError);
    expect(() => lunarToSolar(2026, 1, 1, true)).toThrow(RangeError);
  });

  it('rejects day 30 of a 29-day month', () => {
    // Month 12 of Ất Tỵ has 29 days: 9441/TB-BNV calls 16 Feb 2026 "29 tháng Chạp", the eve of Tết.
    expect(lunarToSolar(2025, 12, 29)).toBe('2026-02-16');
    expect(() => lunarToSolar(2025, 12, 30)).toThrow(RangeError);
  });

  it('rejects out-of-range input', () => {
    expect(() => lunarToSolar(2026, 13, 1)).toThrow(RangeError);
    expect(() => lunarToSolar(2026, 1, 0)).toThrow(RangeError);
    expect(() => lunarToSolar(2026.5, 1, 1)).toThrow(RangeError);
    expect(() => lunarToSolar(1800, 1, 1)).toThrow(RangeError);
  });
});

describe('solarToLunar', () => {
  it('reads the lunar dates printed in the holiday notices', () => {
    // 6150/TB-BLĐTBXH: 25 Jan 2025 is 26 Chạp Giáp Thìn, 2 Feb 2025 is 5 Giêng Ất Tỵ.
    expect(solarToLunar(2025, 1, 25)).toEqual({ year: 2024, month: 12, day: 26, leap: false });
    expect(solarToLunar(2025, 2, 2)).toEqual({ year: 2025, month: 1, day: 5, leap: false });
    // 9441/TB-BNV: 14 Feb 2026 is 27 Chạp Ất Tỵ, 22 Feb 2026 is 6 Giêng Bính Ngọ.
    expect(solarToLunar(2026, 2, 14)).toEqual({ year: 2025, month: 12, day: 27, leap: false });
    expect(solarToLunar(2026, 2, 22)).toEqual({ year: 2026, month: 1, day: 6, leap: false });
  });

  it('flags days of a leap month', () => {
    expect(solarToLunar(2025, 7, 25)).toEqual({ year: 2025, month: 6, day: 1, leap: true });
  });

  it('round-trips with lunarToSolar over several years', () => {
    const start = Date.UTC(2024, 0, 1);
    for (let i = 0; i < 365 * 6; i += 1) {
      const date = new Date(start + i * 86_400_000);
      const lunar = solarToLunar(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
      expect(lunarToSolar(lunar.year, lunar.month, lunar.day, lunar.leap)).toBe(
        date.toISOString().slice(0, 10),
      );
    }
  });
});
