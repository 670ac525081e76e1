// Fee rules: what a dossier owes for its procedure's fees, given the filing channel, day and answers, and the local
// reliefs in force that day. Pure and integer-only; the amounts always come from the catalogue, never from a request.
import type {
  AnswerCondition,
  Answers,
  FeeChannel,
  FeeQuantity,
  FeeRule,
  FeeRuleInput,
  FeesDueWhen,
  Question,
} from '../schemas/catalogue';
import {
  feeChannelSchema,
  feeKindSchema,
  feeQuantitySchema,
  feeRuleSchema,
  feeSetterSchema,
  feesDueWhenSchema,
  localizedSchema,
} from '../schemas/catalogue';
import * as z from '../schemas/zod';

export type {
  AnswerCondition,
  Answers,
  AnswerValue,
  Exemption,
  FeeChannel,
  FeeKind,
  FeeQuantity,
  FeeRule,
  FeeRuleInput,
  FeeSetter,
  FeesDueWhen,
} from '../schemas/catalogue';
export {
  answerConditionSchema,
  answerValueSchema,
  exemptionSchema,
  feeChannelSchema,
  feeKindLabels,
  feeKindSchema,
  feeQuantitySchema,
  feeRuleSchema,
  feeSetterSchema,
  feesDueWhenSchema,
} from '../schemas/catalogue';

import { dayNumber, localParts } from './calendar-core';

/**
 * When a procedure's fees are due if the catalogue does not say: nothing to collect when no fee can cost anything on
 * any channel, otherwise before processing, the usual practice of one-stop counters (thu trước).
 */
export function defaultDueWhen(fees: readonly FeeRuleInput[]): FeesDueWhen {
  const amounts = fees.flatMap((fee) => [fee.amountVnd, ...Object.values(fee.amountByChannel ?? {})]);
  return amounts.some((amount) => (amount ?? 0) > 0) ? 'before-processing' : 'none';
}

/** A local rule that lowers what is owed for some fees during a period, such as a council's online-filing waiver. */
export const feeReliefSchema = z.object({
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,63}$/)),
  name: localizedSchema,
  source: z.url().check(z.describe('The legal text of the relief')),
  validFrom: z.iso.date().check(z.describe('First day in force, Vietnam local day, inclusive')),
  validTo: z
    .optional(z.iso.date())
    .check(z.describe('Last day in force, Vietnam local day, inclusive; absent = open-ended')),
  appliesTo: z.object({
    channels: z.array(feeChannelSchema).check(z.minLength(1)),
    setBy: z.array(feeSetterSchema).check(z.minLength(1)),
    exceptKinds: z._default(z.array(feeKindSchema), []),
  }),
  effect: z.literal('zero').check(z.describe('zero: the fee is VND 0')),
});
export type FeeRelief = z.infer<typeof feeReliefSchema>;

/**
 * Hanoi People's Council Resolution 77/2025/NQ-HĐND of 27 Nov 2025, in force from 1 Jan 2026: for procedures under
 * the city's People's Committee filed online, fees and charges whose rate the council sets are VND 0, appraisal fees
 * excepted; filing at a branch or a digital-service point is outside it. Fees the Ministry of Finance sets are not
 * covered by this rule: a council cannot change a ministry's rate, so the same resolution subsidises them separately
 * from the city budget (appraisal fees again excepted). How that subsidy reaches the applicant (not collected, or
 * paid back) is not decided here, so ministry-set fees keep their catalogue amount and no rate is assumed for it.
 * The catalogue is Hanoi's alone; a multi-province deployment would add the area to `appliesTo`.
 */
export const hanoiResolution77: FeeRelief = feeReliefSchema.parse({
  id: 'hn-nq-77-2025',
  name: {
    vi: 'Nghị quyết 77/2025/NQ-HĐND thành phố Hà Nội: phí, lệ phí bằng 0 đồng khi thực hiện dịch vụ công trực tuyến',
    en: 'Hanoi People’s Council Resolution 77/2025/NQ-HĐND: council-set fees and charges are VND 0 for online filing',
  },
  // The official text on the national legal-document database (vbpl.vn, Hanoi section).
  source: 'https://vbpl.vn/hanoi/Pages/vbpq-print.aspx?ItemID=184133&dvid=305',
  validFrom: '2026-01-01',
  appliesTo: { channels: ['online'], setBy: ['council'], exceptKinds: ['appraisal'] },
  effect: 'zero',
});

const FEE_CHANNELS = feeChannelSchema.options;

type Localized = z.infer<typeof localizedSchema>;

export interface FeeDueItem {
  feeId: string;
  name: Localized;
  /** The catalogue amount on the filing channel, before relief or exemption. */
  baseVnd: number;
  dueVnd: number;
  /** The rate set for a period that made `baseVnd`, when one was in force on the filing day. */
  periodRate?: { percent: number; basis: Localized };
  /** The relief that lowered this fee, when it did. */
  relief?: { id: string; name: Localized };
  /** Why the applicant is exempt, when an exemption lowered this fee. */
  exemption?: Localized;
  /** A free-text condition nobody has checked yet: the officer confirms it when receiving the dossier. */
  condition?: Localized;
  /** How a fee charged by count was counted (`baseVnd` is for all of them). */
  quantity?: { count: number; unit: Localized; times?: { count: number; unit: Localized } };
}

export interface FeesDue {
  items: FeeDueItem[];
  totalVnd: number;
  dueWhen: FeesDueWhen;
}

export interface FeesDueInput {
  /** The fees of the procedure version the dossier is filed under, as published in the catalogue. */
  fees: readonly FeeRuleInput[];
  channel: FeeChannel;
  filedAt: Date;
  answers?: Answers;
  reliefs?: readonly FeeRelief[];
  /** The procedure's `feesDueWhen`; without it, `defaultDueWhen(fees)`. */
  dueWhen?: FeesDueWhen;
}

/** Whether the applicant's answers satisfy a condition. Only own keys count, so `__proto__` or `toString` never do. */
export function conditionHolds(condition: AnswerCondition, answers: Answers): boolean {
  if (!Object.hasOwn(answers, condition.question)) return false;
  const answer = answers[condition.question];
  return 'in' in condition ? condition.in.some((value) => value === answer) : condition.equals === answer;
}

/** The most units one answer may count: beyond it the answer is a typo, not a dossier (a 500-page original, 100 copies). */
export const MAX_FEE_COUNT = 10_000;

/** A count the applicant answered: an own, whole number from 1 to MAX_FEE_COUNT; anything else is no count. */
function countOf(answers: Answers, question: string): number | undefined {
  if (!Object.hasOwn(answers, question)) return undefined;
  const value = answers[question];
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= MAX_FEE_COUNT
    ? value
    : undefined;
}

/** What `count` units cost at `unitVnd` each, or at their bands' prices. */
function unitsCost(count: number, unitVnd: number, bands: FeeQuantity['bands']): number {
  if (!bands) return count * unitVnd;
  let cost = 0;
  let counted = 0;
  for (const band of bands) {
    const inBand = Math.min(count, band.upTo ?? count) - counted;
    if (inBand <= 0) break;
    cost += inBand * band.amountVnd;
    counted += inBand;
  }
  return cost;
}

/**
 * What a fee charged by count costs for these answers: the units at their prices, capped, times the other count; or
 * undefined when a count is missing or not a whole number from 1 (the officer then counts, as for a prose condition).
 */
export function countedFee(
  unitVnd: number,
  quantity: FeeQuantity,
  answers: Answers,
): { amountVnd: number; quantity: NonNullable<FeeDueItem['quantity']> } | undefined {
  const count = countOf(answers, quantity.question);
  if (count === undefined) return undefined;
  const capped = Math.min(
    unitsCost(count, unitVnd, quantity.bands),
    quantity.maxVnd ?? Number.POSITIVE_INFINITY,
  );
  if (!quantity.times) return { amountVnd: capped, quantity: { count, unit: quantity.unit } };
  const times = countOf(answers, quantity.times.question);
  if (times === undefined) return undefined;
  return {
    amountVnd: capped * times,
    quantity: { count, unit: quantity.unit, times: { count: times, unit: quantity.times.unit } },
  };
}

/**
 * What a procedure's fees charged by count need of its questions: each count a required whole-number question with a
 * minimum of at least 1 (so a filing cannot leave the fee uncounted or count nothing). Problems, by fee; none is fine.
 */
export function quantityProblems(procedure: {
  fees: readonly FeeRuleInput[];
  questions?: readonly Question[];
}): string[] {
  const problems: string[] = [];
  for (const fee of procedure.fees) {
    if (!fee.quantity) continue;
    const parsed = feeQuantitySchema.safeParse(fee.quantity);
    if (!parsed.success) {
      problems.push(`fee ${fee.id}: ${z.prettifyError(parsed.error)}`);
      continue;
    }
    const counts = [parsed.data.question, ...(parsed.data.times ? [parsed.data.times.question] : [])];
    for (const id of counts) {
      const question = procedure.questions?.find((q) => q.id === id);
      if (!question) problems.push(`fee ${fee.id}: no question ${id}`);
      else if (
        question.type !== 'number' ||
        !question.integer ||
        !question.required ||
        (question.min ?? 0) < 1
      )
        problems.push(`fee ${fee.id}: question ${id} must be a required whole number of at least 1`);
      else if ((question.max ?? Number.POSITIVE_INFINITY) > MAX_FEE_COUNT)
        problems.push(`fee ${fee.id}: question ${id} must allow at most ${MAX_FEE_COUNT}`);
    }
  }
  return problems;
}

/** Whether a period (`validTo` absent = open-ended) holds the Vietnam local day of `filedAt`. */
function inPeriod(period: { validFrom: string; validTo?: string | undefined }, filedAt: Date): boolean {
  const day = localParts(checkDate(filedAt)).day;
  return (
    day >= dayNumber(period.validFrom) && (period.validTo === undefined || day <= dayNumber(period.validTo))
  );
}

/** Whether a relief is in force on the Vietnam local day of `filedAt`. */
export function reliefInForce(relief: FeeRelief, filedAt: Date): boolean {
  return inPeriod(relief, filedAt);
}

function reliefCovers(relief: FeeRelief, fee: FeeRule, channel: FeeChannel): boolean {
  const scope = relief.appliesTo;
  return (
    scope.channels.includes(channel) &&
    scope.setBy.includes(fee.setBy ?? 'council') &&
    !scope.exceptKinds.includes(fee.kind ?? 'charge')
  );
}

function checkDate(value: unknown): Date {
  if (!(value instanceof Date) || !Number.isFinite(value.getTime()))
    throw new RangeError('filedAt must be a valid Date');
  return value;
}

function parseOrThrow<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new RangeError(`invalid ${what}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * What the dossier owes, fee by fee, in catalogue order.
 * - A fee not charged on the filing channel, or whose `appliesWhen` does not hold, is left out.
 * - A fee with only a free-text `condition` is kept, carrying that condition: the portal cannot read prose, and
 *   leaving the fee out would let an applicant who owes it file without paying, while the officer who receives the
 *   dossier reads the condition and confirms or corrects the fee at the counter. Alternatives written only as prose
 *   (on time or late, counter or online) therefore all count until the catalogue gives them `channels`/`appliesWhen`.
 * - An exempt fee stays with `dueVnd` 0 and its reason; otherwise the first relief in force that covers it sets it to 0.
 *   A fee that is already 0 carries neither, as nothing was lowered.
 * - On a filing day inside one of a fee's `periodRates`, its amount is that percentage of the catalogue amount
 *   (`baseVnd` is then the period's amount, and the item names the rate's basis); reliefs and exemptions then apply.
 * - A fee charged by count (`quantity`) costs what its counts in the answers make (`countedFee`), and says how it was
 *   counted; without a usable count it stays at one unit's amount with a condition the officer confirms.
 * Catalogue data that breaks the rules (a fractional amount, a duplicate fee id) is a RangeError, never a guess.
 */
export function computeFeesDue(input: FeesDueInput): FeesDue {
  const { channel, answers = {}, reliefs = [hanoiResolution77] } = input;
  if (!FEE_CHANNELS.includes(channel)) throw new RangeError(`unknown channel ${JSON.stringify(channel)}`);
  const filedAt = checkDate(input.filedAt);
  const fees = parseOrThrow(z.array(feeRuleSchema), input.fees, 'fees');
  const inForce = parseOrThrow(z.array(feeReliefSchema), reliefs, 'reliefs').filter((relief) =>
    reliefInForce(relief, filedAt),
  );
  const ids = new Set<string>();
  const items: FeeDueItem[] = [];
  for (const fee of fees) {
    if (ids.has(fee.id)) throw new RangeError(`fee id ${fee.id} appears twice`);
    ids.add(fee.id);
    if (fee.channels && !fee.channels.includes(channel)) continue;
    if (fee.appliesWhen && !conditionHolds(fee.appliesWhen, answers)) continue;
    const catalogueVnd = fee.amountByChannel?.[channel] ?? fee.amountVnd;
    const period = fee.periodRates?.find((rate) => inPeriod(rate, filedAt));
    // A percentage of an integer amount: the decisions' rates fall on whole đồng; if one did not, the applicant
    // is charged the đồng below.
    const unitVnd = period ? Math.floor((catalogueVnd * period.percent) / 100) : catalogueVnd;
    const counted = fee.quantity ? countedFee(unitVnd, fee.quantity, answers) : undefined;
    const baseVnd = counted?.amountVnd ?? unitVnd;
    const item: FeeDueItem = { feeId: fee.id, name: fee.name, baseVnd, dueVnd: baseVnd };
    if (period) item.periodRate = { percent: period.percent, basis: period.basis };
    if (counted) item.quantity = counted.quantity;
    // Counted from the answers, a fee's prose about counting has been read; uncounted, the officer counts.
    else if (fee.condition && !fee.appliesWhen) item.condition = fee.condition;
    if (fee.quantity && !counted && !fee.condition)
      item.condition = {
        vi: 'Cán bộ tiếp nhận xác định số lượng',
        en: 'The receiving officer counts the units',
      };
    if (baseVnd > 0) {
      const relief = inForce.find((candidate) => reliefCovers(candidate, fee, channel));
      if (fee.exemptWhen && conditionHolds(fee.exemptWhen, answers)) {
        item.dueVnd = 0;
        item.exemption = fee.exemptWhen.reason;
      } else if (relief) {
        item.dueVnd = 0;
        item.relief = { id: relief.id, name: relief.name };
      }
    }
    items.push(item);
  }
  const totalVnd = items.reduce((sum, item) => sum + item.dueVnd, 0);
  if (!Number.isSafeInteger(totalVnd)) throw new RangeError('the total is beyond exact integer arithmetic');
  const declared =
    input.dueWhen === undefined
      ? defaultDueWhen(fees)
      : parseOrThrow(feesDueWhenSchema, input.dueWhen, 'dueWhen');
  if (declared === 'none' && totalVnd > 0) {
    throw new RangeError(`the procedure says no fees are due, yet ${totalVnd} VND is`);
  }
  // Nothing to collect (a free procedure, or every fee relieved or waived) is never awaited as a payment.
  return { items, totalVnd, dueWhen: totalVnd === 0 ? 'none' : declared };
}
