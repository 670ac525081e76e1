// The tracking URL the receipt's QR code holds, opened as a citizen opens it: in Debian's headless Chromium against the
// embedded stack, a page in Vietnamese then English with what to do next and nothing personal; an API client asking for
// JSON still gets the JSON. Chromium is driven over the DevTools protocol with Node's own WebSocket.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBirth } from '../../local/demo';
import { formatDay } from '../../shared/pages/tracking';
import { type CdpTab, Chromium } from './support/chromium';
import { startTestStack, type TestStack } from './support/stack';
import { uploadFile } from './support/uploads';

const BROWSER_TIMEOUT_MS = 120_000;

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
  let chromium: Chromium | undefined;
  let tab: CdpTab | undefined;
  let code: string;
  let key: string;
  let appointmentDay: string;
  /** Loads the URL and waits for the document at exactly that URL. */
  const goto = (url: string) => tab!.navigate(url, (href) => href === url);
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
    chromium = await Chromium.launch(join(dir, 'profile'), { lang: 'vi-VN' });
    tab = await chromium.tab({ viewport: 'phone' });
  }, BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    await chromium?.close();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, BROWSER_TIMEOUT_MS);

  it(
    'shows a scanned QR the status and appointment day in Vietnamese, then in English after a click on the switch',
    async () => {
      const url = `${stack.urls.gateway}${trackingPath()}`;
      await goto(url);
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
      expect(tab!.log.filter((entry) => /Content Security Policy/i.test(entry))).toEqual([]);
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
      await goto(`${stack.urls.gateway}${trackingPath()}`);
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
      await goto(wrongKey);
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
