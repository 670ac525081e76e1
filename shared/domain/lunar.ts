// Vietnamese lunisolar calendar (UTC+7): new moons and major solar terms decide months, leap months and Tết.
//
// Method: months begin on the local day of the astronomical new moon (Meeus' series for the true new moon);
// month 11 is the month containing the winter solstice; a lunar year with 13 months gets its leap month at
// the first month after month 11 without a major solar term (sun longitude crossing a multiple of 30°).
// The UTC+7 meridian is what separates the Vietnamese calendar from the Chinese one (UTC+8): the two differ
// in some years (e.g. Tết 1985, 2007), so a Chinese table must never stand in for this.

const TIME_ZONE_HOURS = 7;
const SYNODIC_MONTH = 29.530588853;
// Julian day of the new moon of 1900-01-01 (k = 0 in the series below).
const NEW_MOON_EPOCH = 2415021.076998695;
const DEG = Math.PI / 180;

export interface LunarDate {
  year: number;
  month: number;
  day: number;
  leap: boolean;
}

/** Julian day number of a Gregorian date (proleptic Gregorian; the service never deals with 1582). */
export function julianDayNumber(year: number, month: number, day: number): number {
  const a = Math.floor((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  return (
    day +
    Math.floor((153 * m + 2) / 5) +
    365 * y +
    Math.floor(y / 4) -
    Math.floor(y / 100) +
    Math.floor(y / 400) -
    32045
  );
}

function fromJulianDayNumber(jdn: number): { year: number; month: number; day: number } {
  const a = jdn + 32044;
  const b = Math.floor((4 * a + 3) / 146097);
  const c = a - Math.floor((146097 * b) / 4);
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  return {
    day: e - Math.floor((153 * m + 2) / 5) + 1,
    month: m + 3 - 12 * Math.floor(m / 10),
    year: 100 * b + d - 4800 + Math.floor(m / 10),
  };
}

// Julian day (UT, fractional) of the k-th new moon after 1900-01-01 (Meeus, Astronomical Algorithms ch. 49,
// in the older 1900-epoch form with the main periodic terms). Accurate to well under an hour for 1900–2100,
// which is what the day boundary needs except in the rare near-midnight cases the tests pin down.
function trueNewMoon(k: number): number {
  const t = k / 1236.85;
  const t2 = t * t;
  const t3 = t2 * t;
  let jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
  jd += 0.00033 * Math.sin((166.56 + 132.87 * t - 0.009173 * t2) * DEG);
  const sunAnomaly = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
  const moonAnomaly = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
  const latitude = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
  const m = sunAnomaly * DEG;
  const mp = moonAnomaly * DEG;
  const f = latitude * DEG;
  let correction = (0.1734 - 0.000393 * t) * Math.sin(m) + 0.0021 * Math.sin(2 * m);
  correction += -0.4068 * Math.sin(mp) + 0.0161 * Math.sin(2 * mp) - 0.0004 * Math.sin(3 * mp);
  correction += 0.0104 * Math.sin(2 * f) - 0.0051 * Math.sin(m + mp) - 0.0074 * Math.sin(m - mp);
  correction += 0.0004 * Math.sin(2 * f + m) - 0.0004 * Math.sin(2 * f - m) - 0.0006 * Math.sin(2 * f + mp);
  correction += 0.001 * Math.sin(2 * f - mp) + 0.0005 * Math.sin(2 * mp + m);
  // ΔT (TT − UT) in days, polynomial fit adequate for the 20th–21st centuries.
  const deltaT =
    t < -11
      ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
      : -0.000278 + 0.000265 * t + 0.000262 * t2;
  return jd + correction - deltaT;
}

// Apparent solar longitude in radians [0, 2π) at Julian day jd (UT), low-precision solar theory.
function sunLongitude(jd: number): number {
  const t = (jd - 2451545.0) / 36525;
  const t2 = t * t;
  const meanAnomaly = (357.5291 + 35999.0503 * t - 0.0001559 * t2 - 0.00000048 * t * t2) * DEG;
  const meanLongitude = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  const centre =
    (1.9146 - 0.004817 * t - 0.000014 * t2) * Math.sin(meanAnomaly) +
    (0.019993 - 0.000101 * t) * Math.sin(2 * meanAnomaly) +
    0.00029 * Math.sin(3 * meanAnomaly);
  const longitude = (meanLongitude + centre) * DEG;
  return longitude - 2 * Math.PI * Math.floor(longitude / (2 * Math.PI));
}

// Local (UTC+7) Julian day number of the k-th new moon: the day the lunar month starts.
function newMoonDay(k: number): number {
  return Math.floor(trueNewMoon(k) + 0.5 + TIME_ZONE_HOURS / 24);
}

// Which 30° sector (0–11) the sun is in at the start of local day `jdn`; sector 9 starts at the winter solstice.
function solarTermSector(jdn: number): number {
  return Math.floor((sunLongitude(jdn - 0.5 - TIME_ZONE_HOURS / 24) / Math.PI) * 6);
}

// First day of lunar month 11 of the lunar year that ends in Gregorian `year` — the month holding the
// winter solstice, the anchor from which every other month is counted.
function month11Start(year: number): number {
  const offset = julianDayNumber(year, 12, 31) - 2415021;
  const k = Math.floor(offset / SYNODIC_MONTH);
  const start = newMoonDay(k);
  // A new moon already past the solstice sector belongs to month 12; step back one lunation.
  return solarTermSector(start) >= 9 ? newMoonDay(k - 1) : start;
}

// Position (1-based, counted from month 11) of the leap month in a 13-month year: the first month whose
// start and the next month's start fall in the same solar-term sector, i.e. a month without a major term.
function leapMonthOffset(month11: number): number {
  const k = Math.floor((month11 - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5);
  let i = 1;
  let sector = solarTermSector(newMoonDay(k + i));
  let previous: number;
  do {
    previous = sector;
    i += 1;
    sector = solarTermSector(newMoonDay(k + i));
  } while (sector !== previous && i < 14);
  return i - 1;
}

function assertInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

/** Gregorian `YYYY-MM-DD` of a Vietnamese lunar date. Throws RangeError for a leap flag on a month that is not leap. */
export function lunarToSolar(lunarYear: number, lunarMonth: number, lunarDay: number, leap = false): string {
  assertInteger('lunarYear', lunarYear, 1900, 2199);
  assertInteger('lunarMonth', lunarMonth, 1, 12);
  assertInteger('lunarDay', lunarDay, 1, 30);
  const [a11, b11] =
    lunarMonth < 11
      ? [month11Start(lunarYear - 1), month11Start(lunarYear)]
      : [month11Start(lunarYear), month11Start(lunarYear + 1)];
  const k = Math.floor(0.5 + (a11 - NEW_MOON_EPOCH) / SYNODIC_MONTH);
  let offset = lunarMonth - 11;
  if (offset < 0) offset += 12;
  if (b11 - a11 > 365) {
    const leapOffset = leapMonthOffset(a11);
    let leapMonth = leapOffset - 2;
    if (leapMonth < 0) leapMonth += 12;
    if (leap && lunarMonth !== leapMonth) {
      throw new RangeError(`month ${lunarMonth} of lunar year ${lunarYear} is not a leap month`);
    }
    if (leap || offset >= leapOffset) offset += 1;
  } else if (leap) {
    throw new RangeError(`lunar year ${lunarYear} has no leap month`);
  }
  const monthStart = newMoonDay(k + offset);
  const nextMonthStart = newMoonDay(k + offset + 1);
  if (lunarDay > nextMonthStart - monthStart) {
    throw new RangeError(
      `lunar month ${lunarMonth}/${lunarYear} has only ${nextMonthStart - monthStart} days`,
    );
  }
  const { year, month, day } = fromJulianDayNumber(monthStart + lunarDay - 1);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Vietnamese lunar date of a Gregorian date. */
export function solarToLunar(year: number, month: number, day: number): LunarDate {
  assertInteger('year', year, 1900, 2199);
  const jdn = julianDayNumber(year, month, day);
  const k = Math.floor((jdn - 2415021.076998695) / SYNODIC_MONTH);
  let monthStart = newMoonDay(k + 1);
  if (monthStart > jdn) monthStart = newMoonDay(k);
  let a11 = month11Start(year);
  let b11 = a11;
  let lunarYear: number;
  if (a11 >= monthStart) {
    lunarYear = year;
    a11 = month11Start(year - 1);
  } else {
    lunarYear = year + 1;
    b11 = month11Start(year + 1);
  }
  const lunarDay = jdn - monthStart + 1;
  const diff = Math.floor((monthStart - a11) / 29);
  let lunarLeap = false;
  let lunarMonth = diff + 11;
  if (b11 - a11 > 365) {
    const leapOffset = leapMonthOffset(a11);
    if (diff >= leapOffset) {
      lunarMonth = diff + 10;
      if (diff === leapOffset) lunarLeap = true;
    }
  }
  if (lunarMonth > 12) lunarMonth -= 12;
  if (lunarMonth >= 11 && diff < 4) lunarYear -= 1;
  return { year: lunarYear, month: lunarMonth, day: lunarDay, leap: lunarLeap };
}
