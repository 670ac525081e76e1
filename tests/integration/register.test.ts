// Form 07 on the embedded stack: dossiers filed online and received at Ba Đình are in its register, read by the
// book's index (a Query per branch and year), as JSON, CSV and PDF; other branches' staff and citizens are refused.
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayString, localParts } from '../../shared/domain/calendar-core';
import type { Register } from '../../shared/schemas/register';
import { BA_DINH, paymentFlow } from './support/payments';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
const { json, receivedDossier } = paymentFlow(() => stack);
let codes: string[];
let days: string[];

beforeAll(async () => {
  stack = await startTestStack();
  codes = [];
  // One after the other, so their receipt order is their filing order.
  for (let i = 0; i < 3; i++) codes.push(await receivedDossier());
  const received = await Promise.all(
    codes.map(async (code) =>
      json<{ receivedAt: string }>(await stack.call(`/v1/dossiers/${code}`, { as: 'officer.badinh' }), 200),
    ),
  );
  // The Hanoi days of the receipts (one, unless the test ran across midnight).
  days = received.map((d) => dayString(localParts(new Date(d.receivedAt)).day)).sort();
}, 120_000);
afterAll(() => stack?.stop());

const register = (query: string, as = 'officer.badinh', unit = BA_DINH) =>
  stack.call(`/v1/branches/${unit}/register?${query}`, { as });
const period = () => `from=${days[0]}&to=${days.at(-1)}`;
const errorCode = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;

describe('the dossier register (form 07)', () => {
  it("lists the branch's received dossiers in receipt order, numbered from 1, with applicant and appointment", async () => {
    const read = await json<Register>(await register(`${period()}&format=json`), 200);
    expect(read.book).toBe(`${BA_DINH}/${days[0]!.slice(0, 4)}`);
    const ours = read.rows.filter((row) => codes.includes(row.code));
    expect(ours.map((row) => row.code)).toEqual(codes);
    expect(read.rows.map((row) => row.no)).toEqual(read.rows.map((_, i) => i + 1));
    for (const row of ours) {
      expect(row).toMatchObject({ sets: 1, notes: [] });
      // Routed at once on receipt: the book keeps an entry whatever the dossier's status since.
      expect(['RECEIVED', 'IN_PROGRESS']).toContain(row.status);
      expect(row.applicant.name).toMatch(/\p{L}/u);
      expect(row.appointmentDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.returned).toBeUndefined();
    }
  });

  it("lets the branch's supervisor read it too", async () => {
    const read = await json<Register>(await register(`${period()}`, 'supervisor'), 200);
    expect(read.rows.map((row) => row.code)).toEqual(expect.arrayContaining(codes));
  });

  it('downloads it as CSV: BOM, the form header, a row per dossier', async () => {
    const response = await register(`${period()}&format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="so-theo-doi-${BA_DINH}-${days[0]}-${days.at(-1)}.csv"`,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1).split('\r\n');
    const header = lines.findIndex((line) => line.startsWith('STT,Mã hồ sơ,'));
    expect(header).toBeGreaterThan(0);
    const rows = lines.slice(header + 1).filter(Boolean);
    expect(rows.map((row) => row.split(',')[1])).toEqual(expect.arrayContaining(codes));
  });

  it('prints it as a PDF whose text holds the codes and the Vietnamese names', async () => {
    const response = await register(`${period()}&format=pdf`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = new Uint8Array(await response.arrayBuffer());
    const { text } = await extractText(await getDocumentProxy(pdf), { mergePages: true });
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('SỔTHEODÕIHỒSƠ');
    for (const code of codes) expect(flat).toContain(code);
    expect(flat).toContain('NguyễnVănAn');
  });

  it("refuses another branch's officer with 403 FORBIDDEN, in every format", async () => {
    for (const format of ['json', 'csv', 'pdf']) {
      const refused = await register(`${period()}&format=${format}`, 'officer.hoankiem');
      expect(refused.status).toBe(403);
      expect(await errorCode(refused)).toBe('FORBIDDEN');
    }
  });

  it('refuses a citizen at the gateway', async () => {
    const refused = await register(period(), 'citizen.an');
    expect(refused.status).toBe(403);
  });

  it('answers a malformed day, or `to` before `from`, with 400 VALIDATION_FAILED', async () => {
    for (const query of [
      'from=2026-13-01&to=2026-12-31',
      'from=2026-02-30&to=2026-03-01',
      'from=2026-03-02&to=2026-03-01',
    ]) {
      const refused = await register(query);
      expect(refused.status, query).toBe(400);
      expect(await errorCode(refused)).toBe('VALIDATION_FAILED');
    }
  });

  it('answers a period across two years (two books) with 422 REGISTER_PERIOD_TOO_LONG', async () => {
    const refused = await register('from=2026-12-01&to=2027-01-31');
    expect(refused.status).toBe(422);
    expect(await errorCode(refused)).toBe('REGISTER_PERIOD_TOO_LONG');
  });
});
