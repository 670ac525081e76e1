// The public tracking page the receipt's QR opens: what it says in each language and status, what it never shows,
// and which requests get it instead of the JSON.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Dossier } from '../../shared/domain/dossier';
import { NotFoundError } from '../../shared/errors';
import { prefersHtml } from '../../shared/http/headers';
import {
  langOf,
  nextStep,
  trackingPage,
  trackingPageHeaders,
  trackingRefusalPage,
} from '../../shared/pages/tracking';
import type { DossierDeps } from '../../shared/usecases/dossiers/deps';
import { type TrackingPageView, trackDossierPage } from '../../shared/usecases/dossiers/read-dossiers';
import { birthDossier } from './support/dossier';

const KEY = 'Q70ER8MY';

/** A dossier carrying every personal fact the domain holds, so the page can be shown to leave them all out. */
function personalDossier(changes: Partial<Dossier> = {}): Dossier {
  return {
    ...birthDossier('000.00.01.H26-261123-0001'),
    lookupKey: KEY,
    applicant: {
      fullName: 'Nguyễn Văn An',
      citizenId: '001090012345',
      dateOfBirth: '1990-01-01',
      phone: '0912345678',
      email: 'an@example.vn',
      address: '12 Phố Huế, Hai Bà Trưng',
    },
    answers: { childFullName: 'Nguyễn Minh Khang' },
    receivedBy: { sub: 'sub-o', name: 'Lê Minh Châu' },
    deadline: {
      workingDays: 3,
      receivedAt: '2026-11-23T02:00:00.000Z',
      appointmentDay: '2026-11-27',
      pauses: [],
      basis: [{ year: 2026, decided: true, statutoryOnly: [] }],
      computedAt: '2026-11-23T02:00:00.000Z',
    },
    ...changes,
  };
}

const depsWith = (dossier: Dossier) =>
  ({
    dossiers: { get: async (code: string) => (code === dossier.code ? structuredClone(dossier) : undefined) },
  }) as unknown as Pick<DossierDeps, 'dossiers'>;

const viewOf = (dossier: Dossier) => trackDossierPage(dossier.code, dossier.lookupKey, depsWith(dossier));

/** The page's text as a person reads it: tags dropped, entities decoded. */
const visibleText = (page: string) =>
  page
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

const supplementRequested = personalDossier({
  status: 'SUPPLEMENT_REQUESTED',
  supplement: {
    items: [
      {
        name: 'Giấy chứng sinh',
        reason: 'Ảnh mờ, ghi tên Nguyễn Văn An sai dấu',
        requirementId: 'giay-chung-sinh',
      },
      { name: 'Giấy xác nhận nơi cư trú', reason: 'Thiếu' },
    ],
    requestedAt: '2026-11-24T02:00:00.000Z',
    resumeTo: 'RECEIVED',
  },
});

const feesDue = (dueWhen: 'before-processing' | 'before-release') => ({
  items: [],
  totalVnd: 50_000,
  dueWhen,
  computedAt: '2026-11-23T01:00:00.000Z',
  paidVnd: 0,
  refundDueVnd: 0,
  payments: [],
});

const resultReady = (changes: Partial<NonNullable<Dossier['result']>> = {}) =>
  personalDossier({
    status: 'RESULT_READY',
    result: {
      kind: 'documents',
      readyAt: '2026-11-26T08:00:00.000Z',
      documents: [
        {
          id: 'r1',
          title: 'Trích lục khai sinh Nguyễn Minh Khang',
          agency: 'so-tu-phap',
          stepId: 's0-0',
          contentType: 'application/pdf',
          sizeBytes: 100,
          sha256: `${'A'.repeat(43)}=`,
          s3Key: 'results/r1',
        },
      ],
      ...changes,
    },
  });

describe('trackingPage', () => {
  it('is in Vietnamese by default: status, appointment day, procedure and receiving unit', async () => {
    const page = trackingPage(await viewOf(personalDossier()), KEY, langOf(undefined));
    const text = visibleText(page);
    expect(page).toContain('<html lang="vi">');
    expect(text).toContain('Đã tiếp nhận');
    expect(text).toContain('Ngày hẹn trả kết quả');
    expect(page).toContain('<time id="appointment-day" datetime="2026-11-27">Thứ Sáu, 27/11/2026</time>');
    expect(text).toContain('Đăng ký khai sinh');
    expect(text).toContain('Đơn vị tiếp nhận 000.00.01.H26');
    expect(text).toContain('000.00.01.H26-261123-0001');
  });

  it('is in English with lang=en, and each language links to the other keeping the key', async () => {
    const view = await viewOf(personalDossier());
    const en = trackingPage(view, KEY, langOf('en'));
    expect(en).toContain('<html lang="en">');
    expect(visibleText(en)).toContain('Received');
    expect(visibleText(en)).toContain('Birth registration');
    expect(en).toContain('datetime="2026-11-27">Friday, 27 November 2026</time>');
    expect(en).toContain(`href="?key=${KEY}&amp;lang=vi"`);
    expect(visibleText(en)).toContain('Tiếng Việt');
    const vi = trackingPage(view, KEY, 'vi');
    expect(vi).toContain(`href="?key=${KEY}&amp;lang=en"`);
    expect(visibleText(vi)).toContain('English');
  });

  it('treats any other lang as Vietnamese', () => {
    expect(langOf('fr')).toBe('vi');
    expect(langOf('EN')).toBe('vi');
    expect(langOf('en')).toBe('en');
  });

  it('escapes what it prints, so a name holding markup stays text', async () => {
    const view = await viewOf(
      personalDossier({
        status: 'SUPPLEMENT_REQUESTED',
        procedure: {
          code: '1.001193',
          version: 1,
          name: { vi: '<script>alert(1)</script>', en: '"><img src=x onerror=alert(1)>' },
          processingDays: 3,
        },
        supplement: {
          items: [{ name: '<b onclick="x()">Giấy & tờ</b>', reason: 'r' }],
          requestedAt: '2026-11-24T02:00:00.000Z',
          resumeTo: 'RECEIVED',
        },
      }),
    );
    const vi = trackingPage(view, KEY, 'vi');
    const en = trackingPage(view, KEY, 'en');
    expect(vi).not.toContain('<script>');
    expect(vi).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(vi).toContain('<li>&lt;b onclick=&quot;x()&quot;&gt;Giấy &amp; tờ&lt;/b&gt;</li>');
    expect(en).not.toContain('<img');
    expect(en).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it.each([
    ['vi', 'a supplement request'],
    ['en', 'a supplement request'],
    ['vi', 'a result ready'],
    ['en', 'a result ready'],
  ] as const)('shows nothing personal (%s, %s) from a dossier that holds it all', async (lang, which) => {
    const dossier = which === 'a supplement request' ? supplementRequested : resultReady();
    const page = trackingPage(await viewOf(dossier), KEY, lang);
    for (const personal of [
      'Nguyễn Văn An',
      '001090012345',
      '1990-01-01',
      '0912345678',
      'an@example.vn',
      'Phố Huế',
      'Nguyễn Minh Khang',
      'Lê Minh Châu',
      // A supplement reason is an officer's free text: it may quote the applicant.
      'sai dấu',
    ]) {
      expect(page).not.toContain(personal);
    }
  });

  it('marks the page as not found for a refusal without saying whether the code exists', () => {
    const notFound = visibleText(trackingRefusalPage(404, KEY, 'vi'));
    expect(notFound).toContain('Không tìm thấy hồ sơ');
    // A malformed key reads exactly as a wrong one.
    expect(visibleText(trackingRefusalPage(400, KEY, 'vi'))).toBe(notFound);
    expect(visibleText(trackingRefusalPage(404, KEY, 'en'))).toContain('No dossier was found');
    expect(visibleText(trackingRefusalPage(500, KEY, 'en'))).toContain('try again');
    expect(trackingRefusalPage(404, '"><script>', 'vi')).toContain(
      'href="?key=%22%3E%3Cscript%3E&amp;lang=en"',
    );
  });

  it('allows its one style element by hash and nothing else', () => {
    const page = trackingPage(
      {
        code: 'C',
        status: 'RECEIVED',
        statusLabel: { vi: 'a', en: 'a' },
        procedure: { code: 'p', name: { vi: 'p', en: 'p' } },
        submittedAt: '2026-11-23T01:00:00.000Z',
        paused: false,
        currentStep: { vi: 's', en: 's' },
        awaitingPayment: false,
        unit: 'u',
        channel: 'online',
      },
      KEY,
      'vi',
    );
    const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256').update(styles[0]!, 'utf8').digest('base64');
    expect(trackingPageHeaders['content-security-policy']).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    expect(page).not.toMatch(/<script|<link|<img|style="/);
  });
});

describe('nextStep', () => {
  it('lists the items a supplement request asks for, by name, and how to send them online', async () => {
    const step = nextStep(await viewOf(supplementRequested), 'vi');
    expect(step).toMatchObject({ todo: true, items: ['Giấy chứng sinh', 'Giấy xác nhận nơi cư trú'] });
    expect(step.text).toContain('mẫu 02');
    expect(step.how).toContain('Nộp bổ sung trực tuyến');
    const page = visibleText(trackingPage(await viewOf(supplementRequested), KEY, 'en'));
    expect(page).toContain('What you need to do');
    expect(page).toContain('Giấy chứng sinh');
  });

  it('sends a counter filing’s supplement to the counter', async () => {
    const step = nextStep(await viewOf({ ...supplementRequested, channel: 'counter' }), 'en');
    expect(step.how).toContain('Bring them to the receiving unit’s counter');
    expect(step.how).not.toContain('online');
  });

  it('asks for the fees, with the amount, when the dossier waits for them', async () => {
    const step = nextStep(await viewOf(personalDossier({ fees: feesDue('before-processing') })), 'vi');
    expect(step.todo).toBe(true);
    expect(step.text).toContain('Nộp 50.000 ₫ phí, lệ phí để hồ sơ được giải quyết');
    expect(step.text).toContain('thanh toán trực tuyến');
    const release = nextStep(await viewOf({ ...resultReady(), fees: feesDue('before-release') }), 'en');
    expect(release.text).toContain('Pay the fees 50.000 ₫ to receive the result: pay online');
  });

  it('says how to get a ready result: download it, or collect it at the counter with an ID', async () => {
    const step = nextStep(await viewOf(resultReady()), 'en');
    expect(step.todo).toBe(true);
    expect(step.text).toContain('Download the electronic result');
    expect(step.text).toContain('Collect the result at the receiving unit’s counter: bring your ID card');
    const paperOnly = nextStep(await viewOf(resultReady({ documents: [] })), 'vi');
    expect(paperOnly.text).not.toContain('Tải kết quả điện tử');
    expect(paperOnly.text).toContain('Nhận kết quả tại quầy');
  });

  it('says a posted result needs only waiting, naming the carrier and not the tracking number', async () => {
    const dispatch = {
      carrier: 'VNPost',
      trackingNumber: 'EB123456789VN',
      at: '2026-11-26T09:00:00.000Z',
      by: { sub: 'sub-o', name: 'Lê Minh Châu', branch: '000.00.01.H26' },
    };
    const view = await viewOf(resultReady({ dispatch }));
    expect(nextStep(view, 'en')).toMatchObject({
      todo: false,
      text: expect.stringContaining('sent by VNPost'),
    });
    expect(trackingPage(view, KEY, 'vi')).not.toContain('EB123456789VN');
  });

  it.each([
    ['SUBMITTED', 'Bạn chưa cần làm gì'],
    ['RECEIVED', 'Bạn chưa cần làm gì'],
    ['IN_PROGRESS', 'Bạn chưa cần làm gì'],
    ['RETURNED', 'không cần làm gì thêm'],
    ['REFUSED', 'mẫu 03'],
    ['REJECTED', 'Hồ sơ không được giải quyết'],
    ['STOPPED', 'mẫu 05'],
    ['WITHDRAWN', 'Hồ sơ đã được rút'],
  ] as const)('says there is nothing to do when %s', async (status, says) => {
    const step = nextStep(await viewOf(personalDossier({ status })), 'vi');
    expect(step).toEqual({ todo: false, text: expect.stringContaining(says) });
  });

  it('says how far the route between agencies has come while in progress', async () => {
    const view = await viewOf(
      personalDossier({
        status: 'IN_PROGRESS',
        routing: {
          attempt: 1,
          executionName: 'x',
          startedAt: '2026-11-23T03:00:00.000Z',
          completedStages: 1,
          stageCount: 2,
        },
      }),
    );
    expect(visibleText(trackingPage(view, KEY, 'vi'))).toContain('Đã hoàn thành 1/2 bước');
    expect(visibleText(trackingPage(view, KEY, 'en'))).toContain('1 of 2 stages');
  });
});

describe('trackDossierPage', () => {
  it('refuses a wrong key exactly as an unknown code', async () => {
    const dossier = personalDossier();
    const deps = depsWith(dossier);
    const wrongKey = trackDossierPage(dossier.code, 'ZZZZZZZZ', deps);
    const unknown = trackDossierPage('000.00.01.H26-261123-9999', KEY, deps);
    await expect(wrongKey).rejects.toBeInstanceOf(NotFoundError);
    await expect(unknown).rejects.toBeInstanceOf(NotFoundError);
    const [a, b] = (await Promise.all([
      wrongKey.catch((e) => e),
      unknown.catch((e) => e),
    ])) as NotFoundError[];
    expect([a!.message, a!.code]).toEqual([b!.message, b!.code]);
  });

  it('gives supplement items by name only, and only while a supplement is requested', async () => {
    const view: TrackingPageView = await viewOf(supplementRequested);
    expect(view.supplementItems).toEqual(['Giấy chứng sinh', 'Giấy xác nhận nơi cư trú']);
    expect(JSON.stringify(view)).not.toContain('sai dấu');
    expect((await viewOf({ ...supplementRequested, status: 'RECEIVED' })).supplementItems).toBeUndefined();
  });
});

describe('prefersHtml', () => {
  it.each([
    ['text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8', true],
    ['text/html', true],
    ['application/json;q=0.5, text/html', true],
    ['text/*', true],
    ['application/json', false],
    ['*/*', false],
    ['', false],
    [undefined, false],
    ['text/html, application/json', false],
    ['text/html;q=0.5, application/json', false],
    ['text/html;q=0', false],
    ['text/html;q=0.9, */*', false],
  ])('%s → %s', (accept, expected) => {
    expect(prefersHtml(accept)).toBe(expected);
  });
});
