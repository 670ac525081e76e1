// The tracking URL the receipt's QR code holds, opened as a citizen opens it: in Debian's headless Chromium against the
// embedded stack, a page in Vietnamese then English with what to do next and nothing personal; an API client asking for
// JSON still gets the JSON. Chromium is driven over the DevTools protocol with Node's own WebSocket.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBirth } from '../../local/demo';
import { formatDay } from '../../shared/pages/tracking';
import { startTestStack, type TestStack } from './support/stack';
import { uploadFile } from './support/uploads';

/** Gitignored; a person looks here after a run to see the page as the citizen saw it. */
const SCREENSHOTS = join(process.cwd(), '.tmp', 'screenshots');
const BROWSER_TIMEOUT_MS = 120_000;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type CdpMessage = {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
};

/** One tab of the browser, over a browser-level DevTools WebSocket with a flattened session. */
class Tab {
  private nextId = 1;
  private readonly pending = new Map<number, (message: CdpMessage) => void>();
  private readonly logged: string[] = [];
  private sessionId = '';

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as CdpMessage;
      if (message.id === undefined) {
        if (message.method === 'Log.entryAdded') this.logged.push(JSON.stringify(message.params));
        return;
      }
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    });
  }

  static async open(endpoint: string): Promise<Tab> {
    const socket = new WebSocket(endpoint);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot connect to ${endpoint}`)), {
        once: true,
      });
    });
    const tab = new Tab(socket);
    const { targetId } = await tab.send('Target.createTarget', { url: 'about:blank' }, false);
    const { sessionId } = await tab.send('Target.attachToTarget', { targetId, flatten: true }, false);
    tab.sessionId = sessionId as string;
    for (const domain of ['Page', 'Runtime', 'Log']) await tab.send(`${domain}.enable`);
    // A phone, as most QR scans are.
    await tab.send('Emulation.setDeviceMetricsOverride', {
      width: 390,
      height: 844,
      deviceScaleFactor: 2,
      mobile: true,
    });
    return tab;
  }

  send(method: string, params: Record<string, unknown> = {}, inPage = true) {
    const id = this.nextId++;
    const answer = new Promise<Record<string, unknown>>((resolve, reject) =>
      this.pending.set(id, (message) =>
        message.error
          ? reject(new Error(`${method}: ${message.error.message}`))
          : resolve(message.result ?? {}),
      ),
    );
    this.socket.send(
      JSON.stringify({ id, method, params, ...(inPage ? { sessionId: this.sessionId } : {}) }),
    );
    return answer;
  }

  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.send('Runtime.evaluate', {
      expression,
      returnByValue: true,
    });
    if (exceptionDetails) throw new Error(`evaluation failed: ${JSON.stringify(exceptionDetails)}`);
    return (result as { value: T }).value;
  }

  /** Waits until the loaded document's URL passes the test. */
  loaded(what: string, test: (href: string) => boolean): Promise<string> {
    return waitFor(what, async () => {
      const state = await this.evaluate<{ href: string; ready: string }>(
        '({ href: location.href, ready: document.readyState })',
      ).catch(() => undefined);
      return state?.ready === 'complete' && test(state.href) ? state.href : undefined;
    });
  }

  async goto(url: string): Promise<void> {
    await this.send('Page.navigate', { url });
    await this.loaded(url, (href) => href === url);
  }

  /** A real mouse click at the middle of the element, as a person's would be. */
  async click(selector: string): Promise<void> {
    const box = await this.evaluate<{ x: number; y: number } | null>(
      `(() => { const e = document.querySelector(${JSON.stringify(selector)}); if (!e) return null;
        e.scrollIntoView({ block: 'center' }); const r = e.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; })()`,
    );
    if (!box) throw new Error(`no element ${selector}`);
    for (const type of ['mousePressed', 'mouseReleased']) {
      await this.send('Input.dispatchMouseEvent', { type, ...box, button: 'left', clickCount: 1 });
    }
  }

  async screenshot(name: string): Promise<Buffer> {
    const { data } = await this.send('Page.captureScreenshot', {
      format: 'png',
      captureBeyondViewport: true,
    });
    const png = Buffer.from(data as string, 'base64');
    mkdirSync(SCREENSHOTS, { recursive: true });
    writeFileSync(join(SCREENSHOTS, name), png);
    return png;
  }

  /** What the browser logged for this tab (CSP violations land here). */
  logEntries(): string[] {
    return [...this.logged];
  }

  close() {
    this.socket.close();
  }
}

async function launchChromium(profile: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(
    'chromium',
    [
      '--headless',
      '--disable-gpu',
      '--no-sandbox',
      '--no-first-run',
      '--no-proxy-server',
      '--no-default-browser-check',
      '--lang=vi-VN',
      `--user-data-dir=${profile}`,
      '--remote-debugging-address=127.0.0.1',
      '--remote-debugging-port=0',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`chromium did not start:\n${stderr}`)),
      BROWSER_TIMEOUT_MS / 2,
    );
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`chromium exited with ${code}:\n${stderr}`));
    });
  });
  return { child, endpoint };
}

type Seen = {
  lang: string;
  status: string | null;
  currentStep: string | null;
  appointment: { text: string; datetime: string | null } | null;
  nextStep: string | null;
  todo: string | null;
  items: string[];
  body: string;
  headerColour: string | null;
  overflows: boolean;
};

const SEEN = `(() => {
  const text = (selector) => document.querySelector(selector)?.innerText.trim() ?? null;
  const day = document.querySelector('#appointment-day');
  return {
    lang: document.documentElement.lang,
    status: text('#status .status'),
    currentStep: text('#current-step'),
    appointment: day ? { text: day.innerText.trim(), datetime: day.getAttribute('datetime') } : null,
    nextStep: text('#next-step'),
    todo: document.querySelector('#next-step')?.dataset.todo ?? null,
    items: [...document.querySelectorAll('#supplement-items li')].map((li) => li.innerText.trim()),
    body: document.body.innerText,
    headerColour: document.querySelector('header') ? getComputedStyle(document.querySelector('header')).backgroundColor : null,
    overflows: document.documentElement.scrollWidth > window.innerWidth,
  };
})()`;

const { procedureCode: BIRTH, unit: BA_DINH, answers, applicant } = demoBirth;
const PERSONAL = [
  applicant.fullName,
  applicant.citizenId,
  applicant.phone,
  answers.childFullName,
  answers.motherFullName,
];

describe('the public tracking page', () => {
  let stack: TestStack;
  let dir: string;
  let chromium: ChildProcess | undefined;
  let tab: Tab | undefined;
  let code: string;
  let key: string;
  let appointmentDay: string;
  const trackingPath = () => `/v1/tracking/${encodeURIComponent(code)}?key=${key}`;

  const post = (path: string, as: string, body?: unknown) =>
    stack.call(path, {
      method: 'POST',
      as,
      ...(body !== undefined
        ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
        : {}),
    });

  beforeAll(async () => {
    stack = await startTestStack({ routing: false });
    const documents = await Promise.all(
      ['to-khai-dang-ky-khai-sinh', 'giay-chung-sinh'].map(async (requirementId) => ({
        requirementId,
        uploadId: await uploadFile(stack, 'citizen.an', { procedureCode: BIRTH, requirementId }),
      })),
    );
    const filed = await post('/v1/dossiers', 'citizen.an', {
      procedureCode: BIRTH,
      unit: BA_DINH,
      applicant,
      answers,
      documents,
    });
    expect(filed.status).toBe(201);
    ({ code, lookupKey: key } = (await filed.json()) as { code: string; lookupKey: string });
    const received = await post(`/v1/dossiers/${code}/receive`, 'officer.badinh');
    expect(received.status).toBe(200);
    appointmentDay = ((await received.json()) as { deadline: { appointmentDay: string } }).deadline
      .appointmentDay;

    dir = mkdtempSync(join(tmpdir(), 'motcua-tracking-page-'));
    const launched = await launchChromium(join(dir, 'profile'));
    chromium = launched.child;
    tab = await Tab.open(launched.endpoint);
  }, BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    if (tab && chromium && chromium.exitCode === null) {
      const exited = new Promise((resolve) => chromium!.once('exit', resolve));
      await tab.send('Browser.close', {}, false).catch(() => undefined);
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise((resolve) => setTimeout(() => resolve(false), 20_000)),
      ]);
      if (!stopped) chromium.kill('SIGKILL');
    }
    tab?.close();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, BROWSER_TIMEOUT_MS);

  it(
    'shows a scanned QR the status and appointment day in Vietnamese, then in English after a click on the switch',
    async () => {
      const url = `${stack.urls.gateway}${trackingPath()}`;
      await tab!.goto(url);
      const vi = await tab!.evaluate<Seen>(SEEN);
      expect(vi).toMatchObject({
        lang: 'vi',
        status: 'Đã tiếp nhận',
        currentStep: 'Đã tiếp nhận, chuyển cơ quan giải quyết',
        appointment: { text: formatDay(appointmentDay, 'vi'), datetime: appointmentDay },
        todo: 'false',
        // Laid out for the phone: nothing runs off the side.
        overflows: false,
        // The inline style ran: the CSP's hash matches the page's one style element.
        headerColour: 'rgb(164, 22, 26)',
      });
      expect(vi.nextStep).toContain('Bạn chưa cần làm gì');
      expect(vi.body).toContain('Đăng ký khai sinh');
      expect(vi.body).toContain(BA_DINH);
      expect(vi.body).toContain(code);
      for (const personal of PERSONAL) expect(vi.body).not.toContain(personal);
      expect((await tab!.screenshot('tracking-page-vi.png')).subarray(1, 4).toString('latin1')).toBe('PNG');

      await tab!.click('#switch-lang');
      const landed = await tab!.loaded('the English page', (href) => href.includes('lang=en'));
      expect(landed).toBe(`${url}&lang=en`);
      const en = await tab!.evaluate<Seen>(SEEN);
      expect(en).toMatchObject({
        lang: 'en',
        status: 'Received',
        currentStep: 'Received, being routed to the deciding agency',
        appointment: { text: formatDay(appointmentDay, 'en'), datetime: appointmentDay },
        todo: 'false',
        overflows: false,
      });
      expect(en.body).toContain('Birth registration');
      expect(en.body).toContain('Tiếng Việt');
      for (const personal of PERSONAL) expect(en.body).not.toContain(personal);
      await tab!.screenshot('tracking-page-en.png');
      expect(tab!.logEntries().filter((entry) => /Content Security Policy/i.test(entry))).toEqual([]);
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'tells the citizen what to bring once the officer asks for a supplement',
    async () => {
      const asked = await post(`/v1/dossiers/${code}/supplement-requests`, 'officer.badinh', {
        items: [{ name: 'Giấy chứng sinh', reason: `Ảnh chụp mờ, tên ${applicant.fullName} không đọc được` }],
      });
      expect(asked.status).toBe(200);
      await tab!.goto(`${stack.urls.gateway}${trackingPath()}`);
      const seen = await tab!.evaluate<Seen>(SEEN);
      expect(seen).toMatchObject({
        status: 'Yêu cầu bổ sung hồ sơ',
        todo: 'true',
        items: ['Giấy chứng sinh'],
      });
      expect(seen.nextStep).toContain('Nộp bổ sung trực tuyến');
      expect(seen.body).toContain('Thời hạn giải quyết đang tạm dừng');
      for (const personal of PERSONAL) expect(seen.body).not.toContain(personal);
      await tab!.screenshot('tracking-page-supplement-vi.png');
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'shows a wrong key and an unknown code the same not-found page, with the JSON’s 404',
    async () => {
      const wrongKey = `${stack.urls.gateway}/v1/tracking/${encodeURIComponent(code)}?key=ZZZZZZZZ`;
      await tab!.goto(wrongKey);
      const seen = await tab!.evaluate<Seen>(SEEN);
      expect(seen.body).toContain('Không tìm thấy hồ sơ');
      expect(seen.body).not.toContain(code);
      await tab!.screenshot('tracking-page-not-found-vi.png');

      const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
      const wrong = await stack.call(`/v1/tracking/${encodeURIComponent(code)}?key=ZZZZZZZZ`, {
        headers: html,
      });
      const unknown = await stack.call('/v1/tracking/000.02.01.H26-200101-9999?key=ZZZZZZZZ', {
        headers: html,
      });
      expect([wrong.status, unknown.status]).toEqual([404, 404]);
      expect(wrong.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await wrong.text()).toBe(await unknown.text());
      const json = await stack.call(`/v1/tracking/${encodeURIComponent(code)}?key=ZZZZZZZZ`);
      expect(json.status).toBe(404);
      expect(await json.json()).toMatchObject({ error: { code: 'DOSSIER_NOT_FOUND' } });
      // A malformed key keeps the JSON's 400, as a page for a browser.
      const malformed = await stack.call(`/v1/tracking/${encodeURIComponent(code)}?key=bad`, {
        headers: html,
      });
      expect(malformed.status).toBe(400);
      expect(await malformed.text()).toContain('Không tìm thấy hồ sơ');
    },
    BROWSER_TIMEOUT_MS,
  );

  it('still answers JSON to application/json, to */* and to no Accept, and says the answer varies by Accept', async () => {
    const answers = await Promise.all(
      [{ accept: 'application/json' }, { accept: '*/*' }, {}].map((headers) =>
        stack.call(`${trackingPath()}&lang=en`, { headers }),
      ),
    );
    const bodies = [];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(answer.headers.get('vary')).toContain('Accept');
      bodies.push(await answer.json());
    }
    expect(bodies[0]).toMatchObject({
      code,
      status: 'SUPPLEMENT_REQUESTED',
      appointmentDay: expect.any(String),
    });
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    for (const personal of PERSONAL) expect(JSON.stringify(bodies[0])).not.toContain(personal);

    const page = await stack.call(trackingPath(), { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('vary')).toContain('Accept');
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/);
  });
});
