import { describe, expect, it } from 'vitest';
import {
  executionName,
  planRoute,
  routeAgencies,
  stepDueAt,
  stepTimeoutSeconds,
} from '../../shared/domain/routing';

const task = (en: string) => ({ vi: en, en });
// The under-6 bundle (2.002621): the commune's justice officer, then residence and health insurance in parallel.
const bundle = [
  { steps: [{ agency: '000.00.33.H26', task: task('birth registration'), workingDays: 0 }] },
  {
    steps: [
      { agency: '000.33.08.H26', task: task('permanent residence'), workingDays: 2 },
      { agency: '000.00.09.H26', task: task('health insurance card'), workingDays: 1.5 },
    ],
  },
];

describe('route plans', () => {
  it('lists stages in order with the steps of a stage side by side, named by stage and step', () => {
    const plan = planRoute(bundle);
    expect(plan.stages.map((stage) => stage.map((s) => [s.stepId, s.agency, s.workingDays]))).toEqual([
      [['s0-0', '000.00.33.H26', 0]],
      [
        ['s1-0', '000.33.08.H26', 2],
        ['s1-1', '000.00.09.H26', 2],
      ],
    ]);
    expect(routeAgencies(planRoute([...bundle, bundle[0]!]))).toEqual([
      '000.00.33.H26',
      '000.33.08.H26',
      '000.00.09.H26',
    ]);
  });

  it('refuses an empty route or stage', () => {
    expect(() => planRoute([])).toThrow(RangeError);
    expect(() => planRoute([{ steps: [] }])).toThrow(/stage 0/);
  });
});

describe('step deadlines', () => {
  // Wednesday 25 Nov 2026, 10:00 in Hanoi.
  const assigned = new Date('2026-11-25T03:00:00Z');

  it('are working days on the calendar: two days from Wednesday 10:00 is Friday 10:00, a pause adds back', () => {
    expect(stepDueAt(assigned, 2).toISOString()).toBe('2026-11-27T03:00:00.000Z');
    // Paused Thursday 08:00–17:00 (one working day): due Monday 10:00.
    const pause = { from: new Date('2026-11-26T01:00:00Z'), to: new Date('2026-11-26T10:00:00Z') };
    expect(stepDueAt(assigned, 2, [pause]).toISOString()).toBe('2026-11-30T03:00:00.000Z');
  });

  it('turn into a callback timeout under a time scale, never zero', () => {
    const due = stepDueAt(assigned, 2);
    expect(stepTimeoutSeconds(due, assigned)).toBe(2 * 86_400);
    expect(stepTimeoutSeconds(due, assigned, 86_400)).toBe(2);
    expect(stepTimeoutSeconds(due, new Date(due.getTime() + 60_000))).toBe(1);
    expect(() => stepTimeoutSeconds(due, assigned, 0)).toThrow(RangeError);
  });
});

describe('execution names', () => {
  it('are one per dossier and attempt, in the characters Step Functions allows', () => {
    expect(executionName('000.02.01.H26-261127-0042', 1)).toBe('000_02_01_H26-261127-0042-a1');
    expect(executionName('000.02.01.H26-261127-0042', 2)).not.toBe(
      executionName('000.02.01.H26-261127-0042', 1),
    );
    expect(() => executionName('x', 0)).toThrow(RangeError);
  });
});
