// Data sharing on the embedded stack: two dossiers filed online and received at Ba Đình, the export's own handler run
// for their receipt day, its object read back from the S3 emulator and gunzipped (the rows, and nothing of the
// applicant in the bytes); and the partner aggregates, answered to a signed partner and refused unsigned.

import { gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBirth, demoPartners } from '../../local/demo';
import { LOCAL_PSEUDONYM_KEY } from '../../local/pseudonym-secret';
import { buckets } from '../../shared/data/resources';
import { factKey } from '../../shared/data/sharing';
import { type FactRow, factColumnNames, pseudonym } from '../../shared/domain/deidentify';
import { ledgerDay } from '../../shared/domain/ledger';
import type { PartnerStatsView } from '../../shared/http/routes/sharing';
import { eventually } from '../fixtures/workflow/client';
import { BA_DINH, BIRTH, paymentFlow } from './support/payments';
import { signedFetch } from './support/signed';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
const { json, receivedDossier } = paymentFlow(() => stack);
// Received dossiers stay RECEIVED: the routing starter is not needed here.
beforeAll(async () => {
  stack = await startTestStack({ routing: false });
}, 120_000);
afterAll(() => stack?.stop());

describe('data sharing', () => {
  let codes: string[];
  /** The Vietnam-local days they were received (one, unless the test ran across midnight there). */
  let days: string[];
  beforeAll(async () => {
    codes = await Promise.all([receivedDossier(), receivedDossier()]);
    const views = await Promise.all(
      codes.map(async (code) =>
        json<{ receivedAt: string }>(await stack.call(`/v1/dossiers/${code}`, { as: 'officer.badinh' }), 200),
      ),
    );
    days = [...new Set(views.map((v) => ledgerDay(v.receivedAt)))].sort();
  }, 60_000);

  it("exports the day's received dossiers de-identified to the exports bucket, with nothing of the applicant", async () => {
    const { handler } = await import('../../functions/sharing/export-day');
    const rows: FactRow[] = [];
    for (const day of days) {
      const report = await handler({ day });
      expect(report.parts.find((p) => p.unit === BA_DINH)?.key).toBe(factKey(day, BA_DINH));
      const object = await stack.clients.s3.send(
        new GetObjectCommand({ Bucket: process.env[buckets.exports.envVar], Key: factKey(day, BA_DINH) }),
      );
      const text = gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString('utf8');
      const { applicant, answers } = demoBirth;
      for (const personal of [
        applicant.fullName,
        applicant.citizenId,
        applicant.phone,
        answers.childFullName,
      ])
        expect(text).not.toContain(personal);
      for (const code of codes) expect(text).not.toContain(code);
      rows.push(
        ...text
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as FactRow),
      );
    }
    expect(rows.every((row) => Object.keys(row).join() === factColumnNames.join())).toBe(true);
    const mine = rows.filter((row) =>
      codes.map((c) => pseudonym(c, LOCAL_PSEUDONYM_KEY)).includes(row.dossier_ref),
    );
    expect(mine).toHaveLength(2);
    for (const row of mine) {
      expect(row).toMatchObject({
        unit: BA_DINH,
        procedure_code: BIRTH,
        channel: 'online',
        status: 'RECEIVED',
        received_day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        due_day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        document_count: 2,
        finished_day: null,
      });
    }
  });

  it('answers a signed partner with aggregates only, and refuses an unsigned call', async () => {
    const [ward] = demoPartners;
    const path = `/v1/partner/stats?from=${days[0]}&to=${days.at(-1)}`;
    // The statistics consumer counts the two receipts from the stream.
    const answer = await eventually(async () => {
      const response = await signedFetch(stack.urls.gateway, path, ward!);
      const body = await json<PartnerStatsView>(response, 200);
      return (body.index.counters.received ?? 0) >= 2 ? body : undefined;
    }, 'the statistics to count both receipts');
    expect(answer.branches?.find((b) => b.unit === BA_DINH)?.counters.received).toBeGreaterThanOrEqual(2);
    const text = JSON.stringify(answer);
    for (const code of codes) expect(text).not.toContain(code);
    expect(text).not.toContain(demoBirth.applicant.citizenId);

    const unsigned = await fetch(`${stack.urls.gateway}${path}`);
    expect(unsigned.status).toBe(404);
    expect(((await unsigned.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
  });
});
