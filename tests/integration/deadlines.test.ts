// Deadlines end to end: a supplement pause that moves the appointment day gives the citizen a new slip 01.
// The stack has no clock port, and its handlers run in this process, so the tests move this process's Date
// (only Date: timers and sockets keep real time) from receipt to supplement. Filing and uploads happen first, on the
// real clock: s3rver refuses requests signed more than 15 minutes away from its own time, and while the SDK corrects
// its clock from an error body (PUT, GET), a HEAD's error has none.
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoBirth } from '../../local/demo';
import { procedure } from '../unit/fixtures';
import { startTestStack, type TestStack } from './support/stack';
import { uploadFile } from './support/uploads';

let stack: TestStack;
let codes: string[];
beforeAll(async () => {
  // The local gateway's token bucket reads Date too: a bucket too deep to empty survives the jumps in time.
  stack = await startTestStack({ throttle: { ratePerSecond: 1, burst: 1e12 }, routing: false });
  // A three-day version of birth registration, so a due time has a time of day to keep.
  const published = await post('/v1/admin/procedures', 'admin', {
    ...procedure(BIRTH),
    processingTime: { workingDays: 3 },
  });
  if (published.status !== 201) throw new Error(`publish ${published.status}: ${await published.text()}`);
  codes = [await fileBirth(), await fileBirth()];
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(() => stack?.stop());

const { procedureCode: BIRTH, unit: BA_DINH, answers, applicant: applicantAn } = demoBirth;

type View = {
  code: string;
  status: string;
  deadline?: { appointmentDay: string; paused: boolean };
  history?: { action: string; at: string; reason?: string }[];
  forms: { form: string; at: string; href: string }[];
};

/** Hanoi local time. */
const at = (local: string) => new Date(`${local}+07:00`);

const post = (path: string, as: string, body?: unknown) =>
  stack.call(path, {
    method: 'POST',
    as,
    ...(body !== undefined
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
      : {}),
  });

async function ok(response: Promise<Response>): Promise<View> {
  const answer = await response;
  if (answer.status !== 200 && answer.status !== 201)
    throw new Error(`${answer.status}: ${await answer.text()}`);
  return (await answer.json()) as View;
}

/** Files a birth registration online, on the real clock (uploads are presigned). */
async function fileBirth(): Promise<string> {
  const documents = await Promise.all(
    ['to-khai-dang-ky-khai-sinh', 'giay-chung-sinh'].map(async (requirementId) => ({
      requirementId,
      uploadId: await uploadFile(stack, 'citizen.an', { procedureCode: BIRTH, requirementId }),
    })),
  );
  const filed = await ok(
    post('/v1/dossiers', 'citizen.an', {
      procedureCode: BIRTH,
      unit: BA_DINH,
      applicant: applicantAn,
      answers,
      documents,
    }),
  );
  return filed.code;
}

/** Receives a filed dossier, asks for a supplement and supplies it, each at the given time. */
async function pauseAndResume(code: string, times: { receive: Date; request: Date; supplement: Date }) {
  vi.useFakeTimers({ toFake: ['Date'], now: times.receive });
  const received = await ok(post(`/v1/dossiers/${code}/receive`, 'officer.badinh'));
  vi.setSystemTime(times.request);
  await ok(
    post(`/v1/dossiers/${code}/supplement-requests`, 'officer.badinh', {
      items: [{ name: 'Giấy chứng sinh', reason: 'Ảnh chụp mờ, không đọc được' }],
    }),
  );
  vi.setSystemTime(times.supplement);
  const resumed = await ok(post(`/v1/dossiers/${code}/supplements`, 'citizen.an', { documents: [] }));
  const full = await ok(stack.call(`/v1/dossiers/${code}`, { as: 'citizen.an' }));
  return { code, received, resumed, history: full.history ?? [] };
}

async function slipText(code: string): Promise<string> {
  const pdf = await stack.call(`/v1/dossiers/${code}/forms/01`, { as: 'citizen.an' });
  expect(pdf.status).toBe(200);
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(await pdf.arrayBuffer())), {
    mergePages: true,
  });
  return text;
}

describe('the appointment day after a supplement pause', () => {
  it('re-issues form 01 with the new day and records the change when the pause pushes it to another day', async () => {
    // Received Wed 2 Dec 2026 16:00: due Mon 7 Dec 16:00. 1 h 30 paused on Thursday: due Tue 8 Dec 08:30.
    const { code, received, resumed, history } = await pauseAndResume(codes[0]!, {
      receive: at('2026-12-02T16:00:00'),
      request: at('2026-12-03T09:00:00'),
      supplement: at('2026-12-03T10:30:00'),
    });
    expect(received.deadline?.appointmentDay).toBe('2026-12-07');
    expect(resumed.deadline).toMatchObject({ appointmentDay: '2026-12-08', paused: false });
    // Issued by the supplement itself (its history entry's time): a function's clock follows the moved Date from
    // when the event reached it, so it may read a few milliseconds past the supplement time.
    const reissued = resumed.forms.find((f) => f.form === '01')?.at;
    expect(reissued).toBe(history.at(-1)?.at);
    expect(Date.parse(reissued!)).toBeGreaterThanOrEqual(at('2026-12-03T10:30:00').getTime());
    const text = await slipText(code);
    expect(text).toContain('08/12/2026');
    expect(text).not.toContain('07/12/2026');
    expect(history.at(-1)).toMatchObject({
      action: 'supplement',
      reason: expect.stringContaining('Appointment day changed from 2026-12-07 to 2026-12-08'),
    });
  });

  it('keeps form 01 and notes nothing when a 6-second pause leaves the day', async () => {
    // Received Wed 2 Dec 2026 11:33: due Mon 7 Dec 11:33, and 11:33:06 after the pause.
    const { code, received, resumed, history } = await pauseAndResume(codes[1]!, {
      receive: at('2026-12-02T11:33:00'),
      request: at('2026-12-02T14:00:00'),
      supplement: at('2026-12-02T14:00:06'),
    });
    expect(resumed.deadline).toMatchObject({ appointmentDay: '2026-12-07', paused: false });
    expect(resumed.forms.find((f) => f.form === '01')?.at).toBe(
      received.forms.find((f) => f.form === '01')?.at,
    );
    expect(await slipText(code)).toContain('07/12/2026');
    expect(history.at(-1)?.action).toBe('supplement');
    expect(history.at(-1)).not.toHaveProperty('reason');
  });
});
