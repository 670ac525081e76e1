// Decision 766/QĐ-TTg's service index, the groups we can measure from our own counters, computed the way FACTS.md
// records the national portal computing them. An indicator whose weight or inputs we do not have is listed as not
// measured, with the reason; its points are never guessed.
import type { Counters } from './statistics';

export interface IndicatorScore {
  id: string;
  name: { vi: string; en: string };
  /** The indicator's share of its group, when our sources state it. */
  maxPoints?: number;
  measured: boolean;
  /** 0..1, the indicator's rate (undefined when there is nothing to divide by). */
  rate?: number;
  /** Points earned; only for a measured indicator whose weight is known and whose inputs are not all 0. */
  points?: number;
  formula: string;
  inputs: Record<string, number>;
  note?: string;
}

export interface GroupScore {
  id: 'publicity' | 'progress' | 'online' | 'payment' | 'digitization' | 'satisfaction';
  name: { vi: string; en: string };
  maxPoints: number;
  /** Points of the measured indicators (undefined when none could be scored). */
  points?: number;
  /** The part of `maxPoints` our indicators score; the rest is the national portal's alone. */
  measuredMaxPoints: number;
  indicators: IndicatorScore[];
}

export interface ServiceIndex {
  groups: GroupScore[];
  /** The sum of the points we could score, out of `measuredMaxPoints`. */
  points: number;
  measuredMaxPoints: number;
  maxPoints: 100;
}

const n = (c: Counters, name: keyof Counters) => c[name] ?? 0;
const ratio = (a: number, b: number) => (b > 0 ? a / b : undefined);
const round = (x: number) => Math.round(x * 100) / 100;

function scored(
  indicator: Omit<IndicatorScore, 'points' | 'measured'>,
  /** Points from the rate; undefined when the weight is unknown. */
  toPoints?: (rate: number) => number,
): IndicatorScore {
  const points = indicator.rate !== undefined && toPoints ? round(toPoints(indicator.rate)) : undefined;
  return {
    ...indicator,
    ...(indicator.rate !== undefined ? { rate: round(indicator.rate * 10_000) / 10_000 } : {}),
    measured: true,
    ...(points !== undefined ? { points } : {}),
  };
}

function group(
  id: GroupScore['id'],
  name: GroupScore['name'],
  maxPoints: number,
  indicators: IndicatorScore[],
): GroupScore {
  const withPoints = indicators.filter((i) => i.points !== undefined);
  const measuredMaxPoints = indicators
    .filter((i) => i.measured && i.maxPoints !== undefined)
    .reduce((sum, i) => sum + i.maxPoints!, 0);
  return {
    id,
    name,
    maxPoints,
    ...(withPoints.length ? { points: round(withPoints.reduce((s, i) => s + i.points!, 0)) } : {}),
    measuredMaxPoints,
    indicators,
  };
}

export function serviceIndex(c: Counters): ServiceIndex {
  const finished = n(c, 'finished');
  const inTime = n(c, 'finishedEarly') + n(c, 'finishedOnTime');
  const received = n(c, 'received');
  const online = n(c, 'verifiedFilings');
  const feeBearing = n(c, 'feeBearing');
  const paidOnline = n(c, 'paidOnline');
  const digitizedInputs = n(c, 'digitizedInputs');
  const digitizedResults = n(c, 'digitizedResults');
  const results = finished - n(c, 'rejected');
  const ratings = n(c, 'ratings');
  const dissatisfied = n(c, 'ratingsDissatisfied');
  const lateRate = ratio(n(c, 'finishedLate'), finished);
  const dislikeRate = ratio(dissatisfied, ratings);

  const groups: GroupScore[] = [
    group('publicity', { vi: 'Công khai, minh bạch', en: 'Publicity and transparency' }, 18, [
      {
        id: 'publicity',
        name: { vi: 'Công khai thủ tục hành chính', en: 'Publication of the procedures' },
        measured: false,
        formula: 'scored by the national portal',
        inputs: {},
        note: "The national portal scores the timeliness of the province's catalogue publications; our catalogue keeps its versions' dates, not the decisions they are measured against.",
      },
    ]),
    group('progress', { vi: 'Tiến độ, kết quả giải quyết', en: 'Progress and results' }, 20, [
      scored(
        {
          id: 'progress.on-time',
          name: { vi: 'Hồ sơ giải quyết đúng hạn', en: 'Dossiers finished on time' },
          maxPoints: 20,
          rate: ratio(inTime, finished),
          formula:
            '20 × (finished early + on time) ÷ finished; supplement time excluded, more than one supplement request counts late',
          inputs: {
            finished,
            finishedEarly: n(c, 'finishedEarly'),
            finishedOnTime: n(c, 'finishedOnTime'),
            finishedLate: n(c, 'finishedLate'),
            multiSupplementDossiers: n(c, 'multiSupplementDossiers'),
          },
        },
        (rate) => 20 * rate,
      ),
    ]),
    group('online', { vi: 'Cung cấp dịch vụ trực tuyến', en: 'Online service' }, 12, [
      scored(
        {
          id: 'online.share',
          name: { vi: 'Hồ sơ nộp trực tuyến', en: 'Dossiers filed online' },
          maxPoints: 12,
          rate: ratio(online, received),
          formula: '12 × min(1, online ÷ received ÷ 50%): full marks at 50% online (channel 2 of 1, 2, 3)',
          inputs: { received, online, post: 0 },
          note: 'We take no filings by post yet (channel 3): every received dossier is in person or online.',
        },
        (rate) => 12 * Math.min(1, rate / 0.5),
      ),
    ]),
    group('payment', { vi: 'Thanh toán trực tuyến', en: 'Online payment' }, 10, [
      {
        id: 'payment.integration',
        name: { vi: 'Tích hợp, cung cấp thanh toán trực tuyến', en: 'Online payment offered' },
        maxPoints: 4,
        measured: false,
        formula: 'two indicators of 2 points each, scored by the national portal',
        inputs: {},
        note: 'Scored from the payment platform records the national portal keeps, not from our dossiers.',
      },
      scored(
        {
          id: 'payment.paid-online',
          name: { vi: 'Hồ sơ thanh toán trực tuyến', en: 'Dossiers paid online' },
          maxPoints: 6,
          rate: ratio(paidOnline, feeBearing),
          formula: '6 × paid online ÷ fee-bearing (indicator 3.6)',
          inputs: { feeBearing, paidOnline },
        },
        (rate) => 6 * Math.min(1, rate),
      ),
    ]),
    group('digitization', { vi: 'Số hóa hồ sơ', en: 'Digitization' }, 22, [
      scored({
        id: 'digitization.files',
        name: { vi: 'Số hóa hồ sơ và kết quả', en: 'Inputs and results digitized' },
        rate: ratio(digitizedInputs + digitizedResults, received + results),
        formula:
          '(received with input files + results with result files) ÷ (received + results); full marks at 80% (indicator 4.2)',
        inputs: { received, digitizedInputs, results, digitizedResults, reusedInputs: n(c, 'reusedInputs') },
        note: "Indicator 4.2's share of the group's 22 points is not in our sources: the rate is shown, its points are not.",
      }),
    ]),
    group('satisfaction', { vi: 'Mức độ hài lòng', en: 'Satisfaction' }, 18, [
      scored({
        id: 'satisfaction.rate',
        name: { vi: 'Tỷ lệ hài lòng', en: 'Satisfaction rate' },
        rate:
          lateRate === undefined && dislikeRate === undefined
            ? undefined
            : Math.max(0, 1 - (lateRate ?? 0) - (dislikeRate ?? 0)),
        formula: '100% − (late ÷ finished + ratings of 1–2 ÷ ratings) (indicator 5.4)',
        inputs: {
          finished,
          finishedLate: n(c, 'finishedLate'),
          ratings,
          ratingsDissatisfied: dissatisfied,
          ratingScoreSum: n(c, 'ratingScoreSum'),
        },
        note: "Indicator 5.4's share of the group's 18 points is not in our sources: the rate is shown, its points are not. Complaints are not yet recorded, only ratings.",
      }),
    ]),
  ];
  return {
    groups,
    points: round(groups.reduce((s, g) => s + (g.points ?? 0), 0)),
    measuredMaxPoints: groups.reduce((s, g) => s + g.measuredMaxPoints, 0),
    maxPoints: 100,
  };
}
