// Fee rules: what a dossier owes for its procedure's fees, given the filing channel, day and answers, and the local
// reliefs in force that day. Pure and integer-only; the amounts always come from the catalogue, never from a request.
import * as z from 'zod';
import type {
  AnswerCondition,
  Answers,
  FeeChannel,
  FeeRule,
  FeeRuleInput,
  FeesDueWhen,
} from '../schemas/catalogue';
import {
  feeChannelSchema,
  feeKindSchema,
  feeRuleSchema,
  feeSetterSchema,
  feesDueWhenSchema,
  localizedSchema,
} from '../schemas/catalogue';

export type {
  AnswerCondition,
  Answers,
  AnswerValue,
  Exemption,
  FeeChannel,
  FeeKind,
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
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/),
  name: localizedSchema,
  source: z.url().describe('The legal text of the relief'),
  validFrom: z.iso.date().describe('First day in force, Vietnam local day, inclusive'),
  validTo: z.iso
    .date()
    .optional()
    .describe('Last day in force, Vietnam local day, inclusive; absent = open-ended'),
  appliesTo: z.object({
    channels: z.array(feeChannelSchema).min(1),
    setBy: z.array(feeSetterSchema).min(1),
    exceptKinds: z.array(feeKindSchema).default([]),
  }),
  effect: z.literal('zero').describe('zero: the fee is VND 0'),
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
  /** The relief that lowered this fee, when it did. */
  relief?: { id: string; name: Localized };
  /** Why the applicant is exempt, when an exemption lowered this fee. */
  exemption?: Localized;
  /** A free-text condition nobody has checked yet: the officer confirms it when receiving the dossier. */
  condition?: Localized;
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

/** Whether a relief is in force on the Vietnam local day of `filedAt`. */
export function reliefInForce(relief: FeeRelief, filedAt: Date): boolean {
  const day = localParts(checkDate(filedAt)).day;
  return (
    day >= dayNumber(relief.validFrom) && (relief.validTo === undefined || day <= dayNumber(relief.validTo))
  );
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

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
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
    const baseVnd = fee.amountByChannel?.[channel] ?? fee.amountVnd;
    const item: FeeDueItem = { feeId: fee.id, name: fee.name, baseVnd, dueVnd: baseVnd };
    if (fee.condition && !fee.appliesWhen) item.condition = fee.condition;
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
