// The government's yearly holiday decisions for civil servants, as versioned data with their sources.
import { dayNumber, HOLIDAY_GROUPS, type HolidayGroup, yearOf } from './calendar-core';

export interface DecisionSource {
  /** Document number as issued, e.g. `9441/TB-BNV`. */
  ref: string;
  title: string;
  issuer: string;
  /** Issue date, YYYY-MM-DD. */
  date: string;
  url: string;
  /** How the content was checked: the original, or a report of it (then re-check against the original). */
  confirmedVia: string;
}

export interface YearDecision {
  year: number;
  /** First entry is the main decision; later ones amend or add to it. */
  sources: readonly DecisionSource[];
  /**
   * The holidays whose days this data fixes. Holidays not covered follow the statutory rules
   * (calendar-core `statutoryDaysOff`), compensation included.
   */
  covers: 'all' | readonly HolidayGroup[];
  /** Weekdays off for the covered holidays: holidays, compensatory days and swapped-off days. */
  daysOff: readonly string[];
  /** Weekend days that are working days (make-up Saturdays for a swap). */
  workingDays: readonly string[];
  note: string;
}

// Civil servants (cán bộ, công chức, viên chức) in administrative bodies — the Centre's own staff. Private
// employers may choose other days; that never matters here because deadlines run on the agencies' calendar.
export const YEAR_DECISIONS: readonly YearDecision[] = [
  {
    year: 2025,
    sources: [
      {
        ref: '6150/TB-BLĐTBXH',
        title:
          'Thông báo về việc nghỉ Tết Âm lịch, Quốc khánh và một số ngày lễ năm 2025 đối với cán bộ, công chức, viên chức và người lao động',
        issuer: 'Bộ Lao động – Thương binh và Xã hội (Ministry of Labour, Invalids and Social Affairs)',
        date: '2024-12-03',
        url: 'https://vietnamnet.vn/lich-nghi-le-quoc-khanh-2-9-2025-nguoi-lao-dong-duoc-nghi-may-ngay-2433947.html',
        confirmedVia:
          'press reports of the notice (VietNamNet 2025-08-20; tet-amlich.com); number and date as cited by several public code repositories',
      },
      {
        ref: '8726/VPCP-KGVX',
        title:
          'Công văn truyền đạt ý kiến Thủ tướng về việc nghỉ Tết Âm lịch và một số dịp nghỉ lễ trong năm 2025',
        issuer: 'Văn phòng Chính phủ (Government Office)',
        date: '2024-11-26',
        url: 'https://pld.net.vn/tag/nghi-tet-nguyen-dan.html',
        confirmedVia: 'press report (Pháp luật & Đời sống)',
      },
    ],
    covers: 'all',
    daysOff: [
      '2025-01-01',
      // Tết Ất Tỵ: Sat 25 Jan – Sun 2 Feb; the five Tết days are Mon 27 – Fri 31 Jan.
      '2025-01-27',
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      // Hùng Kings, 10/3 Ất Tỵ.
      '2025-04-07',
      '2025-04-30',
      '2025-05-01',
      // Swapped with Saturday 26 Apr.
      '2025-05-02',
      // National Day: Sat 30 Aug – Tue 2 Sep, the adjacent day being Mon 1 Sep.
      '2025-09-01',
      '2025-09-02',
    ],
    workingDays: ['2025-04-26'],
    note:
      'Issued by the labour ministry, in charge of labour until its merger into the Ministry of Home Affairs on 1 Mar 2025. ' +
      'The 2 Sep holiday has been two days (2 Sep and one adjacent day) since the Labour Code 2019 took effect in 2021.',
  },
  {
    year: 2026,
    sources: [
      {
        ref: '9441/TB-BNV',
        title:
          'Thông báo về việc nghỉ Tết Âm lịch và nghỉ lễ Quốc khánh năm 2026 đối với cán bộ, công chức, viên chức và người lao động',
        issuer: 'Bộ Nội vụ (Ministry of Home Affairs)',
        date: '2025-10-16',
        url: 'https://vietbao.vn/bo-noi-vu-thong-bao-lich-nghi-tet-nguyen-dan-va-quoc-khanh-nam-2026-568329.html',
        confirmedVia:
          'press reports of the notice and of the Prime Minister’s approval (Vietbao 2025-10-17, Thanh Niên 2025-10-13, Kiến Thức 2025-10-13)',
      },
      {
        ref: '12729/VPCP-KGVX',
        title: 'Công văn về việc nghỉ Tết Dương lịch năm 2026 (hoán đổi ngày làm việc thứ Sáu 02/01/2026)',
        issuer: 'Văn phòng Chính phủ (Government Office)',
        date: '2025-12-25',
        url: 'https://baohiemxahoi.gov.vn/tintuc/audio/Pages/default.aspx?CateID=0&ItemID=25908&OtItem=date',
        confirmedVia:
          'reports on the Viet Nam Social Security portal (2025-12-25) and 24h.com.vn (2025-12-26)',
      },
      {
        ref: '10065/VPCP-KGVX',
        title:
          'Công văn về phương án nghỉ một số dịp lễ, Tết năm 2026 và 2027 (Ngày Văn hóa Việt Nam 24/11/2026: nghỉ 01 ngày)',
        issuer: 'Văn phòng Chính phủ (Government Office)',
        date: '2026-10-02',
        url: 'https://xaydungchinhsach.chinhphu.vn/de-xuat-2-phuong-an-nghi-tet-nguyen-dan-2027-tet-dinh-mui-11926080513033257.htm',
        confirmedVia:
          'secondary only: cited with the same content by several independent public code repositories; the original was not read',
      },
    ],
    covers: 'all',
    daysOff: [
      '2026-01-01',
      // Swapped with Saturday 10 Jan (12729/VPCP-KGVX).
      '2026-01-02',
      // Tết Bính Ngọ: Sat 14 – Sun 22 Feb; the five Tết days are Mon 16 (29 Chạp) – Fri 20 Feb (4 Giêng).
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      // Hùng Kings fell on Sunday 26 Apr: compensatory Monday (statutory, Art. 111(3)).
      '2026-04-27',
      // Thu 30 Apr and Fri 1 May: no swap.
      '2026-04-30',
      '2026-05-01',
      // National Day: Sat 29 Aug – Wed 2 Sep; Mon 31 Aug swapped with Saturday 22 Aug, Tue 1 Sep the adjacent day.
      '2026-08-31',
      '2026-09-01',
      '2026-09-02',
      // Vietnamese Culture Day (Resolution 28/2026/QH16), a Tuesday; the proposed Mon 23 / Sat 28 Nov swap was not adopted.
      '2026-11-24',
    ],
    workingDays: ['2026-01-10', '2026-08-22'],
    note:
      'Hùng Kings and 30 Apr–1 May 2026 follow the statutory rules (reported by Thanh Niên, 2026-02-23). ' +
      'Culture Day 24 Nov comes from Resolution 28/2026/QH16 (in force 1 Jul 2026), known here only through secondary sources.',
  },
  {
    year: 2027,
    sources: [
      {
        ref: '10065/VPCP-KGVX',
        title:
          'Công văn về phương án nghỉ một số dịp lễ, Tết năm 2026 và 2027 (Tết Đinh Mùi 07 ngày, Quốc khánh 04 ngày)',
        issuer: 'Văn phòng Chính phủ (Government Office)',
        date: '2026-10-02',
        url: 'https://xaydungchinhsach.chinhphu.vn/de-xuat-2-phuong-an-nghi-tet-nguyen-dan-2027-tet-dinh-mui-11926080513033257.htm',
        confirmedVia:
          'secondary only: cited with the same dates (Tết 04–10 Feb 2027, National Day 02–05 Sep 2027) by several independent public code repositories; the original was not read',
      },
    ],
    covers: ['tet', 'nationalDay'],
    daysOff: [
      // Tết Đinh Mùi: Thu 4 – Wed 10 Feb; five Tết days 4–8 Feb, Sat 6 and Sun 7 made up on Tue 9 and Wed 10.
      '2027-02-04',
      '2027-02-05',
      '2027-02-08',
      '2027-02-09',
      '2027-02-10',
      // National Day: Thu 2 – Sun 5 Sep, the adjacent day being Fri 3 Sep.
      '2027-09-02',
      '2027-09-03',
    ],
    workingDays: [],
    note:
      'Only Tết and National Day are decided. 1 Jan (Fri), Hùng Kings (Fri 16 Apr), 30 Apr (Fri), 1 May (Sat, made up on ' +
      'Mon 3 May) and Culture Day 24 Nov (Wed) come from the statutory rules until a notice says otherwise.',
  },
];

const BY_YEAR = new Map(YEAR_DECISIONS.map((d) => [d.year, d]));

export function decisionFor(year: number): YearDecision | undefined {
  return BY_YEAR.get(year);
}

export interface CalendarBasisYear {
  year: number;
  /** True when decision data exists for the year (it may still cover only some holidays). */
  decided: boolean;
  /** The decision documents used, by number and date. */
  source?: string;
  /** Holidays computed from the statutory rules alone: all of them when the year is undecided. */
  statutoryOnly: HolidayGroup[];
}

/**
 * What the working calendar rested on between two days, for a dossier's deadline record: a year computed
 * from statutory rules alone may move when the government publishes its decision.
 */
export function calendarBasis(fromDay: string, toDay: string): { years: CalendarBasisYear[] } {
  const from = dayNumber(fromDay);
  const to = dayNumber(toDay);
  if (to < from) throw new RangeError(`toDay ${toDay} is before fromDay ${fromDay}`);
  const years: CalendarBasisYear[] = [];
  for (let year = yearOf(from); year <= yearOf(to); year += 1) {
    const decision = decisionFor(year);
    if (!decision) {
      years.push({ year, decided: false, statutoryOnly: [...HOLIDAY_GROUPS] });
      continue;
    }
    const covers = decision.covers;
    years.push({
      year,
      decided: true,
      source: decision.sources.map((s) => `${s.ref} (${s.date})`).join('; '),
      statutoryOnly: covers === 'all' ? [] : HOLIDAY_GROUPS.filter((g) => !covers.includes(g)),
    });
  }
  return { years };
}
