// The agency notification path end to end on loopback: the webhook notifier delivers through real fetch to the local
// agency inbox, which verifies, de-duplicates, journals and shows what each agency was told (also in Chromium).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FileAgencyEndpoints, fileAgencyEndpoints } from '../../local/agency-endpoints';
import { type AgencyInbox, startAgencyInbox } from '../../local/agency-inbox';
import { webhookNotifier } from '../../shared/adapters/webhook-notifier';
import type { AgencyNotifier } from '../../shared/ports/agency-notifier';
import { type AgencyMessage, STEP_ASSIGNED } from '../../shared/ports/agency-notifier';
import { messageId, signedHeaders } from '../../shared/webhooks/standard-webhooks';

const run = promisify(execFile);
const police = '000.33.08.H26';
const tax = '000.00.13.H26';
const hostileCode = '<img src=x id=pwned onerror="document.title=1">';
const hostileTask = '<script>document.title="pwned"</script>';

function assignment(
  dossierCode: string,
  stepId: string,
  agency: string,
  task = 'Xác minh cư trú',
): AgencyMessage {
  return {
    id: messageId(dossierCode, 1, stepId),
    type: STEP_ASSIGNED,
    timestamp: new Date().toISOString(),
    data: {
      dossierCode,
      stepId,
      stage: 0,
      agency,
      task: { vi: task, en: 'Verify residence' },
      workingDays: 2,
      dueAt: '2026-10-02T03:00:00.000Z',
    },
  };
}

interface InboxJson {
  deliveries: {
    seq: number;
    agency: string;
    id?: string;
    verified: boolean;
    reason?: string;
    redeliveries: number;
    body: AgencyMessage;
  }[];
}

describe('agency inbox', () => {
  let dir: string;
  let endpoints: FileAgencyEndpoints;
  let inbox: AgencyInbox;
  let notifier: AgencyNotifier;
  const readInbox = async () => (await (await fetch(`${inbox.url}/inbox.json`)).json()) as InboxJson;
  const post = (agency: string, headers: Record<string, string>, body: string) =>
    fetch(inbox.hookUrl(agency), {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'motcua-inbox-'));
    const file = join(dir, 'agency-endpoints.json');
    // The police entry asks for its secret to be created on first use; the tax office's is set up front by the
    // stack below once the inbox's port is known.
    writeFileSync(
      file,
      JSON.stringify({ [police]: { url: 'http://127.0.0.1:9/placeholder', createSecret: true } }),
    );
    endpoints = fileAgencyEndpoints(file);
    inbox = await startAgencyInbox({ port: 0, dataDir: join(dir, 'data'), endpoints });
    await endpoints.setEndpoint(police, inbox.hookUrl(police));
    await endpoints.setEndpoint(tax, inbox.hookUrl(tax));
    notifier = webhookNotifier(endpoints, { allowLoopback: true, attempts: 1 });
  });

  afterAll(async () => {
    await inbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('receives a delivery through real fetch, verifies it and lists it in /inbox.json', async () => {
    const message = assignment('000.00.01.H26-260930-0012', 's0-0', police);
    const outcome = await notifier.notify(police, message);
    expect(outcome).toMatchObject({ status: 'delivered', attempts: [{ status: 204 }] });
    const listed = (await readInbox()).deliveries.filter((d) => d.id === message.id);
    expect(listed).toEqual([
      expect.objectContaining({ agency: police, verified: true, redeliveries: 0, body: expect.anything() }),
    ]);
    expect(listed[0]!.body.data).toEqual(message.data);
    expect(inbox.deliveries().some((d) => d.id === message.id && d.verified)).toBe(true);
  });

  it('refuses a tampered delivery with 401 and records why', async () => {
    const { secrets } = (await endpoints.endpointOf(police))!;
    const message = assignment('000.00.01.H26-260930-0013', 's0-0', police);
    const body = JSON.stringify({ type: message.type, timestamp: message.timestamp, data: message.data });
    const headers = signedHeaders(
      { id: message.id, timestamp: Math.floor(Date.now() / 1000), body },
      secrets,
    );
    const response = await post(police, headers, body.replace('0013', '0666'));
    expect(response.status).toBe(401);
    const refused = (await readInbox()).deliveries.find((d) => d.id === message.id);
    expect(refused).toMatchObject({ verified: false, reason: 'bad-signature' });
  });

  it('refuses a delivery without signature headers with 401', async () => {
    const response = await post(police, {}, '{}');
    expect(response.status).toBe(401);
    expect((await response.json()) as unknown).toEqual({
      error: { code: 'missing-headers', message: 'delivery refused' },
    });
  });

  it('answers a redelivery 204 but keeps the message once', async () => {
    const message = assignment('000.00.01.H26-260930-0014', 's0-0', police);
    expect((await notifier.notify(police, message)).status).toBe('delivered');
    expect((await notifier.notify(police, message)).status).toBe('delivered');
    const listed = (await readInbox()).deliveries.filter((d) => d.id === message.id);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ verified: true, redeliveries: 1 });
  });

  it('does not let a forged request claim a message id before the real delivery', async () => {
    const message = assignment('000.00.01.H26-260930-0015', 's0-0', police);
    const forged = await post(
      police,
      {
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': 'v1,AAAA',
      },
      '{}',
    );
    expect(forged.status).toBe(401);
    expect((await notifier.notify(police, message)).status).toBe('delivered');
    const listed = (await readInbox()).deliveries.filter((d) => d.id === message.id);
    expect(listed.map((d) => d.verified)).toEqual([false, true]);
  });

  it('answers 404 for an agency it has no secret for', async () => {
    const response = await post('000.99.99.H26', {}, '{}');
    expect(response.status).toBe(404);
  });

  it('escapes a hostile dossier code and task on the page', async () => {
    const message = assignment(hostileCode, 's1-0', tax, hostileTask);
    expect((await notifier.notify(tax, message)).status).toBe('delivered');
    const response = await fetch(`${inbox.url}/inbox`);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await response.text();
    expect(page).toContain('&lt;img src=x id=pwned onerror=&quot;document.title=1&quot;&gt;');
    expect(page).toContain('&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<script');
  });

  it('shows a notice whose task is plain text, as another event type may carry it', async () => {
    const notice = {
      id: messageId('000.00.01.H26-260930-0016', 1, 's1-0', 'overdue'),
      type: 'task.overdue',
      timestamp: new Date().toISOString(),
      data: { dossierCode: '000.00.01.H26-260930-0016', stepId: 's1-0', task: 'Thẩm định hồ sơ', dueAt: 'x' },
    };
    expect((await notifier.notify(tax, notice)).status).toBe('delivered');
    const page = await (await fetch(`${inbox.url}/inbox`)).text();
    expect(page).toMatch(
      /000\.00\.01\.H26-260930-0016<\/td>\n<td>s1-0<\/td>\n<td>Thẩm định hồ sơ<span lang="en"><\/span><\/td>/,
    );
  });

  it('serves each delivery’s JSON at the link the page gives', async () => {
    const { deliveries } = await readInbox();
    const first = deliveries[0]!;
    const page = await (await fetch(`${inbox.url}/inbox`)).text();
    expect(page).toContain(`href="/inbox/deliveries/${first.seq}.json"`);
    const one = await fetch(`${inbox.url}/inbox/deliveries/${first.seq}.json`);
    expect(one.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await one.json()).toEqual(first);
  });

  it('keeps its journal append-only in the data dir and reloads it, still de-duplicating, after a restart', async () => {
    const journal = readFileSync(join(dir, 'data', 'agency-inbox.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const before = (await readInbox()).deliveries;
    expect(journal.length).toBeGreaterThanOrEqual(before.length);
    await inbox.stop();
    inbox = await startAgencyInbox({ port: 0, dataDir: join(dir, 'data'), endpoints });
    for (const agency of [police, tax]) await endpoints.setEndpoint(agency, inbox.hookUrl(agency));
    expect((await readInbox()).deliveries).toEqual(before);
    const again = assignment('000.00.01.H26-260930-0012', 's0-0', police);
    expect((await notifier.notify(police, again)).status).toBe('delivered');
    expect((await readInbox()).deliveries.filter((d) => d.id === again.id)).toHaveLength(1);
  });

  it('renders in headless Chromium: a table per agency, verified rows ticked, the hostile code inert', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'motcua-chromium-'));
    try {
      const { stdout } = await run(
        'chromium',
        [
          '--headless',
          '--disable-gpu',
          '--no-sandbox',
          '--no-first-run',
          '--no-proxy-server',
          `--user-data-dir=${profile}`,
          '--dump-dom',
          `${inbox.url}/inbox`,
        ],
        { timeout: 50_000, maxBuffer: 16 * 1024 * 1024 },
      );
      expect(stdout).toContain(`<section data-agency="${police}">`);
      expect(stdout).toContain(`<section data-agency="${tax}">`);
      const rows = stdout.match(/<tr data-seq="\d+" data-verified="(true|false)">/g) ?? [];
      const { deliveries } = await readInbox();
      expect(rows).toHaveLength(deliveries.length);
      expect(stdout).toMatch(/<td class="ok"[^>]*>✓<\/td>/);
      expect(stdout).toMatch(/<td class="bad"[^>]*>✗ <small>bad-signature<\/small><\/td>/);
      expect(stdout).toContain('000.00.01.H26-260930-0012');
      // Parsed by a browser, the hostile code stayed text: no element came of it, and no script ran.
      expect(stdout).toContain('&lt;img src=x id=pwned');
      expect(stdout).not.toMatch(/<img/);
      expect(stdout).not.toContain('id="pwned"');
      expect(stdout).toContain('<title>Hộp thư cơ quan · Agency inbox</title>');
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
