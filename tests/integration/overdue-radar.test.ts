// The overdue radar on the embedded stack: Ba Đình's dossiers overdue, due today and due tomorrow read from the real
// due-day index through the gateway, by the branch and by the center, and refused outside the scope; and, with the
// workflow's time scale making a working day last a second, a step past its due time on the radar under its agency
// while the supervisors' mailbox gets one email per DossierOverdue event in the local outbox.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPartners } from '../../local/demo';
import { LOCAL_SUPERVISORS_EMAIL } from '../../local/stack';
import { dynamoDocumentClient } from '../../shared/adapters/aws';
import { dossierRepository } from '../../shared/adapters/dossier-deps';
import { dayNumber, dayString } from '../../shared/domain/calendar-core';
import type { Dossier } from '../../shared/domain/dossier';
import { localDayCode } from '../../shared/domain/dossier-code';
import type { StreamHandler } from '../../shared/events/handler';
import type { OverdueRadar } from '../../shared/schemas/radar';
import { eventually } from '../fixtures/workflow/client';
import { streamRecord } from '../unit/support/stream';
import { fileBundle } from './support/routing';
import { signedFetch } from './support/signed';
import { startTestStack, type TestStack } from './support/stack';

const BA_DINH = '000.02.01.H26';
const HOAN_KIEM = '000.01.01.H26';
const ward = demoPartners[0]!;

let stack: TestStack;
let bundle: string;
beforeAll(async () => {
  stack = await startTestStack({ workflowTimeScale: 86_400 });
  // Received at the Ba Đình counter and routed: the ward's same-day step runs past its due time within seconds.
  bundle = await fileBundle(stack);
}, 120_000);
afterAll(() => stack?.stop());

async function radar(query: string, as: string): Promise<OverdueRadar> {
  const response = await stack.call(`/v1/stats/overdue${query}`, { as });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as OverdueRadar;
}

const errorCode = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;

/** A received dossier of `unit` due on `day`, written through the real repository (its index keys included). */
async function dueOn(template: Dossier, unit: string, day: string): Promise<string> {
  const { routing: _routing, ...rest } = template;
  const written = await dossierRepository().create(unit, localDayCode(new Date()), (code) => ({
    dossier: {
      ...rest,
      code,
      unit,
      status: 'RECEIVED',
      deadline: { ...template.deadline!, appointmentDay: day },
    },
    history: [],
  }));
  return written.code;
}

const overdueEvents = async (code: string) => {
  const { Items } = await dynamoDocumentClient().send(
    new QueryCommand({
      TableName: process.env.TABLE_DOSSIERS,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
      ExpressionAttributeValues: { ':pk': `DOSSIER#${code}`, ':events': 'EVENT#' },
    }),
  );
  return (Items ?? []).filter((item) => (item.event as { name: string }).name === 'DossierOverdue');
};

const alertsOf = (code: string) =>
  stack.outbox.messages().filter((m) => m.kind === 'supervisor-overdue' && m.dossierCode === code);

describe('the overdue radar', () => {
  it("counts a branch's dossiers overdue, due today and due tomorrow from the due-day index, for the branch and the center", async () => {
    const { today, tomorrow } = await radar('', 'officer.badinh');
    const template = (await dossierRepository().get(bundle))!;
    const late = await dueOn(template, BA_DINH, dayString(dayNumber(today) - 1));
    const dueToday = await dueOn(template, BA_DINH, today);
    const dueTomorrow = await dueOn(template, BA_DINH, tomorrow);
    const elsewhere = await dueOn(template, HOAN_KIEM, today);

    const branch = await radar('', 'supervisor');
    expect(branch.scope).toEqual({ kind: 'branch', unit: BA_DINH });
    expect(branch.units.map((u) => u.unit)).toEqual([BA_DINH]);
    // The routed bundle is due three working days on: not on the radar's dossiers.
    expect(branch.units[0]).toMatchObject({
      counts: { overdue: 1, dueToday: 1, dueTomorrow: 1 },
      complete: true,
    });
    expect(branch.units[0]!.dossiers.map((d) => [d.code, d.bucket])).toEqual([
      [late, 'overdue'],
      [dueToday, 'dueToday'],
      [dueTomorrow, 'dueTomorrow'],
    ]);
    // Every running clock, counted by DynamoDB (Select COUNT on the index): the three above and the routed bundle.
    expect(branch.units[0]!.inProgress).toEqual({ onTime: 3, late: 1 });

    const center = await radar('', 'admin');
    expect(center.scope).toEqual({ kind: 'center' });
    expect(center.units.length).toBeGreaterThanOrEqual(13);
    expect(center.units.find((u) => u.unit === HOAN_KIEM)!.dossiers.map((d) => d.code)).toEqual([elsewhere]);
    expect(center.totals.dossiers).toEqual({ overdue: 1, dueToday: 2, dueTomorrow: 1 });
    expect(center.totals.inProgress).toEqual({ onTime: 4, late: 1 });

    const other = await stack.call(`/v1/stats/overdue?unit=${BA_DINH}`, { as: 'officer.hoankiem' });
    expect(other.status).toBe(403);
    expect(await errorCode(other)).toBe('OUT_OF_SCOPE');
    expect((await stack.call('/v1/stats/overdue', { as: 'citizen.an' })).status).toBe(403);
  });

  it("puts a step past its due time under its agency, and emails the supervisors' mailbox once per overdue event", async () => {
    const flagged = await eventually(async () => {
      const read = await radar(`?agency=${ward.agency}`, 'supervisor');
      return read.agencies[0]?.steps.find((s) => s.dossierCode === bundle && s.flagged);
    }, "the ward's step flagged overdue on the radar");
    expect(flagged).toMatchObject({ bucket: 'overdue', unit: BA_DINH, stepId: 's0-0' });

    // The ward answers (rejects): the run ends, no more overdue flags; the decided step leaves the radar.
    const decided = await signedFetch(
      stack.urls.gateway,
      `/v1/partner/tasks/${encodeURIComponent(flagged.taskId)}/decision`,
      ward,
      { method: 'POST', body: { decision: 'reject', reason: 'Kết thúc phép thử / end of the test' } },
    );
    expect(decided.status, await decided.clone().text()).toBe(200);
    const after = await radar(`?agency=${ward.agency}`, 'supervisor');
    expect(after.agencies[0]!.steps.map((s) => s.taskId)).not.toContain(flagged.taskId);

    const events = await overdueEvents(bundle);
    expect(events.length).toBeGreaterThan(0);
    const alerts = await eventually(async () => {
      const sent = alertsOf(bundle);
      return sent.length >= events.length ? sent : undefined;
    }, 'an alert per overdue event');
    expect(alerts.map((m) => m.eventId).sort()).toEqual(
      events.map((e) => (e.event as { id: string }).id).sort(),
    );
    expect(alerts[0]).toMatchObject({
      to: LOCAL_SUPERVISORS_EMAIL,
      from: 'thongbao@motcua.local.test',
      event: 'DossierOverdue',
    });
    expect(alerts[0]!.text).toContain(ward.agency);

    // Delivered again: nothing more is sent.
    const { handler } = (await import('../../functions/stats/on-dossier-overdue')) as {
      handler: StreamHandler;
    };
    expect(await handler({ Records: [streamRecord(events[0]!, 1)] })).toEqual({ batchItemFailures: [] });
    expect(alertsOf(bundle)).toHaveLength(events.length);
  });
});
