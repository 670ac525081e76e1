// The supervisors' dashboard as a person uses it: served by the local gateway at /dashboard/, opened in Debian's
// headless Chromium against the embedded stack with dossiers just received at Ba Đình. What the page shows is read
// from the DOM and compared with what the API answers; screenshots go to .tmp/screenshots.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatDay,
  formatNumber,
  formatPercent,
  formatPoints,
  type Lang,
  refusalMessage,
} from '../../web/dashboard/lib.js';
import { type CdpTab, Chromium, waitFor } from './support/chromium';
import { BA_DINH, paymentFlow } from './support/payments';
import { startTestStack, type TestStack } from './support/stack';

const BROWSER_TIMEOUT_MS = 120_000;
const HOAN_KIEM = '000.01.01.H26';

/** Finished page loads of the figures (`body[data-loads]`); 0 before the first. */
function loads(tab: CdpTab): Promise<number> {
  return tab.evaluate<number>('Number(document.body?.dataset.loads ?? 0)').catch(() => 0);
}

/** Waits until the page has finished more loads of its figures than `after`. */
async function settled(tab: CdpTab, after = 0): Promise<void> {
  await waitFor('the dashboard to show its figures', async () =>
    (await loads(tab)) > after ? true : undefined,
  );
}

/** Opens a dashboard URL and waits for its figures. */
async function open(tab: CdpTab, url: string): Promise<void> {
  await tab.navigate(url, (href) => href.startsWith(url.split('?')[0]!));
  await settled(tab);
}

/** What a person sees, read from the page. */
type Seen = {
  lang: string;
  heading: string;
  period: { from: string; to: string };
  status: string;
  total: string;
  groups: Record<string, string>;
  rates: Record<string, string>;
  notes: string[];
  trend: string[][];
  chartReceived: number[] | null;
  branches: string[][];
  satisfaction: Record<string, string>;
  staffPanels: string[];
  signedIn: string | null;
  radar: { unavailable: string | null; refusal: string | null; tiles: Record<string, string[]> } | null;
  procedures: { refusal: string | null; rows: string[][]; text: string } | null;
};

const SEEN = `(() => {
  const text = (selector, root = document) => root.querySelector(selector)?.textContent.trim() ?? null;
  const rows = (selector) => [...document.querySelectorAll(selector + ' tbody tr')].map((tr) =>
    [...tr.children].map((cell) => cell.textContent.trim()));
  const radar = document.querySelector('#radar-panel');
  const procedures = document.querySelector('#procedures-panel');
  return {
    lang: document.documentElement.lang,
    heading: text('h1'),
    period: { from: document.querySelector('#from').value, to: document.querySelector('#to').value },
    status: text('#status'),
    total: text('#index-total strong'),
    groups: Object.fromEntries([...document.querySelectorAll('.group')].map((g) =>
      [g.id.replace('group-', ''), text('.group-points', g)])),
    rates: Object.fromEntries([...document.querySelectorAll('[data-indicator]')].map((li) =>
      [li.dataset.indicator, text('.rate', li) ?? text('.not-measured', li)])),
    notes: [...document.querySelectorAll('.note')].map((n) => n.textContent.trim()),
    trend: rows('#trend-numbers'),
    chartReceived: window.Chart?.getChart('trend-chart')?.data.datasets[0].data ?? null,
    branches: rows('#branches-numbers'),
    satisfaction: Object.fromEntries([...document.querySelectorAll('#satisfaction-body dd')].map((dd) =>
      [dd.id, dd.textContent.trim()])),
    staffPanels: [...document.querySelectorAll('#staff-panels > section')].map((s) => s.id),
    signedIn: text('#signed-in'),
    radar: radar ? {
      unavailable: text('.unavailable', radar),
      refusal: text('.refusal', radar),
      tiles: Object.fromEntries([...radar.querySelectorAll('.tiles')].map((t) =>
        [t.id, [...t.querySelectorAll('.tile-value')].map((v) => v.textContent.trim())])),
    } : null,
    procedures: procedures ? {
      refusal: text('.refusal', procedures),
      rows: rows('#procedures-numbers'),
      text: procedures.textContent,
    } : null,
  };
})()`;

/** The counters this file reads (the API sends them all). */
type Counters = Record<'received' | 'finished' | 'ratings' | 'supplementRequests' | 'paidOnline', number>;
type ServiceIndex = {
  points: number;
  measuredMaxPoints: number;
  counters: Counters;
  groups: {
    id: string;
    points?: number;
    indicators: { id: string; measured: boolean; rate?: number; note?: string }[];
  }[];
};
type Daily = { days: { day: string; counters: Counters; online: number; onTimeRate?: number }[] };
type Branches = { branches: { unit: string; counters: Counters; onTimeRate?: number }[] };
type Radar = {
  totals: Record<'dossiers' | 'steps', Record<'overdue' | 'dueToday' | 'dueTomorrow', number>> & {
    inProgress: { onTime: number; late: number };
  };
};

/** A request sent with its path exactly as written: fetch() would resolve the dot segments first. */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the supervisors’ dashboard', () => {
  let stack: TestStack;
  let chromium: Chromium | undefined;
  let tab: CdpTab;
  let dir: string;
  const page = (query = '') => `${stack.urls.gateway}/dashboard/${query}`;
  const api = async <T>(path: string, as?: string): Promise<T> => {
    const answer = await stack.call(path, as ? { as } : {});
    expect(answer.status, await answer.clone().text()).toBe(200);
    return (await answer.json()) as T;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'motcua-dashboard-'));
    const launching = Chromium.launch(join(dir, 'profile'));
    // Awaited below; a failed launch must not surface as an unhandled rejection meanwhile.
    launching.catch(() => undefined);
    stack = await startTestStack({ routing: false, isolation: 'in-process' });
    const flow = paymentFlow(() => stack);
    await Promise.all([flow.receivedDossier(), flow.receivedDossier()]);
    chromium = await launching;
    tab = await chromium.tab({ viewport: 'desktop' });
    // The statistics consumer counts them from the event stream, a moment after the answers.
    await waitFor('the statistics to count both receipts', async () => {
      const index = (await (await stack.call(`/v1/stats/index?unit=${BA_DINH}`)).json()) as ServiceIndex;
      return index.counters.received === 2 ? true : undefined;
    });
  }, BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    await chromium?.close();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, BROWSER_TIMEOUT_MS);

  it('is served by the local gateway with its types and policy, and nothing outside web/dashboard is', async () => {
    const index = await fetch(page());
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await index.text()).toContain('<script type="module" src="./dashboard.js">');
    const config = await fetch(page('config.js'));
    expect(config.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await config.text()).toContain('"tokenUrl":"/local-idp/token"');
    expect((await fetch(page('vendor/chart.umd.min.js'))).status).toBe(200);
    expect((await fetch(page(), { method: 'POST' })).status).toBe(405);

    for (const path of [
      '/dashboard/../package.json',
      '/dashboard/%2e%2e/package.json',
      '/dashboard/..%2fpackage.json',
      '/dashboard/%2e%2e%2fpackage.json',
      '/dashboard/..%5cpackage.json',
      '/dashboard/vendor/..%2f..%2fpackage.json',
      '/dashboard/%252e%252e%252fpackage.json',
      '/dashboard/lib.d.ts',
    ]) {
      const answer = await rawGet(stack.urls.gateway, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body, path).not.toContain('"name": "motcua"');
    }
  });

  it('shows anyone, signed out, the figures the API gives, in Vietnamese then in English, and no staff panel', async () => {
    await open(tab, page(`?unit=${BA_DINH}`));
    const vi = await tab.evaluate<Seen>(SEEN);
    const query = `unit=${BA_DINH}&from=${vi.period.from}&to=${vi.period.to}`;
    const [index, daily, branches] = await Promise.all([
      api<ServiceIndex>(`/v1/stats/index?${query}`),
      api<Daily>(`/v1/stats/daily?${query}`),
      api<Branches>(`/v1/stats/branches?from=${vi.period.from}&to=${vi.period.to}`),
    ]);

    const expectFigures = (seen: Seen, lang: Lang) => {
      expect(seen.total).toBe(formatPoints(lang, index.points));
      for (const group of index.groups) {
        if (group.points !== undefined)
          expect(seen.groups[group.id]).toContain(formatPoints(lang, group.points));
        for (const indicator of group.indicators) {
          if (indicator.measured && indicator.rate !== undefined)
            expect(seen.rates[indicator.id], indicator.id).toBe(formatPercent(lang, indicator.rate));
        }
      }
      // What is not measured is said, with the API's reason.
      const notes = index.groups.flatMap((g) => g.indicators.flatMap((i) => (i.note ? [i.note] : [])));
      expect(seen.notes).toEqual(notes);
      // One row per day, and the chart draws the same receipts.
      expect(seen.trend).toHaveLength(daily.days.length);
      expect(seen.chartReceived).toEqual(daily.days.map((d) => d.counters.received));
      const busy = daily.days.filter((d) => d.counters.received > 0);
      expect(busy.reduce((sum, d) => sum + d.counters.received, 0)).toBe(2);
      for (const day of busy) {
        expect(seen.trend).toContainEqual([
          formatDay(lang, day.day),
          formatNumber(lang, day.counters.received),
          formatNumber(lang, day.online),
          formatPercent(lang, day.online / day.counters.received),
          formatNumber(lang, day.counters.finished),
          formatPercent(lang, day.onTimeRate),
        ]);
      }
      expect(seen.branches).toHaveLength(branches.branches.length);
      const baDinh = branches.branches.find((b) => b.unit === BA_DINH)!;
      const row = seen.branches.find((r) => r[0]!.includes('Ba Đình'))!;
      expect(row.slice(1)).toEqual([
        formatNumber(lang, baDinh.counters.received),
        formatNumber(lang, baDinh.counters.finished),
        formatPercent(lang, baDinh.onTimeRate),
      ]);
      expect(seen.satisfaction['satisfaction-ratings']).toBe(formatNumber(lang, index.counters.ratings));
      expect(seen.staffPanels).toEqual([]);
      expect(seen.radar).toBeNull();
      expect(seen.procedures).toBeNull();
    };

    expect(vi).toMatchObject({ lang: 'vi', heading: 'Bảng theo dõi, giám sát' });
    expectFigures(vi, 'vi');
    await tab.screenshot('dashboard-public-vi.png');

    const before = await loads(tab);
    await tab.click('#lang-switch');
    await waitFor('English', async () =>
      (await tab.evaluate<string>('document.documentElement.lang')) === 'en' ? true : undefined,
    );
    const en = await tab.evaluate<Seen>(SEEN);
    expect(en).toMatchObject({ lang: 'en', heading: 'Supervision dashboard' });
    expect(en.status).toContain('Figures from');
    expectFigures(en, 'en');
    // Switching the language redraws from the figures already read: nothing is fetched again.
    expect(await loads(tab)).toBe(before);
    await tab.screenshot('dashboard-public-en.png');

    // The choice is remembered without ?lang=, and ?lang= still wins.
    await open(tab, page(`?unit=${BA_DINH}`));
    expect(await tab.evaluate<string>('document.documentElement.lang')).toBe('en');
    await open(tab, page(`?lang=vi&unit=${BA_DINH}`));
    expect(await tab.evaluate<Seen>(SEEN)).toMatchObject({
      lang: 'vi',
      heading: 'Bảng theo dõi, giám sát',
    });
    expect(tab.problems).toEqual([]);
  });

  it('shows the supervisor who signs in the overdue radar and Ba Đình’s procedures as the API gives them', async () => {
    await open(tab, page(`?unit=${BA_DINH}`));
    await tab.choose('#account-picker', 'supervisor');
    const before = await loads(tab);
    await tab.click('#sign-in');
    await settled(tab, before);
    const seen = await tab.evaluate<Seen>(SEEN);
    expect(seen.signedIn).toContain('Hoàng Thu Hà');
    expect(seen.staffPanels).toEqual(['radar-panel', 'procedures-panel']);

    const period = `from=${seen.period.from}&to=${seen.period.to}`;
    const procedures = await api<{
      procedures: { procedureCode: string; channel: string; counters: Counters; onTimeRate?: number }[];
    }>(`/v1/stats/units/${BA_DINH}/procedures?${period}`, 'supervisor');
    expect(procedures.procedures.length).toBeGreaterThan(0);
    expect(seen.procedures!.rows).toHaveLength(procedures.procedures.length);
    procedures.procedures.forEach((p, i) => {
      const row = seen.procedures!.rows[i]!;
      expect(row[0]).toContain(p.procedureCode);
      expect(row.slice(2)).toEqual([
        formatNumber('vi', p.counters.received),
        formatNumber('vi', p.counters.finished),
        formatPercent('vi', p.onTimeRate),
        formatNumber('vi', p.counters.supplementRequests),
        formatNumber('vi', p.counters.paidOnline),
      ]);
    });
    expect(seen.procedures!.rows.map((r) => r[0])).toContainEqual(
      expect.stringContaining('Đăng ký khai sinh'),
    );

    // The radar as the API answers it (another engineer is building it: absent, the panel says it is unavailable).
    const radar = await stack.call(`/v1/stats/overdue?unit=${BA_DINH}`, { as: 'supervisor' });
    if (radar.status === 404) {
      expect(seen.radar!.unavailable).toBe(
        'Chưa có dữ liệu hồ sơ đến hạn: máy chủ chưa cung cấp chức năng này.',
      );
    } else if (radar.status === 200) {
      const { totals } = (await radar.json()) as Radar;
      const values = (c: Radar['totals']['dossiers']) =>
        [c.overdue, c.dueToday, c.dueTomorrow].map((n) => formatNumber('vi', n));
      expect(seen.radar!.tiles).toEqual({
        'radar-dossiers': values(totals.dossiers),
        'radar-steps': values(totals.steps),
        'radar-inProgress': [totals.inProgress.onTime, totals.inProgress.late].map((n) =>
          formatNumber('vi', n),
        ),
      });
    } else {
      const body = (await radar.json().catch(() => undefined)) as { error?: { code?: string } } | undefined;
      expect(seen.radar!.refusal).toBe(refusalMessage('vi', radar.status, body));
    }
    await tab.screenshot('dashboard-supervisor-vi.png');
    expect(tab.problems).toEqual([]);
  });

  it('refuses the Hoàn Kiếm officer Ba Đình’s procedures, on the page as in the API, and shows their own', async () => {
    await open(tab, page(`?unit=${BA_DINH}`));
    // Still signed in as the supervisor in this tab's session: sign out first.
    await tab.click('#sign-out');
    await waitFor('the staff panels to go', async () =>
      (await tab.evaluate<Seen>(SEEN)).staffPanels.length === 0 ? true : undefined,
    );
    await tab.choose('#account-picker', 'officer.hoankiem');
    let before = await loads(tab);
    await tab.click('#sign-in');
    await settled(tab, before);
    const refused = await tab.evaluate<Seen>(SEEN);
    expect(refused.signedIn).toContain('Phạm Quốc Dũng');
    const api403 = await stack.call(
      `/v1/stats/units/${BA_DINH}/procedures?from=${refused.period.from}&to=${refused.period.to}`,
      { as: 'officer.hoankiem' },
    );
    expect(api403.status).toBe(403);
    const body = (await api403.json()) as { error: { code: string } };
    expect(body.error.code).toBe('OUT_OF_SCOPE');
    expect(refused.procedures!.refusal).toBe(
      refusalMessage('vi', 403, body, { unit: 'Chi nhánh số 2 – Ba Đình' }),
    );
    expect(refused.procedures!.rows).toEqual([]);
    await tab.screenshot('dashboard-officer-refused-vi.png');

    // Their own branch is theirs to see: nothing was filed there.
    await tab.choose('#unit', HOAN_KIEM);
    before = await loads(tab);
    await tab.click('#filters button[type=submit]');
    await settled(tab, before);
    const own = await tab.evaluate<Seen>(SEEN);
    expect(own.procedures!.refusal).toBeNull();
    expect(own.procedures!.text).toContain('Không có hồ sơ nào trong kỳ.');
    expect(tab.problems).toEqual([]);
  });
});
