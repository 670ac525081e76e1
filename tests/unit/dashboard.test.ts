// The supervisors' dashboard's pure logic (web/dashboard/lib.js, imported as the browser imports it) and the local
// gateway's allow-list of its files.
import { describe, expect, it } from 'vitest';
import { dashboardFile, localDashboardConfig } from '../../local/dashboard-files';
import { demoAccounts } from '../../local/demo';
import {
  authorizeUrl,
  base64url,
  type CognitoAuth,
  challengeOf,
  claimsOf,
  createVerifier,
  defaultPeriod,
  expired,
  formatDay,
  formatNumber,
  formatPercent,
  formatPoints,
  groupsOf,
  isStaff,
  logoutUrl,
  messages,
  pickLanguage,
  refusalMessage,
  satisfactionFigures,
  stateFromSearch,
  statsQuery,
  t,
  tokenRequest,
  trendRows,
} from '../../web/dashboard/lib.js';

const cognito: CognitoAuth = {
  kind: 'cognito',
  domain: 'https://motcua-dev.auth.ap-southeast-1.amazoncognito.com',
  clientId: 'client123',
  redirectUri: 'https://dashboard.dev.motcua.example.vn/',
};

describe('the dashboard language', () => {
  it('takes ?lang= first, then the remembered choice, then Vietnamese', () => {
    expect(pickLanguage('?lang=en', 'vi')).toBe('en');
    expect(pickLanguage('?lang=vi', 'en')).toBe('vi');
    expect(pickLanguage('', 'en')).toBe('en');
    expect(pickLanguage('?lang=fr', undefined)).toBe('vi');
    expect(pickLanguage('', 'klingon')).toBe('vi');
  });

  it('has every message in both languages', () => {
    expect(Object.keys(messages.en).sort()).toEqual(Object.keys(messages.vi).sort());
    for (const lang of ['vi', 'en'] as const) {
      for (const [key, text] of Object.entries(messages[lang])) expect(text, `${lang}.${key}`).not.toBe('');
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('en', 'signedInAs', { name: 'Hoàng Thu Hà' })).toBe('Signed in: Hoàng Thu Hà');
    expect(t('vi', 'signedInAs')).toBe('Đã đăng nhập: {name}');
  });
});

describe('the dashboard number formats', () => {
  it('writes counts, points and rates the Vietnamese way and the British way', () => {
    expect(formatNumber('vi', 12345)).toBe('12.345');
    expect(formatNumber('en', 12345)).toBe('12,345');
    expect(formatPoints('vi', 17.5)).toBe('17,5');
    expect(formatPoints('en', 17.5)).toBe('17.5');
    expect(formatPercent('vi', 0.955)).toMatch(/^95,5\s?%$/);
    expect(formatPercent('en', 0.955)).toBe('95.5%');
  });

  it('shows a dash for a rate with nothing to divide by', () => {
    expect(formatPercent('vi', undefined)).toBe('—');
    expect(formatPercent('en', Number.NaN)).toBe('—');
  });

  it('writes days day first in both languages', () => {
    expect(formatDay('vi', '2026-03-05')).toBe('05/03/2026');
    expect(formatDay('en', '2026-03-05')).toBe('05/03/2026');
  });
});

describe('the dashboard period', () => {
  it('defaults to the 30 days up to today in Vietnam', () => {
    // 18:30 UTC on 31 Dec is already 1 Jan in Hanoi.
    expect(defaultPeriod(new Date('2026-12-31T18:30:00Z'))).toEqual({ from: '2026-12-03', to: '2027-01-01' });
  });

  it('reads unit and period from a link, ignoring malformed values', () => {
    const now = new Date('2026-06-15T03:00:00Z');
    expect(stateFromSearch('?unit=000.02.01.H26&from=2026-06-01&to=2026-06-10', now)).toEqual({
      unit: '000.02.01.H26',
      from: '2026-06-01',
      to: '2026-06-10',
    });
    expect(stateFromSearch('?unit=../../x&from=yesterday', now)).toEqual({
      unit: '',
      from: '2026-05-17',
      to: '2026-06-15',
    });
  });

  it('asks the API for the whole center by leaving the unit out', () => {
    expect(statsQuery({ unit: '', from: '2026-06-01', to: '2026-06-10' })).toBe(
      'from=2026-06-01&to=2026-06-10',
    );
    expect(statsQuery({ unit: '000.02.01.H26', from: '2026-06-01', to: '2026-06-10' })).toBe(
      'unit=000.02.01.H26&from=2026-06-01&to=2026-06-10',
    );
    expect(statsQuery({ unit: '000.02.01.H26', from: '2026-06-01', to: '2026-06-10' }, false)).toBe(
      'from=2026-06-01&to=2026-06-10',
    );
  });
});

describe('the dashboard figures', () => {
  it('derives each day’s online share, none on a day without receipts', () => {
    const rows = trendRows({
      days: [
        { day: '2026-06-01', counters: { received: 4, finished: 2 }, online: 3, onTimeRate: 0.5 },
        { day: '2026-06-02', counters: { received: 0, finished: 0 }, online: 0 },
      ],
    });
    expect(rows).toEqual([
      { day: '2026-06-01', received: 4, online: 3, onlineShare: 0.75, finished: 2, onTimeRate: 0.5 },
      {
        day: '2026-06-02',
        received: 0,
        online: 0,
        onlineShare: undefined,
        finished: 0,
        onTimeRate: undefined,
      },
    ]);
  });

  it('derives the average score and the dissatisfied share from the ratings', () => {
    expect(satisfactionFigures({ ratings: 4, ratingScoreSum: 14, ratingsDissatisfied: 1 })).toEqual({
      ratings: 4,
      averageScore: 3.5,
      dissatisfied: 1,
      dissatisfiedShare: 0.25,
    });
    expect(satisfactionFigures({ ratings: 0, ratingScoreSum: 0, ratingsDissatisfied: 0 }).averageScore).toBe(
      undefined,
    );
  });

  it('tells a refusal of another branch apart from a missing sign-in', () => {
    const outOfScope = { error: { code: 'OUT_OF_SCOPE' } };
    expect(refusalMessage('en', 403, outOfScope, { unit: 'Ba Đình' })).toBe(
      'You may not see the figures of Ba Đình: it is outside your supervision scope.',
    );
    expect(refusalMessage('vi', 401, { error: { code: 'UNAUTHENTICATED' } })).toBe(
      'Cần đăng nhập bằng tài khoản cán bộ.',
    );
    expect(refusalMessage('en', 500, undefined)).toBe('Could not load the figures (500).');
  });
});

describe('the dashboard sign-in (PKCE)', () => {
  it('computes the S256 challenge of RFC 7636 Appendix B', async () => {
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes verifiers of 43 unreserved characters, a new one each time', () => {
    const a = createVerifier();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createVerifier()).not.toBe(a);
    expect(base64url(new Uint8Array([251, 255]))).toBe('-_8');
  });

  it('sends the browser to Cognito for a code with the challenge and the state', () => {
    const url = new URL(authorizeUrl(cognito, { state: 's1', challenge: 'c1', lang: 'en' }));
    expect(`${url.origin}${url.pathname}`).toBe(`${cognito.domain}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client123',
      redirect_uri: cognito.redirectUri,
      scope: 'openid email profile',
      state: 's1',
      code_challenge_method: 'S256',
      code_challenge: 'c1',
      lang: 'en',
    });
  });

  it('trades the code with the verifier and no client secret', () => {
    const request = tokenRequest(cognito, { code: 'abc', verifier: 'v'.repeat(43) });
    expect(request.url).toBe(`${cognito.domain}/oauth2/token`);
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'client123',
      code: 'abc',
      redirect_uri: cognito.redirectUri,
      code_verifier: 'v'.repeat(43),
    });
    expect(new URL(logoutUrl(cognito)).searchParams.get('logout_uri')).toBe(cognito.redirectUri);
  });

  it('reads who is signed in from the token, Vietnamese names included', () => {
    const payload = Buffer.from(
      JSON.stringify({ name: 'Phạm Quốc Dũng', 'cognito:groups': ['officer'], exp: 2_000_000_000 }),
    ).toString('base64url');
    const claims = claimsOf(`e30.${payload}.sig`);
    expect(claims).toMatchObject({ name: 'Phạm Quốc Dũng' });
    expect(isStaff(claims)).toBe(true);
    expect(expired(claims, 1_999_999_000_000)).toBe(false);
    expect(expired(claims, 2_000_000_000_000)).toBe(true);
    expect(claimsOf('not-a-token')).toBe(undefined);
    expect(groupsOf({ 'cognito:groups': '[citizen]' })).toEqual(['citizen']);
    expect(isStaff({ 'cognito:groups': ['citizen'] })).toBe(false);
  });
});

describe('the local dashboard files', () => {
  it('serves the page, its script, its styles, Chart.js and a config for the local issuer', () => {
    expect(dashboardFile('/dashboard/', demoAccounts)).toMatchObject({
      kind: 'file',
      contentType: 'text/html; charset=utf-8',
    });
    expect(dashboardFile('/dashboard/dashboard.css', demoAccounts)).toMatchObject({
      contentType: 'text/css; charset=utf-8',
    });
    const chart = dashboardFile('/dashboard/vendor/chart.umd.min.js', demoAccounts);
    expect(chart).toMatchObject({ kind: 'file', contentType: 'text/javascript; charset=utf-8' });
    expect(String(chart.kind === 'file' && chart.body).slice(0, 200)).toContain('Chart.js');
    expect(dashboardFile('/dashboard', demoAccounts)).toEqual({ kind: 'redirect', location: '/dashboard/' });
  });

  it('offers only the staff accounts to sign in as, on the same origin', () => {
    expect(localDashboardConfig(demoAccounts)).toEqual({
      apiBase: '',
      auth: {
        kind: 'local',
        tokenUrl: '/local-idp/token',
        accounts: ['officer.badinh', 'officer.hoankiem', 'supervisor', 'admin'],
      },
    });
  });

  it('refuses anything outside web/dashboard however it is spelled', () => {
    for (const path of [
      '/dashboard/../package.json',
      '/dashboard/..%2fpackage.json',
      '/dashboard/%2e%2e%2fpackage.json',
      '/dashboard/%252e%252e%252fpackage.json',
      '/dashboard/vendor/../../package.json',
      '/dashboard/..\\package.json',
      '/dashboard/lib.d.ts',
      '/dashboard/.env',
      '/dashboard/vendor/chart.js',
      '/dashboard/missing.js',
    ]) {
      expect(dashboardFile(path, demoAccounts), path).toEqual({ kind: 'not-found' });
    }
  });
});
