// The overdue radar over in-memory fakes of its index reads and the catalogue: Vietnam-local days with the working
// calendar, dossiers by unit and steps by agency, the supervision scope; and the supervisors' overdue alert.

import { describe, expect, it } from 'vitest';
import { taskItem } from '../../shared/adapters/dynamo/task-repository';
import type { Caller } from '../../shared/domain/caller';
import type { Dossier } from '../../shared/domain/dossier';
import { domainEvent } from '../../shared/domain/events';
import type { AgencyTask } from '../../shared/domain/tasks';
import { AppError } from '../../shared/errors';
import { alertSupervisors, SUPERVISOR_ALERTS_CONSUMER } from '../../shared/notifications/alert-supervisors';
import type { OutgoingEmail } from '../../shared/ports/notifier';
import {
  MAX_RADAR_READS_PER_UNIT,
  type OverdueRadarDeps,
  overdueRadar,
  radarDays,
} from '../../shared/usecases/stats/overdue-radar';
import { memoryCatalogue } from './fakes/memory-catalogue';
import { memoryMarks } from './fakes/memory-marks';
import { memoryRadarIndex } from './fakes/memory-radar';
import { birthDossier } from './support/dossier';

const BA_DINH = '000.02.01.H26';
const HOAN_KIEM = '000.01.01.H26';
const WARD = '000.00.33.H26';
const POLICE = '000.33.08.H26';

/** Hanoi local time. */
const at = (local: string) => new Date(`${local}+07:00`);
// Wednesday 2 Dec 2026, 10:00 in Hanoi: today the 2nd, tomorrow Thursday the 3rd.
const WEDNESDAY = at('2026-12-02T10:00:00');

const officer = (branch: string): Caller => ({
  kind: 'staff',
  sub: `officer-${branch}`,
  name: 'Cán bộ',
  roles: ['officer'],
  branch,
});
const centerSupervisor: Caller = {
  kind: 'staff',
  sub: 'sup-center',
  name: 'Giám sát',
  roles: ['supervisor'],
};
const citizen: Caller = { kind: 'citizen', sub: 'sub-an', name: 'Nguyễn Văn An', citizenId: '001090012345' };

let seq = 0;
function dossier(unit: string, appointmentDay: string, changes: Partial<Dossier> = {}): Dossier {
  seq += 1;
  const base = birthDossier(`${unit}-261201-${String(seq).padStart(4, '0')}`);
  return {
    ...base,
    unit,
    status: 'IN_PROGRESS',
    deadline: {
      workingDays: 3,
      receivedAt: '2026-11-27T02:00:00.000Z',
      appointmentDay,
      pauses: [],
      basis: [],
      computedAt: '2026-11-27T02:00:00.000Z',
    },
    ...changes,
  };
}

function task(unit: string, agency: string, dueAt: Date, changes: Partial<AgencyTask> = {}): AgencyTask {
  seq += 1;
  const code = `${unit}-261201-${String(seq).padStart(4, '0')}`;
  return {
    id: `${code}~s0-0~r1`,
    dossierCode: code,
    procedure: { code: '2.002621', version: 1, name: { vi: 'Liên thông', en: 'Bundle' } },
    agency,
    stepId: 's0-0',
    stage: 0,
    round: 1,
    task: { vi: 'Đăng ký khai sinh', en: 'Register the birth' },
    workingDays: 2,
    assignedAt: '2026-11-30T02:00:00.000Z',
    dueAt: dueAt.toISOString(),
    status: 'open',
    overdue: false,
    token: 'token',
    version: 1,
    ...changes,
  };
}

async function setup(now = WEDNESDAY) {
  const index = memoryRadarIndex();
  const catalogue = memoryCatalogue();
  await catalogue.repository.putBranches([
    { code: HOAN_KIEM, name: { vi: 'Chi nhánh số 1', en: 'Branch 1' }, address: 'Hoàn Kiếm', communes: [] },
    { code: BA_DINH, name: { vi: 'Chi nhánh số 2', en: 'Branch 2' }, address: 'Ba Đình', communes: [] },
  ]);
  await catalogue.repository.putAgencies([
    { code: WARD, name: { vi: 'UBND phường Ba Đình', en: 'Ba Dinh ward' }, kind: 'commune' },
    { code: POLICE, name: { vi: 'Công an phường', en: 'Ward police' }, kind: 'police' },
  ]);
  const deps: OverdueRadarDeps = {
    dossiers: index.dossiers,
    tasks: index.tasks,
    catalogue: catalogue.repository,
    clock: () => now,
  };
  return { index, deps };
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, code: error.code };
    throw error;
  }
  throw new Error('not refused');
}

describe('radarDays', () => {
  it('takes today in Vietnam time: 00:30 in Hanoi is already the next day, 23:59 still the same', () => {
    expect(radarDays(new Date('2026-12-02T17:30:00Z')).today).toBe('2026-12-03');
    expect(radarDays(new Date('2026-12-02T16:59:00Z')).today).toBe('2026-12-02');
  });

  it('makes tomorrow the next working day: Thursday after a Wednesday, Monday after a Friday or a Saturday', () => {
    expect(radarDays(WEDNESDAY).tomorrow).toBe('2026-12-03');
    expect(radarDays(at('2026-12-04T10:00:00')).tomorrow).toBe('2026-12-07');
    expect(radarDays(at('2026-12-05T10:00:00'))).toMatchObject({
      today: '2026-12-05',
      tomorrow: '2026-12-07',
    });
  });

  it('skips official days off: on the Friday before Tết 2026 tomorrow is Monday 23 February', () => {
    expect(radarDays(at('2026-02-13T10:00:00')).tomorrow).toBe('2026-02-23');
  });

  it('ends tomorrow at the Vietnam-local midnight after it', () => {
    expect(radarDays(at('2026-12-04T10:00:00')).tomorrowEndsAt).toBe(at('2026-12-08T00:00:00').toISOString());
  });
});

describe('overdueRadar: dossiers by unit', () => {
  it('counts a branch’s dossiers overdue, due today and due tomorrow by appointment day, most urgent first', async () => {
    const { index, deps } = await setup();
    const late = dossier(BA_DINH, '2026-12-01');
    const today = dossier(BA_DINH, '2026-12-02');
    const tomorrow = dossier(BA_DINH, '2026-12-03', { status: 'RECEIVED' });
    const older = dossier(BA_DINH, '2026-11-30');
    for (const d of [tomorrow, today, late, older, dossier(BA_DINH, '2026-12-04')]) index.putDossier(d);

    const radar = await overdueRadar({ caller: officer(BA_DINH), limit: 20 }, deps);
    expect(radar).toMatchObject({
      scope: { kind: 'branch', unit: BA_DINH },
      today: '2026-12-02',
      tomorrow: '2026-12-03',
    });
    expect(radar.units).toHaveLength(1);
    const [unit] = radar.units;
    expect(unit).toMatchObject({
      unit: BA_DINH,
      name: { vi: 'Chi nhánh số 2', en: 'Branch 2' },
      counts: { overdue: 2, dueToday: 1, dueTomorrow: 1 },
      complete: true,
    });
    expect(unit!.dossiers.map((d) => [d.code, d.bucket])).toEqual([
      [older.code, 'overdue'],
      [late.code, 'overdue'],
      [today.code, 'dueToday'],
      [tomorrow.code, 'dueTomorrow'],
    ]);
    expect(radar.totals.dossiers).toEqual({ overdue: 2, dueToday: 1, dueTomorrow: 1 });
  });

  it('on a Friday counts Monday’s appointments as due tomorrow, and nothing of the weekend as overdue', async () => {
    const { index, deps } = await setup(at('2026-12-04T16:00:00'));
    index.putDossier(dossier(BA_DINH, '2026-12-07'));
    index.putDossier(dossier(BA_DINH, '2026-12-08'));
    const radar = await overdueRadar({ caller: officer(BA_DINH), limit: 20 }, deps);
    expect(radar.units[0]!.counts).toEqual({ overdue: 0, dueToday: 0, dueTomorrow: 1 });
  });

  it('on a Monday counts Friday’s open dossiers as overdue', async () => {
    const { index, deps } = await setup(at('2026-12-07T08:30:00'));
    index.putDossier(dossier(BA_DINH, '2026-12-04'));
    const radar = await overdueRadar({ caller: officer(BA_DINH), limit: 20 }, deps);
    expect(radar.units[0]!.counts).toEqual({ overdue: 1, dueToday: 0, dueTomorrow: 0 });
  });

  it('leaves out dossiers whose clock is paused for a supplement and those whose result is ready', async () => {
    const { index, deps } = await setup();
    const base = dossier(BA_DINH, '2026-12-01');
    index.putDossier(
      dossier(BA_DINH, '2026-12-01', {
        status: 'SUPPLEMENT_REQUESTED',
        deadline: { ...base.deadline!, pauses: [{ from: '2026-11-30T02:00:00.000Z' }] },
      }),
    );
    index.putDossier(dossier(BA_DINH, '2026-12-01', { status: 'RESULT_READY' }));
    index.putDossier(base);
    const radar = await overdueRadar({ caller: officer(BA_DINH), limit: 20 }, deps);
    expect(radar.units[0]!.counts).toEqual({ overdue: 1, dueToday: 0, dueTomorrow: 0 });
    expect(radar.units[0]!.dossiers.map((d) => d.code)).toEqual([base.code]);
  });

  it('lists at most `limit` dossiers per unit, counting all of them, and marks the ones a step made late', async () => {
    const { index, deps } = await setup();
    const flagged = dossier(BA_DINH, '2026-11-20', {
      routing: {
        attempt: 1,
        executionName: 'x-a1',
        startedAt: '2026-11-27T02:00:00.000Z',
        completedStages: 0,
        stageCount: 2,
        overdue: [
          {
            at: '2026-11-28T02:00:00.000Z',
            stepId: 's0-0',
            agency: WARD,
            reason: 'late',
            previousAppointmentDay: '2026-11-19',
            newAppointmentDay: '2026-11-20',
          },
        ],
      },
    });
    index.putDossier(flagged);
    for (let i = 0; i < 4; i++) index.putDossier(dossier(BA_DINH, '2026-12-02'));
    const radar = await overdueRadar({ caller: officer(BA_DINH), limit: 2 }, deps);
    expect(radar.units[0]!.counts).toEqual({ overdue: 1, dueToday: 4, dueTomorrow: 0 });
    expect(radar.units[0]!.dossiers).toHaveLength(2);
    expect(radar.units[0]!.dossiers[0]).toMatchObject({ code: flagged.code, extended: true });
    expect(radar.units[0]!.dossiers[1]).toMatchObject({ bucket: 'dueToday', extended: false });
  });

  it('reads a unit page by page up to its cap, then says its counts are a floor', async () => {
    const { index, deps } = await setup();
    for (let i = 0; i < MAX_RADAR_READS_PER_UNIT + 1; i++) index.putDossier(dossier(BA_DINH, '2026-12-01'));
    const radar = await overdueRadar({ caller: officer(BA_DINH), limit: 5 }, deps);
    expect(radar.units[0]!.complete).toBe(false);
    expect(radar.units[0]!.counts.overdue).toBe(MAX_RADAR_READS_PER_UNIT);
  });
});

describe('overdueRadar: agency steps by agency', () => {
  it('groups a unit’s open steps by agency: flagged or past due, due today, due tomorrow; later ones are not listed', async () => {
    const { index, deps } = await setup();
    // Flagged overdue: extended a week ahead, still overdue.
    const flagged = task(BA_DINH, WARD, at('2026-12-09T10:00:00'), { overdue: true });
    const pastDue = task(BA_DINH, WARD, at('2026-12-02T09:00:00'));
    const dueToday = task(BA_DINH, WARD, at('2026-12-02T16:00:00'));
    const dueTomorrow = task(BA_DINH, POLICE, at('2026-12-03T16:59:00'));
    const later = task(BA_DINH, POLICE, at('2026-12-04T08:00:00'));
    const otherBranch = task(HOAN_KIEM, WARD, at('2026-12-02T09:00:00'));
    const decided = task(BA_DINH, WARD, at('2026-12-01T09:00:00'), { status: 'decided' });
    for (const t of [flagged, pastDue, dueToday, dueTomorrow, later, otherBranch, decided]) index.putTask(t);

    const radar = await overdueRadar({ caller: officer(BA_DINH), limit: 20 }, deps);
    // By agency code: 000.00.33 (the ward) before 000.33.08 (the police).
    expect(radar.agencies.map((a) => [a.agency, a.name?.vi, a.counts])).toEqual([
      [WARD, 'UBND phường Ba Đình', { overdue: 2, dueToday: 1, dueTomorrow: 0 }],
      [POLICE, 'Công an phường', { overdue: 0, dueToday: 0, dueTomorrow: 1 }],
    ]);
    const ward = radar.agencies.find((a) => a.agency === WARD)!;
    expect(ward.steps.map((s) => [s.taskId, s.bucket, s.flagged])).toEqual([
      [pastDue.id, 'overdue', false],
      [flagged.id, 'overdue', true],
      [dueToday.id, 'dueToday', false],
    ]);
    expect(ward.steps[0]).toMatchObject({ unit: BA_DINH, dossierCode: pastDue.dossierCode, round: 1 });
    expect(radar.totals.steps).toEqual({ overdue: 2, dueToday: 1, dueTomorrow: 1 });
  });

  it('keeps to one agency when asked, listing it even with nothing due', async () => {
    const { index, deps } = await setup();
    index.putTask(task(BA_DINH, WARD, at('2026-12-02T09:00:00')));
    const police = await overdueRadar({ caller: officer(BA_DINH), agency: POLICE, limit: 20 }, deps);
    expect(police.agencies).toEqual([
      {
        agency: POLICE,
        name: { vi: 'Công an phường', en: 'Ward police' },
        counts: { overdue: 0, dueToday: 0, dueTomorrow: 0 },
        steps: [],
      },
    ]);
    const ward = await overdueRadar({ caller: officer(BA_DINH), agency: WARD, limit: 20 }, deps);
    expect(ward.agencies.map((a) => [a.agency, a.counts.overdue])).toEqual([[WARD, 1]]);
  });
});

describe('overdueRadar: the supervision scope', () => {
  it('refuses a citizen with 403 FORBIDDEN, and staff who supervise no branch and are not of the center', async () => {
    const { deps } = await setup();
    expect(await refusal(overdueRadar({ caller: citizen, limit: 20 }, deps))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    const agencyOfficer: Caller = { kind: 'staff', sub: 'o', name: 'o', roles: ['officer'], agency: WARD };
    expect(await refusal(overdueRadar({ caller: agencyOfficer, limit: 20 }, deps))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
  });

  it('refuses a branch officer asking for another unit with 403 OUT_OF_SCOPE, and reads nothing', async () => {
    const { index, deps } = await setup();
    expect(
      await refusal(overdueRadar({ caller: officer(BA_DINH), unit: HOAN_KIEM, limit: 20 }, deps)),
    ).toEqual({ status: 403, code: 'OUT_OF_SCOPE' });
    expect(index.queries).toEqual([]);
  });

  it('shows a branch officer their own branch only, with one Query of its dossiers, one of its steps and a count', async () => {
    const { index, deps } = await setup();
    index.putDossier(dossier(BA_DINH, '2026-12-01'));
    index.putDossier(dossier(HOAN_KIEM, '2026-12-01'));
    const radar = await overdueRadar({ caller: officer(BA_DINH), unit: BA_DINH, limit: 20 }, deps);
    expect(radar.units.map((u) => u.unit)).toEqual([BA_DINH]);
    expect(radar.totals.dossiers.overdue).toBe(1);
    expect(index.queries.sort()).toEqual([`COUNT DUE#${BA_DINH}`, `DUE#${BA_DINH}`, `STEPS#${BA_DINH}`]);
  });

  it('shows a center supervisor every branch of the catalogue, each read by its own Queries', async () => {
    const { index, deps } = await setup();
    index.putDossier(dossier(BA_DINH, '2026-12-01'));
    index.putDossier(dossier(HOAN_KIEM, '2026-12-02'));
    index.putTask(task(HOAN_KIEM, WARD, at('2026-12-03T10:00:00')));
    const radar = await overdueRadar({ caller: centerSupervisor, limit: 20 }, deps);
    expect(radar.scope).toEqual({ kind: 'center' });
    expect(radar.units.map((u) => [u.unit, u.counts])).toEqual([
      [HOAN_KIEM, { overdue: 0, dueToday: 1, dueTomorrow: 0 }],
      [BA_DINH, { overdue: 1, dueToday: 0, dueTomorrow: 0 }],
    ]);
    expect(radar.totals).toEqual({
      dossiers: { overdue: 1, dueToday: 1, dueTomorrow: 0 },
      steps: { overdue: 0, dueToday: 0, dueTomorrow: 1 },
      inProgress: { onTime: 1, late: 1 },
    });
    expect(index.queries.sort()).toEqual(
      [
        `COUNT DUE#${BA_DINH}`,
        `COUNT DUE#${HOAN_KIEM}`,
        `DUE#${BA_DINH}`,
        `DUE#${HOAN_KIEM}`,
        `STEPS#${BA_DINH}`,
        `STEPS#${HOAN_KIEM}`,
      ].sort(),
    );
  });

  it('counts every dossier whose clock runs, on time or late, beyond the radar’s two days', async () => {
    const { deps, index } = await setup();
    // Late: due yesterday. On time: due today, and due in three weeks (off the radar's lists, still in progress).
    index.putDossier(dossier(BA_DINH, '2026-12-01'));
    index.putDossier(dossier(BA_DINH, '2026-12-02', { status: 'RECEIVED' }));
    index.putDossier(dossier(BA_DINH, '2026-12-23'));
    // Not counted: paused by a supplement request, a result ready, another branch.
    index.putDossier(dossier(BA_DINH, '2026-11-30', { status: 'SUPPLEMENT_REQUESTED' }));
    index.putDossier(dossier(BA_DINH, '2026-11-30', { status: 'RESULT_READY' }));
    index.putDossier(dossier(HOAN_KIEM, '2026-11-30'));
    const radar = await overdueRadar({ caller: officer(BA_DINH), limit: 20 }, deps);
    expect(radar.units.map((u) => [u.unit, u.inProgress])).toEqual([[BA_DINH, { onTime: 2, late: 1 }]]);
    expect(radar.totals.inProgress).toEqual({ onTime: 2, late: 1 });
    // The lists stop at tomorrow: the one due in three weeks is counted, not listed.
    expect(radar.units[0]!.dossiers.map((d) => d.appointmentDay)).toEqual(['2026-12-01', '2026-12-02']);
  });

  it('lets the center ask for one branch, and answers an unknown one with 400 UNKNOWN_BRANCH', async () => {
    const { deps } = await setup();
    const one = await overdueRadar({ caller: centerSupervisor, unit: HOAN_KIEM, limit: 20 }, deps);
    expect(one.units.map((u) => u.unit)).toEqual([HOAN_KIEM]);
    expect(
      await refusal(overdueRadar({ caller: centerSupervisor, unit: '000.99.99.H26', limit: 20 }, deps)),
    ).toEqual({ status: 400, code: 'UNKNOWN_BRANCH' });
  });
});

describe('the steps keys on the due-day index', () => {
  it('put an open step under its dossier unit, a flagged one before every unflagged one', () => {
    const open = taskItem(task(BA_DINH, WARD, at('2026-12-02T09:00:00')));
    const flagged = taskItem(task(BA_DINH, WARD, at('2027-01-30T09:00:00'), { overdue: true }));
    expect(open.gsi3pk).toBe(`STEPS#${BA_DINH}`);
    expect(flagged.gsi3pk).toBe(`STEPS#${BA_DINH}`);
    expect(flagged.gsi3sk! < open.gsi3sk!).toBe(true);
    // The radar's key condition: due before the end of tomorrow, and the flagged whatever their due time.
    const before = `1#${radarDays(WEDNESDAY).tomorrowEndsAt}`;
    expect([open.gsi3sk! < before, flagged.gsi3sk! < before]).toEqual([true, true]);
  });

  it('take a step off the radar once decided, and leave the sweep its key while the decision is unsent', () => {
    const decided = task(BA_DINH, WARD, WEDNESDAY, {
      status: 'decided',
      decision: { kind: 'approve', at: WEDNESDAY.toISOString(), by: WARD },
    });
    expect(taskItem(decided).gsi3pk).toBe('SWEEP#TASKS');
    expect(taskItem({ ...decided, sentAt: WEDNESDAY.toISOString() }).gsi3pk).toBeUndefined();
  });
});

describe('alertSupervisors', () => {
  const overdue = domainEvent(
    'DossierOverdue',
    {
      unit: BA_DINH,
      procedureCode: '2.002621',
      stepId: 's0-0',
      agency: WARD,
      previousAppointmentDay: '2026-12-02',
      newAppointmentDay: '2026-12-03',
    },
    {
      dossierCode: `${BA_DINH}-261201-0001`,
      dossierVersion: 7,
      at: WEDNESDAY,
      caller: { kind: 'system', id: 'routing' },
    },
  );

  function deps(failing = false) {
    const sent: OutgoingEmail[] = [];
    const marks = memoryMarks();
    const state = { failing };
    return {
      sent,
      marks,
      state,
      deps: {
        notifier: {
          async sendEmail(message: OutgoingEmail) {
            if (state.failing) throw new Error('SES is down');
            sent.push(message);
            return { messageId: `m-${sent.length}` };
          },
        },
        marks,
        supervisorsEmail: 'giamsat@motcua.test',
        publicBaseUrl: 'https://api.motcua.test',
        clock: () => WEDNESDAY,
      },
    };
  }

  it('emails the supervisors’ mailbox the dossier, the late agency and both appointment days, in Vietnamese and English', async () => {
    const { sent, deps: d } = deps();
    expect(await alertSupervisors(overdue, d)).toEqual({ outcome: 'sent', messageId: 'm-1' });
    expect(sent).toHaveLength(1);
    const [mail] = sent;
    expect(mail).toMatchObject({
      to: 'giamsat@motcua.test',
      tags: {
        event: 'DossierOverdue',
        eventId: overdue.id,
        dossierCode: overdue.dossierCode,
        kind: 'supervisor-overdue',
      },
    });
    expect(mail!.subject).toContain(overdue.dossierCode);
    for (const fact of [WARD, 's0-0', '2026-12-02', '2026-12-03', 'quá hạn', 'past its due time'])
      expect(mail!.text).toContain(fact);
    expect(mail!.text).toContain(`https://api.motcua.test/v1/stats/overdue?unit=${BA_DINH}`);
  });

  it('sends once per event: a redelivered event sends nothing', async () => {
    const { sent, marks, deps: d } = deps();
    await alertSupervisors(overdue, d);
    expect(await alertSupervisors(overdue, d)).toEqual({ outcome: 'already-sent' });
    expect(sent).toHaveLength(1);
    expect(marks.keys()).toEqual([`${SUPERVISOR_ALERTS_CONSUMER}#${overdue.id}`]);
  });

  it('marks nothing when the send fails, so the retried event is sent', async () => {
    const { sent, marks, state, deps: d } = deps(true);
    await expect(alertSupervisors(overdue, d)).rejects.toThrow('SES is down');
    expect(marks.keys()).toEqual([]);
    state.failing = false;
    expect(await alertSupervisors(overdue, d)).toMatchObject({ outcome: 'sent' });
    expect(sent).toHaveLength(1);
  });
});
