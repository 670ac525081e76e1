// One domain function per transition: what each move changes, the entry it records and the events it emits.
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../shared/domain/caller';
import type { Actor, Dossier } from '../../shared/domain/dossier';
import {
  completeRouting,
  completeStage,
  type Filing,
  open,
  receive,
  refuse,
  rejectRouting,
  requestSupplement,
  startRouting,
  stopRouting,
  supplement,
  withdraw,
} from '../../shared/domain/transitions';
import { birthDossier, document } from './support/dossier';

const officerCaller: Caller = {
  kind: 'staff',
  sub: 'sub-officer',
  name: 'Lê Văn Cường',
  roles: ['officer'],
  branch: '000.00.01.H26',
};
const officer = {
  actor: { kind: 'officer', sub: 'sub-officer', name: 'Lê Văn Cường', branch: '000.00.01.H26' } as Actor & {
    kind: 'officer';
  },
  caller: officerCaller,
};
const citizen = {
  actor: { kind: 'citizen', sub: 'sub-citizen-an', name: 'Nguyễn Văn An' } as Actor & { kind: 'citizen' },
  caller: { kind: 'citizen', sub: 'sub-citizen-an', name: 'Nguyễn Văn An' } as Caller,
};
const agency = {
  actor: { kind: 'agency', agency: '000.33.08.H26' } as Actor & { kind: 'agency' },
  caller: {
    kind: 'agency',
    agency: '000.33.08.H26',
    principalArn: 'arn:aws:iam::111111111111:role/police',
  } as Caller,
};
// Wednesday 25 Nov 2026, 10:00 and 14:00 in Hanoi; Friday 27 Nov 10:00.
const wed10 = new Date('2026-11-25T03:00:00Z');
const wed14 = new Date('2026-11-25T07:00:00Z');
const fri10 = new Date('2026-11-27T03:00:00Z');

function submitted(): Dossier {
  const { receivedAt, receivedBy, deadline, ...rest } = birthDossier();
  return { ...rest, status: 'SUBMITTED', procedure: { ...rest.procedure, processingDays: 3 } };
}

describe('opening a dossier', () => {
  const filing = (channel: 'online' | 'counter'): Filing => {
    const {
      status,
      version,
      historyCount,
      submittedAt,
      updatedAt,
      receivedAt,
      receivedBy,
      deadline,
      ...rest
    } = birthDossier();
    return { ...rest, channel, procedure: { ...rest.procedure, processingDays: 3 } };
  };

  it('online waits for intake, with no clock running', () => {
    const { dossier, entry, events } = open(filing('online'), citizen, wed10);
    expect(dossier).toMatchObject({ status: 'SUBMITTED', version: 1, historyCount: 1 });
    expect(dossier.deadline).toBeUndefined();
    expect(entry).toMatchObject({ seq: 1, action: 'submit', from: null, to: 'SUBMITTED' });
    expect(events.map((e) => e.name)).toEqual(['DossierFiled']);
  });

  it('at the counter is received on the spot and its clock starts', () => {
    const { dossier, events } = open(filing('counter'), officer, wed10);
    expect(dossier).toMatchObject({
      status: 'RECEIVED',
      receivedBy: { sub: 'sub-officer', name: 'Lê Văn Cường' },
      deadline: { workingDays: 3, appointmentDay: '2026-11-30' },
    });
    expect(events.map((e) => e.name)).toEqual(['DossierFiled', 'DossierReceived']);
  });
});

describe('intake moves', () => {
  it('receiving starts the clock and bumps the version', () => {
    const before = submitted();
    const { dossier, entry, events } = receive(before, officer, wed10);
    expect(dossier).toMatchObject({
      status: 'RECEIVED',
      version: before.version + 1,
      receivedAt: wed10.toISOString(),
      deadline: { appointmentDay: '2026-11-30', pauses: [] },
    });
    expect(entry).toMatchObject({ action: 'receive', from: 'SUBMITTED', to: 'RECEIVED' });
    expect(events[0]).toMatchObject({ name: 'DossierReceived', dossierVersion: dossier.version });
  });

  it('a supplement request stops a received dossier’s clock; the supplement starts it and says if the day moved', () => {
    const received = receive(submitted(), officer, wed10).dossier;
    const asked = requestSupplement(received, officer, wed14, [{ name: 'CCCD', reason: 'mờ' }]);
    expect(asked.dossier).toMatchObject({
      status: 'SUPPLEMENT_REQUESTED',
      supplement: { resumeTo: 'RECEIVED', items: [{ name: 'CCCD' }] },
      deadline: { pauses: [{ from: wed14.toISOString() }] },
    });
    expect(asked.entry.reason).toBe('CCCD');
    const added = [document('cccd', 'up-new')];
    const back = supplement(asked.dossier, citizen, fri10, { added, answers: { note: 'rõ' } });
    expect(back.dossier.status).toBe('RECEIVED');
    expect(back.dossier.documents.filter((d) => d.requirementId === 'cccd').map((d) => d.documentId)).toEqual(
      ['up-new'],
    );
    expect(back.dossier.answers).toMatchObject({ note: 'rõ' });
    // Paused Wed 14:00 → Fri 10:00, 14 working hours: due Mon 30 10:00 becomes Tue 1 Dec 15:00.
    expect(back.appointmentDayChanged).toBe(true);
    expect(back.dossier.deadline?.appointmentDay).toBe('2026-12-01');
    expect(back.entry.reason).toContain('2026-12-01');
    expect(back.events[0]).toMatchObject({
      name: 'DossierSupplemented',
      payload: { appointmentDayChanged: true, received: true },
    });
  });

  it('an officer may not ask a routed dossier for more; its deciding agency may', () => {
    const routed = { ...birthDossier(), status: 'IN_PROGRESS' as const };
    expect(() => requestSupplement(routed, officer, wed10, [{ name: 'x', reason: 'y' }])).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    );
    expect(requestSupplement(routed, agency, wed10, [{ name: 'x', reason: 'y' }]).dossier.status).toBe(
      'SUPPLEMENT_REQUESTED',
    );
  });

  it('refusal and withdrawal keep their reason, and a closed dossier moves no further', () => {
    const refused = refuse(submitted(), officer, wed10, 'không thuộc thẩm quyền');
    expect(refused.dossier).toMatchObject({
      status: 'REFUSED',
      refusal: { reason: 'không thuộc thẩm quyền' },
    });
    expect(refused.events[0]).toMatchObject({
      name: 'DossierRefused',
      payload: { reason: 'không thuộc thẩm quyền' },
    });
    expect(() => withdraw(refused.dossier, citizen, wed14, 'đổi ý')).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    );
    const withdrawn = withdraw(submitted(), citizen, wed14, 'đổi ý');
    expect(withdrawn.dossier).toMatchObject({ status: 'WITHDRAWN', withdrawal: { reason: 'đổi ý' } });
  });
});

describe('routing moves', () => {
  const system = {
    actor: { kind: 'system' } as Actor & { kind: 'system' },
    caller: { kind: 'system', process: 'routing' } as Caller,
  };
  const run = { attempt: 1, executionName: '000_00_01_H26-261127-0001-a1', stageCount: 2 };

  it('takes a received dossier through its stages to a ready result, one hand-off per stage', () => {
    const routed = startRouting(birthDossier(), system, wed10, run);
    expect(routed.dossier).toMatchObject({
      status: 'IN_PROGRESS',
      routing: { completedStages: 0, stageCount: 2 },
    });
    expect(routed.events[0]).toMatchObject({ name: 'DossierRouted', payload: { attempt: 1, stageCount: 2 } });
    const first = completeStage(routed.dossier, system, wed14, 0);
    expect(first.dossier).toMatchObject({ status: 'IN_PROGRESS', routing: { completedStages: 1 } });
    expect(first.entry).toMatchObject({ action: 'completeStage', from: 'IN_PROGRESS', to: 'IN_PROGRESS' });
    // The route is not done while a stage is left, and a stage completes once.
    expect(() => completeRouting(first.dossier, system, wed14)).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    );
    expect(() => completeStage(first.dossier, system, wed14, 0)).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    );
    const second = completeStage(first.dossier, system, fri10, 1);
    const done = completeRouting(second.dossier, system, fri10);
    expect(done.dossier).toMatchObject({
      status: 'RESULT_READY',
      routing: { completedStages: 2, endedAt: fri10.toISOString() },
    });
    expect(done.events.map((e) => e.name)).toEqual(['DossierResultReady']);
  });

  it('a re-drive keeps the stages already completed', () => {
    const halfway = {
      ...birthDossier(),
      routing: { ...run, startedAt: wed10.toISOString(), completedStages: 1 },
    };
    const again = startRouting(halfway, system, fri10, { ...run, attempt: 2, executionName: 'x-a2' });
    expect(again.dossier.routing).toMatchObject({ attempt: 2, completedStages: 1 });
  });

  it('ends in REJECTED with the agency and its reason, or STOPPED with the reason form 05 gives', () => {
    const routed = startRouting(birthDossier(), system, wed10, run).dossier;
    const rejected = rejectRouting(routed, agency, wed14, 'không đủ điều kiện cư trú');
    expect(rejected.dossier).toMatchObject({
      status: 'REJECTED',
      rejection: { agency: '000.33.08.H26', reason: 'không đủ điều kiện cư trú' },
    });
    expect(rejected.events[0]).toMatchObject({
      name: 'DossierRejected',
      payload: { agency: '000.33.08.H26' },
    });
    const stopped = stopRouting(routed, citizen, wed14, 'người nộp đề nghị dừng');
    expect(stopped.dossier).toMatchObject({ status: 'STOPPED', stop: { reason: 'người nộp đề nghị dừng' } });
    // Neither applies to a dossier that was never routed.
    expect(() => rejectRouting(birthDossier(), agency, wed14, 'x')).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    );
  });
});
