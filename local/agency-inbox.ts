// The partner agencies' receiving side on the embedded stack: `POST /hooks/<agency>` checks a Standard Webhooks
// signature with that agency's secret(s), keeps each message once (by webhook-id) in memory and in
// `<dataDir>/agency-inbox.jsonl`, and `GET /inbox` shows what each agency was told (`/inbox.json` the same as data).

import { appendFile, mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { escapeHtml, html, type Markup } from '../shared/pages/html';
import type { AgencyEndpoints } from '../shared/ports/agency-endpoints';
import {
  type VerificationFailure,
  verify,
  WEBHOOK_ID,
  WEBHOOK_TIMESTAMP,
  WebhookVerificationError,
} from '../shared/webhooks/standard-webhooks';
import { AGENCY_ID } from './agency-endpoints';
import { readJournal } from './journal';

export interface InboxDelivery {
  /** 1, 2, …: the delivery's address on this inbox (`/inbox/deliveries/<seq>.json`). */
  seq: number;
  agency: string;
  /** `webhook-id`, when the request carried a usable one. */
  id?: string;
  receivedAt: string;
  /** `webhook-timestamp` (unix seconds), when readable. */
  timestamp?: number;
  verified: boolean;
  /** Why the delivery was refused (absent when verified). */
  reason?: VerificationFailure | 'unknown-agency';
  /** Deliveries of the same verified id after this one: answered 204, not recorded again. */
  redeliveries: number;
  /** The body parsed as JSON, or its text when it is not JSON. */
  body: unknown;
}

export interface AgencyInboxOptions {
  /** 0 (the default) takes a free port. */
  port?: number;
  /** Keeps `agency-inbox.jsonl` here and reloads it on start; without it the inbox lives in memory only. */
  dataDir?: string;
  endpoints: AgencyEndpoints;
  clock?: () => Date;
  /** Seconds between the page's reloads (default 5). */
  refreshSeconds?: number;
}

export interface AgencyInbox {
  url: string;
  /** Where an agency's webhooks are to be sent. */
  hookUrl(agency: string): string;
  deliveries(): InboxDelivery[];
  stop(): Promise<void>;
}

type JournalLine =
  | ({ kind: 'delivery' } & InboxDelivery)
  | { kind: 'redelivery'; agency: string; id: string; at: string };

const MAX_BODY_BYTES = 256 * 1024;
const JOURNAL = 'agency-inbox.jsonl';
const dedupKey = (agency: string, id: string) => `${agency}\n${id}`;

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

// ---- HTML: every interpolated value is escaped unless it is already markup built here (shared/pages/html.ts).
export { escapeHtml };

const HANOI_OFFSET_MS = 7 * 3_600_000;
/** `YYYY-MM-DD HH:mm:ss` in Hanoi (UTC+7, no daylight saving), or the text as given when it is not a time. */
function hanoiTime(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) return String(value);
  return new Date(ms + HANOI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

const field = (value: unknown, key: string): unknown =>
  value !== null && typeof value === 'object' && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
const text = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

function row(delivery: InboxDelivery): Markup {
  // The spec allows the event data under `data` or squashed into the top level.
  const data = field(delivery.body, 'data') ?? delivery.body;
  const task = field(data, 'task');
  const dash = html`<span class="none">—</span>`;
  const cell = (value: string | undefined) => (value === undefined ? dash : value);
  // A task is `{ vi, en }` or plain text.
  const taskVi = text(task) ?? text(field(task, 'vi'));
  const taskEn = text(field(task, 'en'));
  return html`<tr data-seq="${delivery.seq}" data-verified="${delivery.verified}">
<td><time datetime="${delivery.receivedAt}">${hanoiTime(delivery.receivedAt)}</time>${
    delivery.redeliveries > 0
      ? html` <small>(+${delivery.redeliveries} lần gửi lại · redeliveries)</small>`
      : ''
  }</td>
<td class="code">${cell(text(field(data, 'dossierCode')))}</td>
<td>${cell(text(field(data, 'stepId')))}</td>
<td>${taskVi === undefined && taskEn === undefined ? dash : html`${taskVi}${taskVi && taskEn ? html`<br>` : ''}<span lang="en">${taskEn}</span>`}</td>
<td>${cell(hanoiTime(field(data, 'dueAt')))}</td>
${
  delivery.verified
    ? html`<td class="ok" title="Đã xác thực · Verified">✓</td>`
    : html`<td class="bad" title="Không xác thực · Not verified">✗ <small>${delivery.reason}</small></td>`
}
<td><a href="/inbox/deliveries/${delivery.seq}.json">JSON</a></td>
</tr>`;
}

function page(records: readonly InboxDelivery[], refreshSeconds: number): string {
  const byAgency = new Map<string, InboxDelivery[]>();
  for (const record of records) byAgency.set(record.agency, [...(byAgency.get(record.agency) ?? []), record]);
  const sections = [...byAgency.keys()].sort().map((agency) => {
    const rows = byAgency.get(agency)!.toReversed();
    return html`<section data-agency="${agency}">
<h2>Cơ quan <span lang="en">· Agency</span> <code>${agency}</code> <small>(${rows.length})</small></h2>
<table>
<thead><tr>
<th>Nhận lúc<br><span lang="en">Received at</span></th>
<th>Mã hồ sơ<br><span lang="en">Dossier code</span></th>
<th>Bước<br><span lang="en">Step</span></th>
<th>Nhiệm vụ<br><span lang="en">Task</span></th>
<th>Hạn xử lý<br><span lang="en">Due</span></th>
<th>Chữ ký<br><span lang="en">Signature</span></th>
<th>Dữ liệu<br><span lang="en">Data</span></th>
</tr></thead>
<tbody>
${rows.map(row)}
</tbody>
</table>
</section>`;
  });
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="${refreshSeconds}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hộp thư cơ quan · Agency inbox</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1d2733; }
h1 small, h2 small, th span, td span[lang=en] { color: #5b6876; font-weight: normal; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2rem; }
th, td { border: 1px solid #cfd6de; padding: .35rem .6rem; text-align: left; vertical-align: top; }
th { background: #eef2f6; }
td.ok { color: #11733b; font-weight: bold; }
td.bad { color: #b3261e; font-weight: bold; }
td.code { font-family: ui-monospace, monospace; }
td.code, time { white-space: nowrap; }
.none { color: #9aa5b1; }
</style>
</head>
<body>
<h1>Hộp thư cơ quan <small>· Agency inbox</small></h1>
<p>Webhook các cơ quan nhận được trên môi trường cục bộ; giờ Hà Nội (UTC+7); tự làm mới sau ${refreshSeconds} giây.<br>
<span lang="en">Webhooks the agencies received on the embedded stack; Hanoi time (UTC+7); reloads every ${refreshSeconds} s.</span></p>
${sections.length > 0 ? sections : html`<p class="none">Chưa có webhook nào · <span lang="en">No webhook received yet</span></p>`}
</body>
</html>
`.text;
}

// ---- HTTP
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function send(response: ServerResponse, status: number, body?: string, type?: string): void {
  const headers: Record<string, string> = { ...PAGE_HEADERS };
  if (body !== undefined) headers['content-type'] = type ?? 'text/plain; charset=utf-8';
  response.writeHead(status, headers).end(body);
}

const sendJson = (response: ServerResponse, status: number, value: unknown) =>
  send(response, status, `${JSON.stringify(value, null, 2)}\n`, 'application/json; charset=utf-8');

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new HttpFailure(413, `a webhook body is at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseBody(raw: Buffer): unknown {
  const body = raw.toString('utf8');
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

export async function startAgencyInbox(options: AgencyInboxOptions): Promise<AgencyInbox> {
  const clock = options.clock ?? (() => new Date());
  const refreshSeconds = options.refreshSeconds ?? 5;
  const records: InboxDelivery[] = [];
  const verifiedById = new Map<string, InboxDelivery>();
  const journal = options.dataDir ? join(options.dataDir, JOURNAL) : undefined;

  const remember = (record: InboxDelivery) => {
    records.push(record);
    if (record.verified && record.id) verifiedById.set(dedupKey(record.agency, record.id), record);
  };
  if (journal) {
    await mkdir(options.dataDir!, { recursive: true });
    for (const line of await readJournal<JournalLine>(journal)) {
      if (line.kind === 'delivery') {
        const { kind: _kind, ...record } = line;
        remember({ ...record, redeliveries: 0 });
      } else {
        const original = verifiedById.get(dedupKey(line.agency, line.id));
        if (original) original.redeliveries += 1;
      }
    }
  }
  let nextSeq = records.reduce((max, record) => Math.max(max, record.seq), 0) + 1;

  // Appends one at a time, in arrival order; a delivery is answered only once its line is written.
  let writes: Promise<void> = Promise.resolve();
  const append = (line: JournalLine): Promise<void> => {
    if (!journal) return Promise.resolve();
    const write = writes.then(() => appendFile(journal, `${JSON.stringify(line)}\n`));
    writes = write.catch(() => undefined);
    return write;
  };

  async function receive(agency: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const endpoint = AGENCY_ID.test(agency) ? await options.endpoints.endpointOf(agency) : undefined;
    const now = clock();
    const idHeader = request.headers[WEBHOOK_ID];
    const timestampHeader = request.headers[WEBHOOK_TIMESTAMP];
    const record: InboxDelivery = {
      seq: 0,
      agency,
      receivedAt: now.toISOString(),
      verified: false,
      redeliveries: 0,
      body: parseBody(raw),
    };
    if (typeof idHeader === 'string' && idHeader) record.id = idHeader;
    if (typeof timestampHeader === 'string' && /^[0-9]{1,12}$/.test(timestampHeader))
      record.timestamp = Number(timestampHeader);
    let status: number;
    if (!endpoint) {
      record.reason = 'unknown-agency';
      status = 404;
    } else {
      try {
        const verified = verify(request.headers, raw, endpoint.secrets, now);
        // Only a verified id de-duplicates: a forged request must not be able to claim an id before the real one.
        const original = verifiedById.get(dedupKey(agency, verified.id));
        if (original) {
          original.redeliveries += 1;
          await append({ kind: 'redelivery', agency, id: verified.id, at: record.receivedAt });
          send(response, 204);
          return;
        }
        record.verified = true;
        status = 204;
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        record.reason = error.reason;
        status = 401;
      }
    }
    record.seq = nextSeq++;
    remember(record);
    await append({ kind: 'delivery', ...record });
    if (status === 204) send(response, 204);
    else sendJson(response, status, { error: { code: record.reason, message: 'delivery refused' } });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { pathname } = new URL(request.url ?? '/', 'http://inbox.invalid');
    const method = request.method ?? 'GET';
    const hook = /^\/hooks\/([^/]+)$/.exec(pathname);
    const delivery = /^\/inbox\/deliveries\/([0-9]{1,9})(?:\.json)?$/.exec(pathname);
    const allow = (allowed: string) => {
      if (method === allowed || (allowed === 'GET' && method === 'HEAD')) return true;
      response.setHeader('allow', allowed === 'GET' ? 'GET, HEAD' : allowed);
      send(response, 405, 'method not allowed\n');
      return false;
    };
    if (hook) {
      if (!allow('POST')) return;
      let agency: string;
      try {
        agency = decodeURIComponent(hook[1]!);
      } catch {
        throw new HttpFailure(400, 'malformed agency in the path');
      }
      return receive(agency, request, response);
    }
    if (pathname === '/') {
      if (allow('GET')) response.writeHead(302, { location: '/inbox' }).end();
      return;
    }
    if (pathname === '/inbox') {
      if (allow('GET')) send(response, 200, page(records, refreshSeconds), 'text/html; charset=utf-8');
      return;
    }
    if (pathname === '/inbox.json') {
      if (allow('GET')) sendJson(response, 200, { deliveries: records });
      return;
    }
    if (delivery) {
      if (!allow('GET')) return;
      const found = records.find((record) => record.seq === Number(delivery[1]));
      if (found) sendJson(response, 200, found);
      else send(response, 404, 'no such delivery\n');
      return;
    }
    send(response, 404, 'not found\n');
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) return void response.destroy();
      if (error instanceof HttpFailure) send(response, error.status, `${error.message}\n`);
      else send(response, 500, 'internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hookUrl: (agency) => `${url}/hooks/${encodeURIComponent(agency)}`,
    deliveries: () => structuredClone(records),
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await writes;
    },
  };
}
