import { describe, expect, it } from 'vitest';
import { dueAt, pauseDeadline, resumeDeadline, startDeadline } from '../../shared/domain/deadline';
import { type Dossier, type DossierAction, move, nextStatus, statuses } from '../../shared/domain/dossier';
import {
  applicantKey,
  formatDossierCode,
  localDayCode,
  newLookupKey,
  sameKey,
} from '../../shared/domain/dossier-code';
import { isCitizenId, isTaxCode, maskCitizenId } from '../../shared/domain/identity-numbers';
import { ConflictError } from '../../shared/errors';

const allowed: Record<DossierAction, string[]> = {
  submit: ['none'],
  intake: ['none'],
  receive: ['SUBMITTED'],
  requestSupplement: ['SUBMITTED', 'RECEIVED', 'IN_PROGRESS'],
  supplement: ['SUPPLEMENT_REQUESTED'],
  refuse: ['SUBMITTED', 'SUPPLEMENT_REQUESTED'],
  route: ['RECEIVED'],
  completeStage: ['IN_PROGRESS'],
  startStage: ['IN_PROGRESS'],
  decideStep: ['IN_PROGRESS'],
  forwardStep: ['IN_PROGRESS'],
  flagOverdue: ['IN_PROGRESS'],
  redrive: ['IN_PROGRESS', 'SUPPLEMENT_REQUESTED'],
  recordRouteFailure: ['IN_PROGRESS', 'SUPPLEMENT_REQUESTED'],
  approveAll: ['IN_PROGRESS'],
  reject: ['IN_PROGRESS'],
  stop: ['IN_PROGRESS'],
  dispatch: ['RESULT_READY'],
  return: ['RESULT_READY'],
  rate: ['RETURNED', 'REJECTED', 'STOPPED'],
  withdraw: ['SUBMITTED', 'RECEIVED', 'IN_PROGRESS', 'SUPPLEMENT_REQUESTED', 'RESULT_READY'],
  startPayment: ['SUBMITTED', 'RECEIVED', 'IN_PROGRESS', 'SUPPLEMENT_REQUESTED', 'RESULT_READY'],
  requestRefund: [...statuses],
  settleRefund: [...statuses],
  // Money that moved is recorded whatever became of the dossier meanwhile.
  settlePayment: [
    'SUBMITTED',
    'RECEIVED',
    'IN_PROGRESS',
    'SUPPLEMENT_REQUESTED',
    'RESULT_READY',
    'RETURNED',
    'REFUSED',
    'REJECTED',
    'STOPPED',
    'WITHDRAWN',
  ],
};

describe('the dossier state machine', () => {
  for (const [action, from] of Object.entries(allowed) as [DossierAction, string[]][]) {
    it(`allows ${action} only from ${from.join(', ')}`, () => {
      for (const status of [null, ...statuses]) {
        const name = status ?? 'none';
        const attempt = () => nextStatus(status, action, 'SUBMITTED');
        if (from.includes(name)) expect(attempt, name).not.toThrow();
        else expect(attempt, name).toThrow(ConflictError);
      }
    });
  }

  it('names the current status in the refusal', () => {
    try {
      nextStatus('RETURNED', 'receive');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        code: 'INVALID_TRANSITION',
        status: 409,
        details: { status: 'RETURNED' },
      });
    }
  });

  it('refuses to receive during a supplement request only if the dossier was never received', () => {
    expect(nextStatus('SUPPLEMENT_REQUESTED', 'refuse', 'SUBMITTED')).toBe('REFUSED');
    expect(() => nextStatus('SUPPLEMENT_REQUESTED', 'refuse', 'RECEIVED')).toThrow(ConflictError);
  });

  it('resumes a supplemented dossier where the request began', () => {
    expect(nextStatus('SUPPLEMENT_REQUESTED', 'supplement', 'IN_PROGRESS')).toBe('IN_PROGRESS');
    expect(nextStatus('SUPPLEMENT_REQUESTED', 'supplement', 'SUBMITTED')).toBe('SUBMITTED');
  });

  it('records each move with actor, time, reason and a new version', () => {
    const dossier = { status: 'SUBMITTED', version: 3, historyCount: 1, forms: [] } as unknown as Dossier;
    const actor = { kind: 'officer', sub: 'o1', name: 'Châu', branch: 'B' } as const;
    const at = new Date('2026-11-27T03:00:00Z');
    const { dossier: next, entry } = move(dossier, 'refuse', actor, at, {}, 'Không thuộc thẩm quyền');
    expect(next).toMatchObject({
      status: 'REFUSED',
      version: 4,
      historyCount: 2,
      updatedAt: at.toISOString(),
    });
    expect(entry).toEqual({
      seq: 2,
      at: at.toISOString(),
      action: 'refuse',
      from: 'SUBMITTED',
      to: 'REFUSED',
      actor,
      reason: 'Không thuộc thẩm quyền',
    });
  });
});

describe('deadlines', () => {
  const received = new Date('2026-03-02T02:00:00Z'); // Mon 09:00 in Hanoi

  it('starts at receipt with the appointment day and the calendar basis', () => {
    const deadline = startDeadline(received, 3);
    expect(deadline.appointmentDay).toBe('2026-03-05');
    expect(deadline.basis).toEqual([expect.objectContaining({ year: 2026, decided: true })]);
  });

  it('pauses the clock while a supplement is requested and moves the day by the paused working time', () => {
    const paused = pauseDeadline(startDeadline(received, 3), new Date('2026-03-03T03:00:00Z')); // Tue 10:00
    expect(paused.pauses).toEqual([{ from: '2026-03-03T03:00:00.000Z' }]);
    expect(paused.appointmentDay).toBe('2026-03-05');
    const resumed = resumeDeadline(paused, new Date('2026-03-04T08:00:00Z')); // Wed 15:00
    // Due Thu 09:00 plus 14 working hours paused: Fri 14:00.
    expect(dueAt(resumed)).toEqual(new Date('2026-03-06T07:00:00Z'));
    expect(resumed.appointmentDay).toBe('2026-03-06');
    expect(resumed.pauses[0]?.to).toBe('2026-03-04T08:00:00.000Z');
  });

  it('is due at the receipt time of day, N working days later', () => {
    const deadline = startDeadline(new Date('2026-12-02T04:33:00Z'), 3); // Wed 11:33 in Hanoi
    expect(dueAt(deadline)).toEqual(new Date('2026-12-07T04:33:00Z')); // Mon 11:33
    expect(deadline.appointmentDay).toBe('2026-12-07');
  });

  it('keeps the appointment day after a 6-second pause, due 6 seconds later', () => {
    const started = startDeadline(new Date('2026-12-02T04:33:00Z'), 3);
    const paused = pauseDeadline(started, new Date('2026-12-02T07:00:00Z')); // Wed 14:00
    const resumed = resumeDeadline(paused, new Date('2026-12-02T07:00:06Z'));
    expect(dueAt(resumed)).toEqual(new Date('2026-12-07T04:33:06Z')); // Mon 11:33:06
    expect(resumed.appointmentDay).toBe('2026-12-07');
  });

  it('counts an early-morning receipt from 08:00 that day', () => {
    const deadline = startDeadline(new Date('2026-12-02T00:15:00Z'), 3); // Wed 07:15 in Hanoi
    expect(dueAt(deadline)).toEqual(new Date('2026-12-07T01:00:00Z')); // Mon 08:00
    expect(deadline.appointmentDay).toBe('2026-12-07');
  });

  it('does not open a second pause while one is open', () => {
    const once = pauseDeadline(startDeadline(received, 3), new Date('2026-03-03T03:00:00Z'));
    expect(pauseDeadline(once, new Date('2026-03-03T04:00:00Z')).pauses).toHaveLength(1);
  });

  it('says when a year had no government decision', () => {
    const deadline = startDeadline(new Date('2028-12-28T02:00:00Z'), 10);
    expect(deadline.basis.find((b) => b.year === 2029)).toMatchObject({ decided: false });
  });
});

describe('dossier codes and keys', () => {
  it('formats the unit, the Hanoi day and a four-digit sequence', () => {
    expect(formatDossierCode('000.02.01.H26', localDayCode(new Date('2026-11-26T18:30:00Z')), 42)).toBe(
      '000.02.01.H26-261127-0042',
    );
  });

  it('issues 8-character keys without ambiguous letters and compares them exactly', () => {
    const key = newLookupKey();
    expect(key).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(sameKey(key, key)).toBe(true);
    expect(sameKey(key, key === 'ZZZZZZZZ' ? '00000000' : 'ZZZZZZZZ')).toBe(false);
  });

  it('keys the applicant index by a hash, never the ID number', () => {
    expect(applicantKey('001090012345')).not.toContain('001090012345');
    expect(applicantKey('001090012345')).toBe(applicantKey('001090012345'));
  });
});

describe('identity numbers', () => {
  it('accepts well-formed citizen IDs', () => {
    expect(isCitizenId('001090012345')).toBe(true);
    expect(isCitizenId('079203000001')).toBe(true);
  });

  it('refuses wrong length, unknown province and future birth years', () => {
    expect(isCitizenId('00109001234')).toBe(false);
    expect(isCitizenId('999090012345')).toBe(false);
    expect(isCitizenId('001299012345', new Date('2026-01-01'))).toBe(false);
    expect(isCitizenId('00109001234a')).toBe(false);
  });

  it('checks the tax code check digit', () => {
    expect(isTaxCode('0100109106')).toBe(true);
    expect(isTaxCode('0100109107')).toBe(false);
    expect(isTaxCode('0100109106-001')).toBe(true);
  });

  it('masks all but the province and the last two digits', () => {
    expect(maskCitizenId('001090012345')).toBe('001*******45');
  });
});
