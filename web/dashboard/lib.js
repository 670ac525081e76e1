// The dashboard's pure logic: its words in Vietnamese and English, number and day formatting, the period, the
// figures derived from the API's counters, and the PKCE helpers of the Cognito sign-in. No DOM here, so the unit
// tests import this file as the browser does (tests/unit/dashboard.test.ts).

export const LANGS = ['vi', 'en'];
export const LANG_KEY = 'motcua.dashboard.lang';
export const TOKEN_KEY = 'motcua.dashboard.token';
export const PKCE_KEY = 'motcua.dashboard.pkce';
const TIME_ZONE = 'Asia/Ho_Chi_Minh';
const DEFAULT_PERIOD_DAYS = 30;

/** `?lang=` wins (a shared link), then the remembered choice, then Vietnamese. */
export function pickLanguage(search, stored) {
  const asked = new URLSearchParams(search).get('lang');
  if (LANGS.includes(asked)) return asked;
  return LANGS.includes(stored) ? stored : 'vi';
}

export const locale = (lang) => (lang === 'en' ? 'en-GB' : 'vi-VN');

const numberFormats = new Map();
function numberFormat(lang, options) {
  const key = `${lang}${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale(lang), options);
    numberFormats.set(key, format);
  }
  return format;
}

/** A count: `1.234` in Vietnamese, `1,234` in English. */
export const formatNumber = (lang, n) => numberFormat(lang, { maximumFractionDigits: 0 }).format(n);

/** Points to at most two decimals, as the API rounds them. */
export const formatPoints = (lang, n) => numberFormat(lang, { maximumFractionDigits: 2 }).format(n);

/** A rate of 0..1 as a percentage to one decimal; `—` when there is nothing to divide by. */
export function formatPercent(lang, rate) {
  if (rate === undefined || rate === null || Number.isNaN(rate)) return '—';
  return numberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/** A YYYY-MM-DD day as people write it: 05/03/2026 in both languages, the weekday left out. */
export function formatDay(lang, day) {
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(lang), {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** The Vietnam-local day of an instant, YYYY-MM-DD. */
export function vietnamDay(now) {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

export function addDays(day, n) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The API's own default: the 30 days up to today, Vietnam-local. */
export function defaultPeriod(now) {
  const to = vietnamDay(now);
  return { from: addDays(to, -(DEFAULT_PERIOD_DAYS - 1)), to };
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const UNIT = /^[0-9A-Z]{3}(\.[0-9A-Z]{2}){2}\.[0-9A-Z]{3}$/;

/** The state a link carries (`?unit=&from=&to=`), each value checked, the default period otherwise. */
export function stateFromSearch(search, now) {
  const params = new URLSearchParams(search);
  const period = defaultPeriod(now);
  const from = params.get('from');
  const to = params.get('to');
  const unit = params.get('unit');
  return {
    from: ISO_DAY.test(from ?? '') ? from : period.from,
    to: ISO_DAY.test(to ?? '') ? to : period.to,
    unit: UNIT.test(unit ?? '') ? unit : '',
  };
}

/** The query string of a statistics call; `unit` is left out for the whole center. */
export function statsQuery({ unit, from, to }, withUnit = true) {
  const params = new URLSearchParams();
  if (withUnit && unit) params.set('unit', unit);
  params.set('from', from);
  params.set('to', to);
  return params.toString();
}

const share = (part, whole) => (whole > 0 ? part / whole : undefined);

/** Per day of `/v1/stats/daily`: what the trend chart and its table show. */
export function trendRows(daily) {
  return daily.days.map((d) => ({
    day: d.day,
    received: d.counters.received,
    online: d.online,
    onlineShare: share(d.online, d.counters.received),
    finished: d.counters.finished,
    onTimeRate: d.onTimeRate,
  }));
}

/** The satisfaction panel's figures from the index's counters. */
export function satisfactionFigures(counters) {
  return {
    ratings: counters.ratings,
    averageScore: share(counters.ratingScoreSum, counters.ratings),
    dissatisfied: counters.ratingsDissatisfied,
    dissatisfiedShare: share(counters.ratingsDissatisfied, counters.ratings),
  };
}

// ---- words ----

export const messages = {
  vi: {
    title: 'Bảng theo dõi, giám sát',
    skip: 'Đến nội dung chính',
    center: 'Trung tâm Phục vụ hành chính công Hà Nội',
    switchTo: 'English',
    switchLang: 'Switch to English',
    filters: 'Kỳ và đơn vị',
    from: 'Từ ngày',
    to: 'Đến ngày',
    unit: 'Đơn vị',
    wholeCenter: 'Toàn Trung tâm',
    show: 'Xem',
    loading: 'Đang tải số liệu…',
    loaded: 'Số liệu từ {from} đến {to}: {unit}.',
    signIn: 'Đăng nhập',
    signInAs: 'Đăng nhập với tài khoản',
    signOut: 'Đăng xuất',
    signedInAs: 'Đã đăng nhập: {name}',
    scopeBranch: 'phạm vi: {unit}',
    scopeCenter: 'phạm vi: toàn Trung tâm',
    signInHint: 'Đăng nhập bằng tài khoản cán bộ để xem hồ sơ sắp đến hạn và số liệu theo thủ tục.',
    sessionEnded: 'Phiên đăng nhập đã hết hạn; hãy đăng nhập lại.',
    signInFailed: 'Không đăng nhập được ({code}).',
    indexTitle: 'Chỉ số phục vụ (Quyết định 766/QĐ-TTg)',
    indexTotal: '{points} / {measured} điểm đo được (trên thang 100)',
    indexRest: '{rest} điểm còn lại do Cổng Dịch vụ công quốc gia chấm từ dữ liệu mà hệ thống này không có.',
    groupPoints: '{points} / {measured} điểm (nhóm {max} điểm)',
    groupNotScored: 'Chưa tính được điểm (nhóm {max} điểm)',
    indicator: 'Chỉ tiêu',
    rate: 'Tỷ lệ',
    points: 'Điểm',
    notMeasured: 'Không đo được',
    why: 'Lý do',
    noData: 'Chưa có số liệu',
    trendTitle: 'Xu hướng theo ngày',
    trendChart: 'Biểu đồ hồ sơ tiếp nhận, tỷ lệ trực tuyến và tỷ lệ đúng hạn theo ngày',
    day: 'Ngày',
    received: 'Tiếp nhận',
    online: 'Trực tuyến',
    onlineShare: 'Tỷ lệ trực tuyến',
    finished: 'Đã giải quyết',
    onTimeRate: 'Tỷ lệ đúng hạn',
    showTable: 'Xem dạng bảng',
    hideTable: 'Ẩn bảng',
    branchesTitle: 'Tỷ lệ giải quyết đúng hạn theo chi nhánh',
    branchesChart: 'Biểu đồ tỷ lệ đúng hạn của từng chi nhánh',
    branch: 'Chi nhánh',
    selected: '(đang xem)',
    noneFinished: 'Chưa có hồ sơ nào được giải quyết trong kỳ: chưa có tỷ lệ đúng hạn.',
    satisfactionTitle: 'Mức độ hài lòng',
    ratings: 'Lượt đánh giá',
    averageScore: 'Điểm trung bình (1–5)',
    dissatisfied: 'Không hài lòng (1–2 điểm)',
    dissatisfiedShare: 'Tỷ lệ không hài lòng',
    satisfactionRate: 'Tỷ lệ hài lòng (chỉ tiêu 5.4)',
    radarTitle: 'Hồ sơ đến hạn và quá hạn',
    radarAsOf: 'Tại thời điểm {time}: hôm nay {today}, ngày làm việc tiếp theo {tomorrow}.',
    radarUnavailable: 'Chưa có dữ liệu hồ sơ đến hạn: máy chủ chưa cung cấp chức năng này.',
    overdue: 'Quá hạn',
    dueToday: 'Đến hạn hôm nay',
    dueTomorrow: 'Đến hạn ngày mai',
    dossiers: 'Hồ sơ',
    steps: 'Bước xử lý của cơ quan',
    inProgress: 'Đang giải quyết',
    inProgressOnTime: 'Trong hạn',
    inProgressLate: 'Quá hạn',
    byUnit: 'Theo đơn vị tiếp nhận',
    byAgency: 'Theo cơ quan giải quyết',
    agency: 'Cơ quan',
    total: 'Tổng',
    incomplete: '(ít nhất: còn nhiều hồ sơ hơn)',
    appointmentDay: 'Ngày hẹn trả',
    bucket: 'Tình trạng',
    nothingDue: 'Không có hồ sơ nào quá hạn hoặc sắp đến hạn.',
    proceduresTitle: 'Số liệu theo thủ tục: {unit}',
    proceduresPickBranch: 'Chọn một chi nhánh để xem số liệu theo thủ tục.',
    procedure: 'Thủ tục',
    channel: 'Kênh',
    channelOnline: 'Trực tuyến',
    channelCounter: 'Tại quầy',
    supplementRequests: 'Yêu cầu bổ sung',
    paidOnline: 'Thanh toán trực tuyến',
    noProcedures: 'Không có hồ sơ nào trong kỳ.',
    refusedOutOfScope:
      'Bạn không có quyền xem số liệu của {unit}: đơn vị này ngoài phạm vi giám sát của bạn.',
    refusedForbidden: 'Tài khoản này không có phạm vi giám sát nào.',
    refusedSignIn: 'Cần đăng nhập bằng tài khoản cán bộ.',
    periodTooLong: 'Kỳ xem tối đa 366 ngày; hãy chọn kỳ ngắn hơn.',
    badPeriod: 'Ngày kết thúc phải sau ngày bắt đầu.',
    failed: 'Không tải được số liệu ({code}).',
    privacy:
      'Số liệu công khai chỉ là số tổng hợp: không có tên, số định danh, địa chỉ hay số điện thoại của người dân.',
    staffOnly: 'Chỉ dành cho cán bộ',
  },
  en: {
    title: 'Supervision dashboard',
    skip: 'Skip to the content',
    center: 'Hanoi Public Administrative Service Center',
    switchTo: 'Tiếng Việt',
    switchLang: 'Chuyển sang tiếng Việt',
    filters: 'Period and unit',
    from: 'From',
    to: 'To',
    unit: 'Unit',
    wholeCenter: 'The whole center',
    show: 'Show',
    loading: 'Loading the figures…',
    loaded: 'Figures from {from} to {to}: {unit}.',
    signIn: 'Sign in',
    signInAs: 'Sign in as',
    signOut: 'Sign out',
    signedInAs: 'Signed in: {name}',
    scopeBranch: 'scope: {unit}',
    scopeCenter: 'scope: the whole center',
    signInHint: 'Sign in with a staff account to see dossiers coming due and the figures by procedure.',
    sessionEnded: 'Your session has ended; please sign in again.',
    signInFailed: 'Could not sign in ({code}).',
    indexTitle: 'Service index (Decision 766/QĐ-TTg)',
    indexTotal: '{points} / {measured} measurable points (out of 100)',
    indexRest:
      'The other {rest} points are scored by the national portal from records this system does not have.',
    groupPoints: '{points} / {measured} points (group of {max})',
    groupNotScored: 'No points yet (group of {max})',
    indicator: 'Indicator',
    rate: 'Rate',
    points: 'Points',
    notMeasured: 'Not measured',
    why: 'Why',
    noData: 'No figures yet',
    trendTitle: 'Trends by day',
    trendChart: 'Chart of dossiers received, online share and on-time rate by day',
    day: 'Day',
    received: 'Received',
    online: 'Online',
    onlineShare: 'Online share',
    finished: 'Finished',
    onTimeRate: 'On-time rate',
    showTable: 'Show as a table',
    hideTable: 'Hide the table',
    branchesTitle: 'On-time rate by branch',
    branchesChart: 'Chart of the on-time rate of each branch',
    branch: 'Branch',
    selected: '(selected)',
    noneFinished: 'No dossier was finished in this period: there is no on-time rate yet.',
    satisfactionTitle: 'Satisfaction',
    ratings: 'Ratings',
    averageScore: 'Average score (1–5)',
    dissatisfied: 'Dissatisfied (1–2)',
    dissatisfiedShare: 'Dissatisfied share',
    satisfactionRate: 'Satisfaction rate (indicator 5.4)',
    radarTitle: 'Dossiers due and overdue',
    radarAsOf: 'As of {time}: today {today}, next working day {tomorrow}.',
    radarUnavailable: 'The overdue radar is unavailable: the server does not offer it yet.',
    overdue: 'Overdue',
    dueToday: 'Due today',
    dueTomorrow: 'Due tomorrow',
    dossiers: 'Dossiers',
    steps: 'Agency steps',
    inProgress: 'In progress',
    inProgressOnTime: 'On time',
    inProgressLate: 'Late',
    byUnit: 'By receiving unit',
    byAgency: 'By deciding agency',
    agency: 'Agency',
    total: 'Total',
    incomplete: '(at least: more dossiers are due)',
    appointmentDay: 'Appointment day',
    bucket: 'Where it stands',
    nothingDue: 'No dossier is overdue or coming due.',
    proceduresTitle: 'Figures by procedure: {unit}',
    proceduresPickBranch: 'Choose a branch to see its figures by procedure.',
    procedure: 'Procedure',
    channel: 'Channel',
    channelOnline: 'Online',
    channelCounter: 'At the counter',
    supplementRequests: 'Supplement requests',
    paidOnline: 'Paid online',
    noProcedures: 'No dossier in this period.',
    refusedOutOfScope: 'You may not see the figures of {unit}: it is outside your supervision scope.',
    refusedForbidden: 'This account has no supervision scope.',
    refusedSignIn: 'This needs a staff account.',
    periodTooLong: 'A period covers at most 366 days; choose a shorter one.',
    badPeriod: 'The last day must not be before the first.',
    failed: 'Could not load the figures ({code}).',
    privacy:
      'The public figures are aggregates only: no citizen’s name, ID number, address or phone number is in them.',
    staffOnly: 'Staff only',
  },
};

/** A message with its `{name}` placeholders filled; an unknown key shows itself, so a gap is visible. */
export function t(lang, key, vars = {}) {
  const text = messages[lang]?.[key] ?? messages.vi[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** What a refused or failed API call tells the person, from its status and `{ error: { code } }` body. */
export function refusalMessage(lang, status, body, vars = {}) {
  const code = body?.error?.code;
  if (code === 'OUT_OF_SCOPE') return t(lang, 'refusedOutOfScope', vars);
  if (code === 'FORBIDDEN') return t(lang, 'refusedForbidden');
  if (status === 401) return t(lang, 'refusedSignIn');
  if (code === 'STATS_PERIOD_TOO_LONG') return t(lang, 'periodTooLong');
  if (code === 'VALIDATION_FAILED') return t(lang, 'badPeriod');
  return t(lang, 'failed', { code: code ?? status });
}

// ---- sign-in ----

/** RFC 4648 §5 base64url without padding. */
export function base64url(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A PKCE code verifier (RFC 7636 §4.1): 32 random bytes, 43 characters. */
export function createVerifier(crypto = globalThis.crypto) {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The S256 code challenge of a verifier (RFC 7636 §4.2). */
export async function challengeOf(verifier, crypto = globalThis.crypto) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** Cognito's authorize endpoint for the code flow with PKCE. */
export function authorizeUrl(auth, { state, challenge, lang }) {
  const url = new URL('/oauth2/authorize', auth.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    scope: 'openid email profile',
    state,
    code_challenge_method: 'S256',
    code_challenge: challenge,
    lang: lang === 'en' ? 'en' : 'vi',
  }).toString();
  return url.toString();
}

/** The form body that trades the authorization code for tokens (a public client: no secret). */
export function tokenRequest(auth, { code, verifier }) {
  return {
    url: new URL('/oauth2/token', auth.domain).toString(),
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: auth.clientId,
      code,
      redirect_uri: auth.redirectUri,
      code_verifier: verifier,
    }).toString(),
  };
}

export function logoutUrl(auth) {
  const url = new URL('/logout', auth.domain);
  url.search = new URLSearchParams({ client_id: auth.clientId, logout_uri: auth.redirectUri }).toString();
  return url.toString();
}

/**
 * The claims of a token, read to show who is signed in and their scope. Not verified here: the API verifies every
 * token it is sent, and the page shows only what the API then answers.
 */
export function claimsOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json);
    return claims && typeof claims === 'object' ? claims : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the token's `exp` has passed (a minute early, so a call does not fail on the way). */
export const expired = (claims, nowMs) =>
  typeof claims?.exp !== 'number' || claims.exp * 1000 - 60_000 <= nowMs;

/** The groups a token carries: an array, or the string API Gateway passes on. */
export function groupsOf(claims) {
  const groups = claims?.['cognito:groups'];
  if (Array.isArray(groups)) return groups;
  return typeof groups === 'string' ? groups.split(/[\s,[\]]+/).filter(Boolean) : [];
}

export const isStaff = (claims) =>
  groupsOf(claims).some((g) => ['officer', 'supervisor', 'admin'].includes(g));
