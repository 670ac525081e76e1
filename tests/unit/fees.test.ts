// The fee rules: which fees a dossier owes, on which channel and day, and what Hanoi's Resolution 77 waives.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  computeFeesDue,
  countedFee,
  defaultDueWhen,
  type FeeRelief,
  type FeeRuleInput,
  feeQuantitySchema,
  feeReliefSchema,
  feeRuleSchema,
  hanoiResolution77,
  MAX_FEE_COUNT,
  quantityProblems,
} from '../../shared/domain/fees';
import type { Question } from '../../shared/schemas/catalogue';
import * as z from '../../shared/schemas/zod';
import { assertComplete } from '../../shared/usecases/dossiers/completeness';
import { asVersions } from './fixtures';

const catalogueFees = z
  .object({ procedures: z.array(z.object({ code: z.string(), fees: z.array(z.unknown()) })) })
  .parse(JSON.parse(readFileSync(new URL('../../data/catalogue/procedures.json', import.meta.url), 'utf8')))
  .procedures.flatMap((procedure) => procedure.fees.map((fee) => ({ code: procedure.code, fee })));

const name = (vi: string) => ({ vi, en: vi });
const fee = (id: string, amountVnd: number, extra: Partial<FeeRuleInput> = {}): FeeRuleInput => ({
  id,
  name: name(id),
  amountVnd,
  ...extra,
});

// Hanoi is UTC+7: 17:00Z on 31 Dec 2025 is midnight, 1 Jan 2026, local time.
const LAST_INSTANT_OF_2025 = new Date('2025-12-31T16:59:59.999Z');
const FIRST_INSTANT_OF_2026 = new Date('2025-12-31T17:00:00.000Z');
const EVENING_31_DEC_UTC = new Date('2025-12-31T17:30:00Z');
const JUNE_2026 = new Date('2026-06-15T03:00:00+07:00');

const dueOf = (fees: FeeRuleInput[], channel: 'online' | 'counter' | 'post', filedAt: Date) =>
  computeFeesDue({ fees, channel, filedAt }).items.map((item) => item.dueVnd);

describe('feeRuleSchema', () => {
  it('parses every fee of the catalogue as a fee rule, keeping every field it carries', () => {
    expect(catalogueFees.length).toBeGreaterThan(20);
    for (const { code, fee: raw } of catalogueFees) {
      const parsed = feeRuleSchema.safeParse(raw);
      expect(parsed.success, `${code} ${JSON.stringify(raw)}`).toBe(true);
      // Nothing stripped: a misspelt rule field (say `appliesWhenn`) would silently leave a fee unconditional.
      expect(parsed.data, code).toEqual(raw);
    }
  });

  it.each([
    ['a fractional amount', { amountVnd: 1000.5 }],
    ['a negative amount', { amountVnd: -1 }],
    ['an amount beyond exact integers', { amountVnd: 2 ** 60 }],
    ['a fractional channel amount', { amountByChannel: { online: 0.5 } }],
    ['a negative channel amount', { amountByChannel: { counter: -1000 } }],
    ['an unknown channel amount', { amountByChannel: { fax: 1000 } }],
    [
      'an amount for a channel the fee is not charged on',
      { channels: ['counter'], amountByChannel: { online: 0 } },
    ],
    ['a channel listed twice', { channels: ['online', 'online'] }],
    ['an unknown kind', { kind: 'tax' }],
    ['a condition with both equals and in', { appliesWhen: { question: 'late', equals: true, in: [true] } }],
    ['an empty in-list', { appliesWhen: { question: 'late', in: [] } }],
    ['an exemption without its reason', { exemptWhen: { question: 'poor', equals: true } }],
    ['a source that is not a URL', { source: 'Thông tư 85/2019' }],
  ])('rejects %s', (_rule, extra) => {
    expect(feeRuleSchema.safeParse({ ...fee('le-phi', 10000), ...extra }).success).toBe(false);
  });

  it('accepts the full description of a fee', () => {
    const parsed = feeRuleSchema.parse(
      fee('phi-tham-dinh', 500000, {
        kind: 'appraisal',
        setBy: 'ministry',
        channels: ['online', 'counter'],
        amountByChannel: { online: 400000 },
        appliesWhen: { question: 'area', in: ['urban', 'rural'] },
        exemptWhen: { question: 'poorHousehold', equals: true, reason: name('Hộ nghèo') },
        source: 'https://example.gov.vn/thong-tu',
      }),
    );
    expect(parsed.kind).toBe('appraisal');
    expect(parsed.amountByChannel).toEqual({ online: 400000 });
  });
});

describe('hanoiResolution77', () => {
  it('is a valid relief, in force from 1 Jan 2026, zeroing council-set online fees except appraisal', () => {
    expect(feeReliefSchema.parse(hanoiResolution77)).toEqual(hanoiResolution77);
    expect(hanoiResolution77).toMatchObject({
      validFrom: '2026-01-01',
      appliesTo: { channels: ['online'], setBy: ['council'], exceptKinds: ['appraisal'] },
      effect: 'zero',
    });
    expect(hanoiResolution77.validTo).toBeUndefined();
    expect(hanoiResolution77.source).toMatch(/^https:\/\/vbpl\.vn\//);
  });
});

describe('computeFeesDue', () => {
  const charge = fee('le-phi', 15000);

  it('charges the catalogue amount online on the last local moment of 2025', () => {
    const due = computeFeesDue({ fees: [charge], channel: 'online', filedAt: LAST_INSTANT_OF_2025 });
    expect(due.items).toEqual([{ feeId: 'le-phi', name: name('le-phi'), baseVnd: 15000, dueVnd: 15000 }]);
    expect(due.totalVnd).toBe(15000);
  });

  it('waives a council-set charge filed online from local midnight on 1 Jan 2026', () => {
    const due = computeFeesDue({ fees: [charge], channel: 'online', filedAt: FIRST_INSTANT_OF_2026 });
    expect(due.items[0]).toMatchObject({
      baseVnd: 15000,
      dueVnd: 0,
      relief: { id: hanoiResolution77.id, name: hanoiResolution77.name },
    });
    expect(due.totalVnd).toBe(0);
  });

  it('takes 17:30Z on 31 Dec 2025 as 1 Jan 2026 in Hanoi', () => {
    expect(dueOf([charge], 'online', EVENING_31_DEC_UTC)).toEqual([0]);
  });

  it.each([
    ['before', LAST_INSTANT_OF_2025],
    ['after', FIRST_INSTANT_OF_2026],
    ['well after', JUNE_2026],
  ])('charges the full amount at the counter %s 1 Jan 2026', (_when, filedAt) => {
    const due = computeFeesDue({ fees: [charge], channel: 'counter', filedAt });
    expect(due.items[0]?.dueVnd).toBe(15000);
    expect(due.items[0]?.relief).toBeUndefined();
  });

  it('charges the full amount for a dossier sent by post in 2026', () => {
    expect(dueOf([charge], 'post', JUNE_2026)).toEqual([15000]);
  });

  it('waives a council-set phí as well as a lệ phí online', () => {
    expect(dueOf([fee('phi', 10000, { kind: 'fee' })], 'online', JUNE_2026)).toEqual([0]);
  });

  it('keeps an appraisal fee online after 1 Jan 2026', () => {
    const due = computeFeesDue({
      fees: [fee('phi-tham-dinh', 500000, { kind: 'appraisal' })],
      channel: 'online',
      filedAt: JUNE_2026,
    });
    expect(due.items[0]).toMatchObject({ dueVnd: 500000 });
    expect(due.items[0]?.relief).toBeUndefined();
  });

  it('keeps a ministry-set fee online after 1 Jan 2026', () => {
    expect(dueOf([fee('le-phi', 200000, { setBy: 'ministry' })], 'online', JUNE_2026)).toEqual([200000]);
  });

  it('uses the per-channel amount on that channel and amountVnd elsewhere', () => {
    const residence = fee('le-phi', 20000, { amountByChannel: { online: 10000 } });
    const online = computeFeesDue({ fees: [residence], channel: 'online', filedAt: LAST_INSTANT_OF_2025 });
    expect(online.items[0]).toMatchObject({ baseVnd: 10000, dueVnd: 10000 });
    expect(dueOf([residence], 'counter', LAST_INSTANT_OF_2025)).toEqual([20000]);
  });

  it('leaves out a fee not charged on the filing channel', () => {
    const due = computeFeesDue({
      fees: [
        fee('truc-tiep', 20000, { channels: ['counter'] }),
        fee('truc-tuyen', 10000, { channels: ['online'] }),
      ],
      channel: 'counter',
      filedAt: JUNE_2026,
    });
    expect(due.items.map((item) => item.feeId)).toEqual(['truc-tiep']);
    expect(due.totalVnd).toBe(20000);
  });

  describe('appliesWhen', () => {
    const late = fee('qua-han', 8000, { appliesWhen: { question: 'registeredLate', equals: true } });
    const wards = fee('cap-moi', 100000, { appliesWhen: { question: 'area', in: ['ward', 'town'] } });
    const due = (answers: Record<string, string | number | boolean>) =>
      computeFeesDue({ fees: [late, wards], channel: 'counter', filedAt: JUNE_2026, answers }).items.map(
        (item) => item.feeId,
      );

    it('charges a fee whose condition holds', () => {
      expect(due({ registeredLate: true, area: 'ward' })).toEqual(['qua-han', 'cap-moi']);
    });

    it('leaves out a fee whose condition does not hold', () => {
      expect(due({ registeredLate: false, area: 'commune' })).toEqual([]);
    });

    it('compares answers strictly: the string "true" is not true', () => {
      expect(due({ registeredLate: 'true' })).toEqual([]);
    });

    it('leaves out a conditional fee when the question is unanswered', () => {
      expect(due({})).toEqual([]);
    });

    it('reads only the answers themselves, never inherited properties', () => {
      expect(due(Object.create({ registeredLate: true, area: 'ward' }))).toEqual([]);
    });

    it('does not mark a structured condition for the officer', () => {
      const item = computeFeesDue({
        fees: [{ ...late, condition: name('Quá 60 ngày') }],
        channel: 'counter',
        filedAt: JUNE_2026,
        answers: { registeredLate: true },
      }).items[0];
      expect(item?.condition).toBeUndefined();
    });
  });

  it('charges a fee with only a free-text condition and passes the condition on for the officer', () => {
    const condition = name('Mỗi bản sao');
    const due = computeFeesDue({
      fees: [fee('phi-ban-sao', 8000, { condition })],
      channel: 'counter',
      filedAt: JUNE_2026,
    });
    expect(due.items).toEqual([
      { feeId: 'phi-ban-sao', name: name('phi-ban-sao'), baseVnd: 8000, dueVnd: 8000, condition },
    ]);
  });

  describe('exemptWhen', () => {
    const reason = name('Hộ nghèo được miễn');
    const recognition = fee('le-phi', 15000, {
      setBy: 'ministry',
      exemptWhen: { question: 'household', in: ['poor', 'meritorious'], reason },
    });

    it('keeps an exempt fee with 0 due and the reason', () => {
      const due = computeFeesDue({
        fees: [recognition],
        channel: 'counter',
        filedAt: JUNE_2026,
        answers: { household: 'poor' },
      });
      expect(due.items).toEqual([
        { feeId: 'le-phi', name: name('le-phi'), baseVnd: 15000, dueVnd: 0, exemption: reason },
      ]);
      expect(due.totalVnd).toBe(0);
    });

    it('charges the fee when the exemption does not hold', () => {
      const due = computeFeesDue({
        fees: [recognition],
        channel: 'counter',
        filedAt: JUNE_2026,
        answers: { household: 'other' },
      });
      expect(due.items[0]).toMatchObject({ dueVnd: 15000 });
      expect(due.items[0]?.exemption).toBeUndefined();
    });

    it('reports the exemption rather than the relief when both would waive the fee', () => {
      const item = computeFeesDue({
        fees: [{ ...recognition, setBy: 'council' }],
        channel: 'online',
        filedAt: JUNE_2026,
        answers: { household: 'meritorious' },
      }).items[0];
      expect(item).toMatchObject({ dueVnd: 0, exemption: reason });
      expect(item?.relief).toBeUndefined();
    });
  });

  it('totals the amounts due, not the base amounts', () => {
    const due = computeFeesDue({
      fees: [
        fee('le-phi', 50000),
        fee('phi-cong-bo', 100000, { setBy: 'ministry' }),
        fee('phi-tham-dinh', 300000, { kind: 'appraisal' }),
        fee('mien', 7000, { exemptWhen: { question: 'child', equals: true, reason: name('Trẻ em') } }),
      ],
      channel: 'online',
      filedAt: JUNE_2026,
      answers: { child: true },
    });
    expect(due.items.map((item) => item.dueVnd)).toEqual([0, 100000, 300000, 0]);
    expect(due.totalVnd).toBe(400000);
    expect(due.totalVnd).toBe(due.items.reduce((sum, item) => sum + item.dueVnd, 0));
  });

  describe('reliefs', () => {
    const expired: FeeRelief = {
      ...hanoiResolution77,
      id: 'hn-2023-2025',
      validFrom: '2023-01-01',
      validTo: '2025-12-31',
    };

    it('does not apply a relief whose last day has passed', () => {
      expect(
        computeFeesDue({ fees: [charge], channel: 'online', filedAt: JUNE_2026, reliefs: [expired] })
          .items[0],
      ).toMatchObject({ dueVnd: 15000 });
    });

    it('applies a relief through the whole of its last local day', () => {
      const item = computeFeesDue({
        fees: [charge],
        channel: 'online',
        filedAt: LAST_INSTANT_OF_2025,
        reliefs: [expired],
      }).items[0];
      expect(item).toMatchObject({ dueVnd: 0, relief: { id: 'hn-2023-2025' } });
    });

    it('applies no relief when none is given', () => {
      expect(
        computeFeesDue({ fees: [charge], channel: 'online', filedAt: JUNE_2026, reliefs: [] }).items[0],
      ).toMatchObject({ dueVnd: 15000 });
    });

    it('names no relief on a fee that is already free', () => {
      const item = computeFeesDue({ fees: [fee('dung-han', 0)], channel: 'online', filedAt: JUNE_2026 })
        .items[0];
      expect(item).toEqual({ feeId: 'dung-han', name: name('dung-han'), baseVnd: 0, dueVnd: 0 });
    });
  });

  describe('periodRates', () => {
    // Circular 64/2025/TT-BTC's shape: 50% of the amount from 1 Jul 2025 to 31 Dec 2026, ministry-set.
    const halved = {
      validFrom: '2025-07-01',
      validTo: '2026-12-31',
      percent: 50,
      basis: name('Thông tư 64/2025/TT-BTC'),
      source: 'https://vbpl.vn/example',
    };
    const card = fee('cap-doi', 50000, { setBy: 'ministry', periodRates: [halved] });
    const LAST_INSTANT_OF_2026 = new Date('2026-12-31T16:59:59.999Z');
    const FIRST_INSTANT_OF_2027 = new Date('2026-12-31T17:00:00.000Z');

    it('charges the period’s percentage inside it and names its basis, through its whole last local day', () => {
      for (const filedAt of [JUNE_2026, LAST_INSTANT_OF_2026]) {
        const due = computeFeesDue({ fees: [card], channel: 'counter', filedAt });
        expect(due.items[0]).toEqual({
          feeId: 'cap-doi',
          name: name('cap-doi'),
          baseVnd: 25000,
          dueVnd: 25000,
          periodRate: { percent: 50, basis: halved.basis },
        });
        expect(due.totalVnd).toBe(25000);
      }
    });

    it('charges the catalogue amount before and after the period', () => {
      expect(dueOf([card], 'counter', new Date('2025-06-30T12:00:00+07:00'))).toEqual([50000]);
      const after = computeFeesDue({ fees: [card], channel: 'counter', filedAt: FIRST_INSTANT_OF_2027 });
      expect(after.items[0]).toEqual({
        feeId: 'cap-doi',
        name: name('cap-doi'),
        baseVnd: 50000,
        dueVnd: 50000,
      });
    });

    it('halves the channel amount and each counted unit, and a relief or exemption then applies', () => {
      const online = fee('le-phi', 20000, { amountByChannel: { online: 16000 }, periodRates: [halved] });
      expect(dueOf([online], 'online', LAST_INSTANT_OF_2025)).toEqual([8000]);
      expect(
        computeFeesDue({ fees: [online], channel: 'online', filedAt: JUNE_2026 }).items[0],
      ).toMatchObject({
        baseVnd: 8000,
        dueVnd: 0,
        relief: { id: hanoiResolution77.id },
      });
      const copies = fee('ban-sao', 8000, {
        setBy: 'ministry',
        quantity: { question: 'copies', unit: name('bản') },
        periodRates: [halved],
      });
      const counted = computeFeesDue({
        fees: [copies],
        channel: 'counter',
        filedAt: JUNE_2026,
        answers: { copies: 3 },
      });
      expect(counted.items[0]).toMatchObject({ baseVnd: 12000, dueVnd: 12000 });
    });

    it('refuses overlapping periods and a period that ends before it starts', () => {
      expect(
        feeRuleSchema.safeParse({ ...card, periodRates: [halved, { ...halved, validFrom: '2026-12-31' }] })
          .success,
      ).toBe(false);
      expect(
        feeRuleSchema.safeParse({ ...card, periodRates: [{ ...halved, validTo: '2025-06-30' }] }).success,
      ).toBe(false);
      expect(
        feeRuleSchema.safeParse({
          ...card,
          periodRates: [halved, { ...halved, validFrom: '2027-01-01', validTo: '2027-12-31', percent: 80 }],
        }).success,
      ).toBe(true);
    });
  });

  describe('dueWhen', () => {
    it('is none when nothing is owed, whatever the procedure says', () => {
      const due = computeFeesDue({
        fees: [charge],
        channel: 'online',
        filedAt: JUNE_2026,
        dueWhen: 'before-release',
      });
      expect(due.dueWhen).toBe('none');
    });

    it('keeps the procedure’s declared moment when something is owed', () => {
      const due = computeFeesDue({
        fees: [charge],
        channel: 'counter',
        filedAt: JUNE_2026,
        dueWhen: 'before-release',
      });
      expect(due.dueWhen).toBe('before-release');
    });

    it('defaults to before processing when something is owed', () => {
      expect(computeFeesDue({ fees: [charge], channel: 'counter', filedAt: JUNE_2026 }).dueWhen).toBe(
        'before-processing',
      );
    });

    it('refuses a procedure that declares nothing due yet owes a fee', () => {
      expect(() =>
        computeFeesDue({ fees: [charge], channel: 'counter', filedAt: JUNE_2026, dueWhen: 'none' }),
      ).toThrow(RangeError);
    });
  });

  describe('never trusts the amounts it is given', () => {
    it('refuses a fractional amount', () => {
      expect(() =>
        computeFeesDue({ fees: [fee('le-phi', 999.99)], channel: 'counter', filedAt: JUNE_2026 }),
      ).toThrow(RangeError);
    });

    it('refuses a negative channel amount', () => {
      expect(() =>
        computeFeesDue({
          fees: [fee('le-phi', 1000, { amountByChannel: { online: -1000 } })],
          channel: 'online',
          filedAt: JUNE_2026,
        }),
      ).toThrow(RangeError);
    });

    it('refuses two fees with one id', () => {
      expect(() =>
        computeFeesDue({ fees: [charge, charge], channel: 'counter', filedAt: JUNE_2026 }),
      ).toThrow(/twice/);
    });

    it('refuses an invalid filing time', () => {
      expect(() =>
        computeFeesDue({ fees: [charge], channel: 'counter', filedAt: new Date('not a date') }),
      ).toThrow(RangeError);
    });
  });
});

describe('defaultDueWhen', () => {
  it('is none for a procedure whose fees are all free', () => {
    expect(defaultDueWhen([fee('le-phi', 0), fee('mien', 0)])).toBe('none');
    expect(defaultDueWhen([])).toBe('none');
  });

  it('is before processing when a fee costs something', () => {
    expect(defaultDueWhen([fee('dung-han', 0), fee('qua-han', 8000)])).toBe('before-processing');
  });

  it('counts a per-channel amount', () => {
    expect(defaultDueWhen([fee('le-phi', 0, { amountByChannel: { counter: 20000 } })])).toBe(
      'before-processing',
    );
  });
});

describe('fees charged by count', () => {
  const pages = { question: 'pages', unit: name('trang') };
  const countQuestion = (id: string, extra: Partial<Question> = {}): Question => ({
    id,
    label: name(id),
    type: 'number',
    required: true,
    integer: true,
    min: 1,
    max: 500,
    ...extra,
  });

  it('prices units by band, caps them, and multiplies by the other count', () => {
    const quantity = feeQuantitySchema.parse({
      ...pages,
      bands: [{ upTo: 2, amountVnd: 2000 }, { upTo: 10, amountVnd: 1000 }, { amountVnd: 500 }],
      maxVnd: 15_000,
      times: { question: 'copies', unit: name('bản') },
    });
    const cost = (p: number, c = 1) => countedFee(0, quantity, { pages: p, copies: c })?.amountVnd;
    expect([cost(1), cost(2), cost(3), cost(10), cost(11), cost(12)]).toEqual([
      2000, 4000, 5000, 12_000, 12_500, 13_000,
    ]);
    // 4,000 + 8,000 + 20 × 500 = 22,000, capped at 15,000 a copy.
    expect(cost(30, 4)).toBe(60_000);
    expect(countedFee(0, quantity, { pages: 3 })).toBeUndefined();
  });

  it('without bands, charges the fee’s amount per unit', () => {
    const quantity = feeQuantitySchema.parse({ question: 'copies', unit: name('bản') });
    expect(countedFee(8000, quantity, { copies: 4 })).toEqual({
      amountVnd: 32_000,
      quantity: { count: 4, unit: name('bản') },
    });
    for (const copies of [0, -1, 1.5, MAX_FEE_COUNT + 1, Number.NaN])
      expect(countedFee(8000, quantity, { copies }), String(copies)).toBeUndefined();
    expect(countedFee(8000, quantity, { copies: '4' })).toBeUndefined();
    expect(countedFee(8000, quantity, JSON.parse('{"__proto__": 4}'))).toBeUndefined();
  });

  it('refuses bands out of order, an open band before the last, and a count multiplying itself', () => {
    const bad = [
      { ...pages, bands: [{ upTo: 5, amountVnd: 1 }, { upTo: 3, amountVnd: 1 }, { amountVnd: 1 }] },
      { ...pages, bands: [{ amountVnd: 1 }, { amountVnd: 1 }] },
      { ...pages, bands: [{ upTo: 2, amountVnd: 1 }] },
      { ...pages, times: { question: 'pages', unit: name('bản') } },
    ];
    for (const quantity of bad)
      expect(feeQuantitySchema.safeParse(quantity).success, JSON.stringify(quantity)).toBe(false);
    expect(
      feeRuleSchema.safeParse(
        fee('phi', 1, { quantity: { ...pages, bands: [{ amountVnd: 1 }] }, amountByChannel: { online: 0 } }),
      ).success,
    ).toBe(false);
  });

  it('needs each count to be a required whole-number question of at least 1 and at most the limit', () => {
    const counted = fee('phi', 2000, {
      quantity: { ...pages, times: { question: 'copies', unit: name('bản') } },
    });
    const problems = (questions: Question[]) => quantityProblems({ fees: [counted], questions });
    expect(problems([countQuestion('pages'), countQuestion('copies')])).toEqual([]);
    expect(problems([countQuestion('pages')])).toEqual(['fee phi: no question copies']);
    for (const wrong of [{ required: false }, { integer: false }, { min: 0 }, { type: 'text' as const }])
      expect(
        problems([countQuestion('pages', wrong), countQuestion('copies')]),
        JSON.stringify(wrong),
      ).toEqual(['fee phi: question pages must be a required whole number of at least 1']);
    expect(problems([countQuestion('pages', { max: MAX_FEE_COUNT + 1 }), countQuestion('copies')])).toEqual([
      `fee phi: question pages must allow at most ${MAX_FEE_COUNT}`,
    ]);
  });

  it('owes what the answers count, and says how', () => {
    const perCopy = fee('phi', 8000, {
      setBy: 'ministry',
      kind: 'fee',
      quantity: { question: 'copies', unit: name('bản') },
    });
    const owedFor = (answers: Record<string, number>) =>
      computeFeesDue({ fees: [perCopy], channel: 'online', filedAt: FIRST_INSTANT_OF_2026, answers });
    expect(owedFor({ copies: 2 }).items).toEqual([
      {
        feeId: 'phi',
        name: name('phi'),
        baseVnd: 16_000,
        dueVnd: 16_000,
        quantity: { count: 2, unit: name('bản') },
      },
    ]);
    // Uncounted: one unit, and the officer counts.
    expect(owedFor({}).items[0]).toMatchObject({
      baseVnd: 8000,
      dueVnd: 8000,
      condition: expect.any(Object),
    });
  });
});

describe('answers that count a fee', () => {
  const copies = asVersions().find((v) => v.code === '2.000815')!;
  const problemsOf = (answers: Record<string, string | number | boolean>) => {
    try {
      assertComplete(copies, [], answers);
      return [];
    } catch (error) {
      return (
        (error as { details?: { invalidAnswers?: { question: string; problem: string }[] } }).details
          ?.invalidAnswers ?? []
      ).map((a) => `${a.question}: ${a.problem}`);
    }
  };

  it('must be whole numbers within the question’s bounds', () => {
    expect(problemsOf({ pages: 2.5, copies: 0 })).toEqual([
      'pages: expected a whole number',
      'copies: expected at least 1',
    ]);
    expect(problemsOf({ pages: 2001, copies: 101 })).toEqual([
      'pages: expected at most 2000',
      'copies: expected at most 100',
    ]);
    expect(problemsOf({ pages: 12, copies: 2 })).toEqual([]);
  });
});
