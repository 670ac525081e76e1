// The supervisors' dashboard: the public statistics (service index, daily trend, branches, satisfaction) for anyone,
// the overdue radar and a unit's procedures for signed-in staff. Plain DOM (text only, never markup from data) and
// Chart.js; every chart has a table beside it with the same numbers for screen readers.
import config from './config.js';
import {
  authorizeUrl,
  challengeOf,
  claimsOf,
  createVerifier,
  expired,
  formatDay,
  formatNumber,
  formatPercent,
  formatPoints,
  isStaff,
  LANG_KEY,
  locale,
  logoutUrl,
  PKCE_KEY,
  pickLanguage,
  refusalMessage,
  satisfactionFigures,
  stateFromSearch,
  statsQuery,
  TOKEN_KEY,
  t,
  tokenRequest,
  trendRows,
} from './lib.js';

const Chart = globalThis.Chart;
const state = {
  lang: pickLanguage(location.search, safeStorage(localStorage).get(LANG_KEY)),
  ...stateFromSearch(location.search, new Date()),
  token: undefined,
  claims: undefined,
  branches: [],
  procedureNames: undefined,
  data: {},
  /** Panels whose table the person chose to see (they are always there for screen readers). */
  openTables: new Set(),
  generation: 0,
  /** Loads finished: tests wait for this to move on after a click. */
  loads: 0,
  /** What the status line says, in whichever language is chosen: `(lang) => text`. */
  notice: () => '',
};
const charts = new Map();
const session = safeStorage(sessionStorage);

function safeStorage(storage) {
  return {
    get: (key) => {
      try {
        return storage.getItem(key) ?? undefined;
      } catch {
        return undefined;
      }
    },
    set: (key, value) => {
      try {
        storage.setItem(key, value);
      } catch {
        // Private browsing may refuse storage; the page still works for this visit.
      }
    },
    remove: (key) => {
      try {
        storage.removeItem(key);
      } catch {
        // As above.
      }
    },
  };
}

// ---- DOM helpers: text nodes only ----

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const $ = (selector) => document.querySelector(selector);
const tr = (key, vars) => t(state.lang, key, vars);
const num = (n) => formatNumber(state.lang, n ?? 0);
const pct = (rate) => formatPercent(state.lang, rate);
const label = (name) => name?.[state.lang] ?? name?.vi ?? '';

function unitName(unit, lang = state.lang) {
  if (!unit) return t(lang, 'wholeCenter');
  const branch = state.branches.find((b) => b.code === unit);
  return branch ? (branch.name[lang] ?? branch.name.vi) : unit;
}

/**
 * A table: `columns` are `{ label, numeric? }`, rows are arrays of cells (text, or `{ text, lang }`); the first cell
 * of each row is its header. `id` lets tests and people find it.
 */
function table({ id, caption, captionHidden = false, columns, rows, rowClass }) {
  return el(
    'table',
    { id, class: 'data' },
    el('caption', { class: captionHidden ? 'visually-hidden' : undefined }, caption),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        columns.map((c) => el('th', { scope: 'col', class: c.numeric ? 'num' : undefined }, c.label)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((row, r) =>
        el(
          'tr',
          { class: rowClass?.(r) },
          row.map((cell, i) => {
            const { text, lang } = typeof cell === 'object' && cell !== null ? cell : { text: cell };
            const attributes = { class: columns[i]?.numeric ? 'num' : undefined, lang };
            return i === 0 ? el('th', { scope: 'row', ...attributes }, text) : el('td', attributes, text);
          }),
        ),
      ),
    ),
  );
}

/** The table beside a chart: always in the accessibility tree; shown on screen when the person asks for it. */
function chartTable(panel, tableNode) {
  const open = state.openTables.has(panel);
  const wrapperId = `${panel}-numbers`;
  const wrapper = el(
    'div',
    { id: wrapperId, class: open ? 'numbers' : 'numbers visually-hidden' },
    tableNode,
  );
  const toggle = el(
    'button',
    {
      type: 'button',
      class: 'link',
      'aria-expanded': String(open),
      'aria-controls': wrapperId,
      // In place, not a re-render: the button keeps the focus.
      onclick: (event) => {
        const opened = !state.openTables.has(panel);
        if (opened) state.openTables.add(panel);
        else state.openTables.delete(panel);
        wrapper.classList.toggle('visually-hidden', !opened);
        event.currentTarget.setAttribute('aria-expanded', String(opened));
        event.currentTarget.textContent = opened ? tr('hideTable') : tr('showTable');
      },
    },
    open ? tr('hideTable') : tr('showTable'),
  );
  return [toggle, wrapper];
}

function drawChart(id, make) {
  charts.get(id)?.destroy();
  charts.delete(id);
  const canvas = document.getElementById(id);
  if (!Chart || !canvas) return;
  charts.set(id, new Chart(canvas, make()));
}

// ---- the API ----

async function api(path, { signedIn = false } = {}) {
  const headers = { accept: 'application/json' };
  if (signedIn && state.token) headers.authorization = `Bearer ${state.token}`;
  try {
    const response = await fetch(`${config.apiBase}${path}`, { headers });
    const body = await response.json().catch(() => undefined);
    return { ok: response.ok, status: response.status, body };
  } catch {
    return { ok: false, status: 0, body: undefined };
  }
}

async function allPages(path) {
  const items = [];
  let cursor;
  for (let page = 0; page < 50; page++) {
    const answer = await api(`${path}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (!answer.ok) break;
    items.push(...answer.body.items);
    cursor = answer.body.nextCursor;
    if (!cursor) break;
  }
  return items;
}

async function load() {
  const generation = ++state.generation;
  document.body.dataset.state = 'loading';
  state.notice = (lang) => t(lang, 'loading');
  renderStatus();
  const query = statsQuery(state);
  const [index, daily, branches] = await Promise.all([
    api(`/v1/stats/index?${query}`),
    api(`/v1/stats/daily?${query}`),
    api(`/v1/stats/branches?${statsQuery(state, false)}`),
  ]);
  let radar;
  let procedures;
  if (state.token) {
    [radar, procedures] = await Promise.all([
      api(`/v1/stats/overdue${state.unit ? `?unit=${state.unit}` : ''}`, { signedIn: true }),
      state.unit
        ? api(`/v1/stats/units/${state.unit}/procedures?${statsQuery(state, false)}`, { signedIn: true })
        : undefined,
    ]);
    if (procedures?.ok && !state.procedureNames) {
      const list = await allPages('/v1/procedures');
      state.procedureNames = new Map(list.map((p) => [p.code, p.name]));
    }
  }
  if (generation !== state.generation) return;
  state.data = { index, daily, branches, radar, procedures };
  const failed = [index, daily, branches].find((a) => !a.ok);
  const { from, to, unit } = state;
  state.notice = failed
    ? (lang) => refusalMessage(lang, failed.status, failed.body)
    : (lang) =>
        t(lang, 'loaded', {
          from: formatDay(lang, from),
          to: formatDay(lang, to),
          unit: unitName(unit, lang),
        });
  // A token the API no longer takes (expired, or a restarted local issuer): sign out and say so.
  if (radar?.status === 401 || procedures?.status === 401) {
    signOut({ quietly: true });
    state.notice = (lang) => t(lang, 'sessionEnded');
  }
  render();
  document.body.dataset.loads = String(++state.loads);
  document.body.dataset.state = 'ready';
}

// ---- rendering ----

function render() {
  document.documentElement.lang = state.lang;
  document.title = `${tr('title')} — ${tr('center')}`;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = tr(node.dataset.i18n);
  const switcher = $('#lang-switch');
  switcher.textContent = tr('switchTo');
  switcher.lang = state.lang === 'vi' ? 'en' : 'vi';
  switcher.setAttribute('aria-label', tr('switchLang'));
  renderUnitOptions();
  renderAccount();
  renderStatus();
  renderIndex();
  renderTrend();
  renderBranches();
  renderSatisfaction();
  renderStaff();
}

function renderStatus() {
  $('#status').textContent = state.notice(state.lang);
}

function renderUnitOptions() {
  const select = $('#unit');
  select.replaceChildren(
    el('option', { value: '' }, tr('wholeCenter')),
    ...state.branches.map((b) => el('option', { value: b.code }, `${label(b.name)} (${b.code})`)),
  );
  select.value = state.unit;
}

function renderAccount() {
  const box = $('#account');
  if (state.claims) {
    const branch = state.claims['custom:branch'];
    box.replaceChildren(
      el(
        'span',
        { id: 'signed-in' },
        tr('signedInAs', { name: state.claims.name ?? state.claims['cognito:username'] ?? '' }),
        ' · ',
        branch ? tr('scopeBranch', { unit: unitName(branch) }) : tr('scopeCenter'),
      ),
      el('button', { type: 'button', id: 'sign-out', onclick: () => signOut() }, tr('signOut')),
    );
    return;
  }
  if (config.auth?.kind === 'local') {
    const picker = el(
      'select',
      { id: 'account-picker' },
      config.auth.accounts.map((username) => el('option', { value: username }, username)),
    );
    box.replaceChildren(
      el('label', {}, el('span', {}, tr('signInAs')), picker),
      el('button', { type: 'button', id: 'sign-in', onclick: () => signInLocal(picker.value) }, tr('signIn')),
    );
  } else if (config.auth?.kind === 'cognito') {
    box.replaceChildren(
      el('button', { type: 'button', id: 'sign-in', onclick: () => signInCognito() }, tr('signIn')),
    );
  } else {
    box.replaceChildren();
  }
}

function renderIndex() {
  const body = $('#index-body');
  const answer = state.data.index;
  if (!answer?.ok) return body.replaceChildren();
  const index = answer.body;
  body.replaceChildren(
    el(
      'p',
      { class: 'score', id: 'index-total' },
      el('strong', {}, formatPoints(state.lang, index.points)),
      ' / ',
      formatPoints(state.lang, index.measuredMaxPoints),
    ),
    el('p', { class: 'muted' }, tr('indexTotal', indexVars(index))),
    el(
      'p',
      { class: 'muted' },
      tr('indexRest', { rest: formatPoints(state.lang, index.maxPoints - index.measuredMaxPoints) }),
    ),
    el(
      'div',
      { class: 'groups' },
      index.groups.map((group) =>
        el(
          'article',
          { class: 'group', id: `group-${group.id}`, 'aria-labelledby': `group-${group.id}-name` },
          el('h3', { id: `group-${group.id}-name` }, label(group.name)),
          el(
            'p',
            { class: 'group-points' },
            group.points === undefined
              ? tr('groupNotScored', { max: formatPoints(state.lang, group.maxPoints) })
              : tr('groupPoints', {
                  points: formatPoints(state.lang, group.points),
                  measured: formatPoints(state.lang, group.measuredMaxPoints),
                  max: formatPoints(state.lang, group.maxPoints),
                }),
          ),
          el(
            'ul',
            { class: 'indicators' },
            group.indicators.map((indicator) =>
              el(
                'li',
                { 'data-indicator': indicator.id },
                el('span', { class: 'indicator-name' }, label(indicator.name)),
                ': ',
                indicator.measured
                  ? [
                      el(
                        'span',
                        { class: 'rate' },
                        indicator.rate === undefined ? tr('noData') : pct(indicator.rate),
                      ),
                      indicator.points !== undefined
                        ? ` · ${formatPoints(state.lang, indicator.points)} / ${formatPoints(state.lang, indicator.maxPoints)} ${tr('points').toLowerCase()}`
                        : '',
                    ]
                  : el('span', { class: 'not-measured' }, tr('notMeasured')),
                // The API writes its notes in English only.
                indicator.note ? el('p', { class: 'note', lang: 'en' }, indicator.note) : undefined,
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

function indexVars(index) {
  return {
    points: formatPoints(state.lang, index.points),
    measured: formatPoints(state.lang, index.measuredMaxPoints),
  };
}

function renderTrend() {
  const answer = state.data.daily;
  const box = $('#trend-table');
  if (!answer?.ok) {
    drawChart('trend-chart', () => ({ type: 'bar', data: { labels: [], datasets: [] } }));
    return box.replaceChildren();
  }
  const rows = trendRows(answer.body);
  const percent = (rate) => (rate === undefined ? null : Math.round(rate * 1000) / 10);
  drawChart('trend-chart', () => ({
    type: 'bar',
    data: {
      labels: rows.map((r) => formatDay(state.lang, r.day).slice(0, 5)),
      datasets: [
        {
          label: tr('received'),
          data: rows.map((r) => r.received),
          backgroundColor: '#9aa5b1',
          yAxisID: 'count',
        },
        {
          type: 'line',
          label: tr('onlineShare'),
          data: rows.map((r) => percent(r.onlineShare)),
          borderColor: '#1d4ed8',
          backgroundColor: '#1d4ed8',
          spanGaps: true,
          yAxisID: 'rate',
        },
        {
          type: 'line',
          label: tr('onTimeRate'),
          data: rows.map((r) => percent(r.onTimeRate)),
          borderColor: '#15803d',
          backgroundColor: '#15803d',
          borderDash: [6, 3],
          spanGaps: true,
          yAxisID: 'rate',
        },
      ],
    },
    options: chartOptions({
      scales: {
        count: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: tr('received') } },
        rate: {
          position: 'right',
          min: 0,
          max: 100,
          grid: { drawOnChartArea: false },
          ticks: { callback: (v) => `${v}%` },
        },
      },
    }),
  }));
  box.replaceChildren(
    ...chartTable(
      'trend',
      table({
        id: 'trend-numbers',
        caption: tr('trendChart'),
        columns: [
          { label: tr('day') },
          { label: tr('received'), numeric: true },
          { label: tr('online'), numeric: true },
          { label: tr('onlineShare'), numeric: true },
          { label: tr('finished'), numeric: true },
          { label: tr('onTimeRate'), numeric: true },
        ],
        rows: rows.map((r) => [
          formatDay(state.lang, r.day),
          num(r.received),
          num(r.online),
          pct(r.onlineShare),
          num(r.finished),
          pct(r.onTimeRate),
        ]),
      }),
    ),
  );
}

const shorten = (text, max) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function chartOptions(extra) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    locale: locale(state.lang),
    plugins: { legend: { position: 'bottom' } },
    ...extra,
  };
}

function renderBranches() {
  const answer = state.data.branches;
  const box = $('#branches-table');
  if (!answer?.ok) {
    drawChart('branches-chart', () => ({ type: 'bar', data: { labels: [], datasets: [] } }));
    return box.replaceChildren();
  }
  const branches = answer.body.branches;
  const name = (b) => label(b.name) || b.unit;
  document.querySelector('#branches-panel .chart').style.height =
    `${Math.max(12, branches.length * 1.9 + 4)}rem`;
  drawChart('branches-chart', () => ({
    type: 'bar',
    data: {
      labels: branches.map(name),
      datasets: [
        {
          label: tr('onTimeRate'),
          data: branches.map((b) =>
            b.onTimeRate === undefined ? null : Math.round(b.onTimeRate * 1000) / 10,
          ),
          backgroundColor: branches.map((b) => (b.unit === state.unit ? '#a4161a' : '#1d4ed8')),
        },
      ],
    },
    options: chartOptions({
      indexAxis: 'y',
      plugins: { legend: { display: false } },
      scales: {
        x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } },
        // The head office's long name would push the bars off; the table has every name in full.
        y: { ticks: { callback: (_v, i) => shorten(name(branches[i]), 32) } },
      },
    }),
  }));
  const noneFinished = branches.every((b) => b.onTimeRate === undefined);
  box.replaceChildren(
    noneFinished ? el('p', { class: 'muted', id: 'branches-none' }, tr('noneFinished')) : '',
    ...chartTable(
      'branches',
      table({
        id: 'branches-numbers',
        caption: tr('branchesChart'),
        columns: [
          { label: tr('branch') },
          { label: tr('received'), numeric: true },
          { label: tr('finished'), numeric: true },
          { label: tr('onTimeRate'), numeric: true },
        ],
        rows: branches.map((b) => [
          b.unit === state.unit ? `${name(b)} ${tr('selected')}` : name(b),
          num(b.counters.received),
          num(b.counters.finished),
          pct(b.onTimeRate),
        ]),
        rowClass: (r) => (branches[r].unit === state.unit ? 'selected' : undefined),
      }),
    ),
  );
}

function renderSatisfaction() {
  const body = $('#satisfaction-body');
  const answer = state.data.index;
  if (!answer?.ok) return body.replaceChildren();
  const figures = satisfactionFigures(answer.body.counters);
  const rate = answer.body.groups
    .find((g) => g.id === 'satisfaction')
    ?.indicators.find((i) => i.id === 'satisfaction.rate')?.rate;
  const item = (id, term, value) => [el('dt', {}, term), el('dd', { id }, value)];
  body.replaceChildren(
    el(
      'dl',
      { class: 'figures' },
      item('satisfaction-ratings', tr('ratings'), num(figures.ratings)),
      item(
        'satisfaction-average',
        tr('averageScore'),
        figures.averageScore === undefined ? '—' : formatPoints(state.lang, figures.averageScore),
      ),
      item('satisfaction-dissatisfied', tr('dissatisfied'), num(figures.dissatisfied)),
      item('satisfaction-dissatisfied-share', tr('dissatisfiedShare'), pct(figures.dissatisfiedShare)),
      item('satisfaction-rate', tr('satisfactionRate'), pct(rate)),
    ),
  );
}

function renderStaff() {
  const box = $('#staff-panels');
  if (!state.token || !isStaff(state.claims)) return box.replaceChildren();
  box.replaceChildren(radarPanel(), proceduresPanel());
}

function panel(id, heading, ...content) {
  return el(
    'section',
    { id, class: 'panel wide', 'aria-labelledby': `${id}-heading` },
    el('h2', { id: `${id}-heading` }, heading, ' ', el('span', { class: 'badge' }, tr('staffOnly'))),
    ...content,
  );
}

function refusal(answer, unit) {
  return el(
    'p',
    { class: 'refusal', role: 'alert', 'data-status': answer.status },
    refusalMessage(state.lang, answer.status, answer.body, { unit: unitName(unit) }),
  );
}

function radarPanel() {
  const answer = state.data.radar;
  if (!answer) return panel('radar-panel', tr('radarTitle'));
  if (answer.status === 404) {
    return panel('radar-panel', tr('radarTitle'), el('p', { class: 'unavailable' }, tr('radarUnavailable')));
  }
  if (!answer.ok) return panel('radar-panel', tr('radarTitle'), refusal(answer, state.unit));
  const radar = answer.body;
  const counts = (c) => [num(c.overdue), num(c.dueToday), num(c.dueTomorrow)];
  const bucketColumns = [
    { label: tr('overdue'), numeric: true },
    { label: tr('dueToday'), numeric: true },
    { label: tr('dueTomorrow'), numeric: true },
  ];
  const asOf = new Intl.DateTimeFormat(locale(state.lang), {
    hour: '2-digit',
    minute: '2-digit',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(new Date(radar.asOf));
  const urgent = radar.units.flatMap((u) => u.dossiers.map((d) => ({ ...d, unit: u.unit }))).slice(0, 20);
  // [value key, label key, tile style]
  const dueBuckets = ['overdue', 'dueToday', 'dueTomorrow'].map((bucket) => [bucket, bucket, bucket]);
  const clockBuckets = [
    ['onTime', 'inProgressOnTime', 'dueTomorrow'],
    ['late', 'inProgressLate', 'overdue'],
  ];
  const totals = (key, values, buckets = dueBuckets) =>
    el(
      'div',
      { class: 'tiles', id: `radar-${key}` },
      el('h3', {}, tr(key)),
      ...buckets.map(([bucket, labelKey, style]) =>
        el(
          'p',
          { class: `tile ${style}` },
          el('span', { class: 'tile-value', 'data-bucket': bucket }, num(values[bucket])),
          el('span', { class: 'tile-label' }, tr(labelKey)),
        ),
      ),
    );
  const clock = (u) => [num(u.inProgress?.onTime ?? 0), num(u.inProgress?.late ?? 0)];
  return panel(
    'radar-panel',
    tr('radarTitle'),
    el(
      'p',
      { class: 'muted' },
      tr('radarAsOf', {
        time: asOf,
        today: formatDay(state.lang, radar.today),
        tomorrow: formatDay(state.lang, radar.tomorrow),
      }),
    ),
    el(
      'div',
      { class: 'radar-totals' },
      totals('dossiers', radar.totals.dossiers),
      totals('steps', radar.totals.steps),
      radar.totals.inProgress ? totals('inProgress', radar.totals.inProgress, clockBuckets) : undefined,
    ),
    radar.units.length + radar.agencies.length === 0 ? el('p', {}, tr('nothingDue')) : undefined,
    radar.units.length
      ? table({
          id: 'radar-units',
          caption: tr('byUnit'),
          columns: [
            { label: tr('unit') },
            ...bucketColumns,
            { label: `${tr('inProgress')}: ${tr('inProgressOnTime')}`, numeric: true },
            { label: `${tr('inProgress')}: ${tr('inProgressLate')}`, numeric: true },
          ],
          rows: radar.units.map((u) => [
            `${label(u.name) || unitName(u.unit)}${u.complete ? '' : ` ${tr('incomplete')}`}`,
            ...counts(u.counts),
            ...clock(u),
          ]),
        })
      : undefined,
    radar.agencies.length
      ? table({
          id: 'radar-agencies',
          caption: tr('byAgency'),
          columns: [{ label: tr('agency') }, ...bucketColumns],
          rows: radar.agencies.map((a) => [label(a.name) || a.agency, ...counts(a.counts)]),
        })
      : undefined,
    urgent.length
      ? table({
          id: 'radar-dossiers',
          caption: tr('dossiers'),
          columns: [
            { label: tr('dossiers') },
            { label: tr('procedure') },
            { label: tr('appointmentDay') },
            { label: tr('bucket') },
          ],
          rows: urgent.map((d) => [
            d.code,
            label(d.procedure.name),
            formatDay(state.lang, d.appointmentDay),
            tr(d.bucket),
          ]),
        })
      : undefined,
  );
}

function proceduresPanel() {
  const heading = tr('proceduresTitle', { unit: unitName(state.unit) });
  if (!state.unit) return panel('procedures-panel', heading, el('p', {}, tr('proceduresPickBranch')));
  const answer = state.data.procedures;
  if (!answer) return panel('procedures-panel', heading);
  if (!answer.ok) return panel('procedures-panel', heading, refusal(answer, state.unit));
  const rows = answer.body.procedures;
  if (!rows.length) return panel('procedures-panel', heading, el('p', {}, tr('noProcedures')));
  const procedureName = (code) => {
    const name = state.procedureNames?.get(code);
    return name ? `${label(name)} (${code})` : code;
  };
  return panel(
    'procedures-panel',
    heading,
    table({
      id: 'procedures-numbers',
      // The panel's heading says it already; the caption names the table for screen readers.
      caption: heading,
      captionHidden: true,
      columns: [
        { label: tr('procedure') },
        { label: tr('channel') },
        { label: tr('received'), numeric: true },
        { label: tr('finished'), numeric: true },
        { label: tr('onTimeRate'), numeric: true },
        { label: tr('supplementRequests'), numeric: true },
        { label: tr('paidOnline'), numeric: true },
      ],
      rows: rows.map((p) => [
        procedureName(p.procedureCode),
        p.channel === 'online' ? tr('channelOnline') : tr('channelCounter'),
        num(p.counters.received),
        num(p.counters.finished),
        pct(p.onTimeRate),
        num(p.counters.supplementRequests),
        num(p.counters.paidOnline),
      ]),
    }),
  );
}

// ---- sign-in ----

function adoptToken(token) {
  const claims = claimsOf(token);
  if (!claims || expired(claims, Date.now())) return false;
  state.token = token;
  state.claims = claims;
  session.set(TOKEN_KEY, token);
  return true;
}

async function signInLocal(username) {
  const response = await fetch(config.auth.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username }),
  }).catch(() => undefined);
  const body = await response?.json().catch(() => undefined);
  if (!response?.ok || !body?.id_token || !adoptToken(body.id_token)) {
    const code = body?.error?.code ?? response?.status ?? 0;
    state.notice = (lang) => t(lang, 'signInFailed', { code });
    return renderStatus();
  }
  await load();
}

async function signInCognito() {
  const verifier = createVerifier();
  const stateValue = createVerifier();
  session.set(PKCE_KEY, JSON.stringify({ verifier, state: stateValue, returnTo: location.search }));
  location.assign(
    authorizeUrl(config.auth, {
      state: stateValue,
      challenge: await challengeOf(verifier),
      lang: state.lang,
    }),
  );
}

/** Back from Cognito with `?code=&state=`: trade the code for tokens, then restore the page's own query. */
async function completeCognitoSignIn() {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (config.auth?.kind !== 'cognito' || !code) return;
  const pending = JSON.parse(session.get(PKCE_KEY) ?? 'null');
  session.remove(PKCE_KEY);
  if (pending && pending.state === params.get('state')) {
    const request = tokenRequest(config.auth, { code, verifier: pending.verifier });
    const response = await fetch(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: request.body,
    }).catch(() => undefined);
    const body = await response?.json().catch(() => undefined);
    if (!response?.ok || !body?.id_token || !adoptToken(body.id_token)) {
      const failure = body?.error ?? response?.status ?? 0;
      state.notice = (lang) => t(lang, 'signInFailed', { code: failure });
    }
  }
  history.replaceState(null, '', `${location.pathname}${pending?.returnTo ?? ''}`);
  Object.assign(state, stateFromSearch(location.search, new Date()));
}

function signOut({ quietly = false } = {}) {
  state.token = undefined;
  state.claims = undefined;
  session.remove(TOKEN_KEY);
  if (config.auth?.kind === 'cognito' && !quietly) return location.assign(logoutUrl(config.auth));
  if (!quietly) render();
}

// ---- start ----

function syncUrl() {
  const params = new URLSearchParams({ lang: state.lang, ...(state.unit ? { unit: state.unit } : {}) });
  params.set('from', state.from);
  params.set('to', state.to);
  history.replaceState(null, '', `${location.pathname}?${params}`);
}

async function start() {
  safeStorage(localStorage).set(LANG_KEY, state.lang);
  await completeCognitoSignIn();
  const stored = session.get(TOKEN_KEY);
  if (stored && !adoptToken(stored)) session.remove(TOKEN_KEY);
  $('#from').value = state.from;
  $('#to').value = state.to;
  $('#filters').addEventListener('submit', (event) => {
    event.preventDefault();
    state.from = $('#from').value || state.from;
    state.to = $('#to').value || state.to;
    state.unit = $('#unit').value;
    syncUrl();
    load();
  });
  $('#lang-switch').addEventListener('click', () => {
    state.lang = state.lang === 'vi' ? 'en' : 'vi';
    safeStorage(localStorage).set(LANG_KEY, state.lang);
    syncUrl();
    render();
  });
  render();
  state.branches = await allPages('/v1/branches');
  await load();
}

start();
