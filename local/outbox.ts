// The applicant's mailbox and phone on the embedded stack: an HTTP server speaking the two protocols the notifier uses,
// SES v2 `SendEmail` (REST JSON, `POST /v2/email/outbound-emails`) and SNS `Publish` to a phone number (query protocol,
// form-encoded, XML answer). Each message is kept in memory and in `<dataDir>/outbox.jsonl`; `GET /outbox` shows
// what would have been sent (recipients masked), `/outbox.json` the same as data. Signatures are not checked (as
// s3rver does not): this is where messages land, not a test of credentials.
//
// A switch makes a recipient's messages fail (500, as a provider outage answers), to see retries and dead letters:
// `outbox.failFor(address)` in process, or `PUT` / `DELETE /outbox/failures/<address>`.
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Channel } from '../shared/notifications/messages';
import { e164, maskRecipient } from '../shared/notifications/recipients';
import { type MessageTags, tagsFrom } from '../shared/notifications/tags';
import { html, type Markup } from '../shared/pages/html';
import { readJournal } from './journal';

export interface OutboxMessage extends Partial<MessageTags> {
  /** 1, 2, …: the message's place in the outbox. */
  seq: number;
  /** The MessageId the provider answered. */
  id: string;
  at: string;
  channel: Channel;
  /** As sent (an address, or an E.164 number); shown masked everywhere but in the journal. */
  to: string;
  /** The From address (email) or the sender id (SMS). */
  from?: string;
  subject?: string;
  text: string;
}

/** A request the failure switch answered 500: what the retries look like from the provider's side. */
export interface RefusedAttempt {
  at: string;
  channel: Channel;
  to: string;
  eventId?: string;
}

export interface OutboxOptions {
  /** 0 (the default) takes a free port. */
  port?: number;
  /** Keeps `outbox.jsonl` here and reloads it on start; without it the outbox lives in memory only. */
  dataDir?: string;
  clock?: () => Date;
  /** Seconds between the page's reloads (default 5). */
  refreshSeconds?: number;
}

export interface Outbox {
  url: string;
  messages(): OutboxMessage[];
  refused(): RefusedAttempt[];
  /** Every message to this address or phone number fails (500) until `recover`. */
  failFor(recipient: string): void;
  recover(recipient: string): void;
  stop(): Promise<void>;
}

// `line`, not `kind`: a message's `kind` is its template's.
type JournalLine = ({ line: 'message' } & OutboxMessage) | ({ line: 'refused' } & RefusedAttempt);

const JOURNAL = 'outbox.jsonl';
const MAX_BODY_BYTES = 512 * 1024;
const recipientKey = (value: string) => e164(value.trim().toLowerCase());

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const masked = (message: OutboxMessage): OutboxMessage => ({
  ...message,
  to: maskRecipient(message.channel, message.to),
});

const HANOI_OFFSET_MS = 7 * 3_600_000;
const hanoiTime = (iso: string) =>
  new Date(Date.parse(iso) + HANOI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');

const channelLabel: Record<Channel, Markup> = {
  email: html`Thư điện tử<br><span lang="en">Email</span>`,
  sms: html`Tin nhắn<br><span lang="en">SMS</span>`,
};

function row(message: OutboxMessage): Markup {
  const shown = masked(message);
  const dash = html`<span class="none">—</span>`;
  return html`<tr data-seq="${message.seq}" data-channel="${message.channel}" data-kind="${message.kind ?? ''}">
<td><time datetime="${message.at}">${hanoiTime(message.at)}</time></td>
<td>${channelLabel[message.channel]}</td>
<td class="lang">${message.language ?? dash}</td>
<td class="to">${shown.to}</td>
<td>${message.subject ? html`<strong class="subject">${message.subject}</strong>` : ''}<pre class="text">${message.text}</pre></td>
<td>${message.event ?? dash}<br><small class="kind">${message.kind ?? ''}</small></td>
<td class="code">${message.dossierCode ?? dash}</td>
</tr>`;
}

function page(messages: readonly OutboxMessage[], refused: number, refreshSeconds: number): string {
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="${refreshSeconds}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hộp thư đi · Outbox</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1d2733; }
h1 small, th span, td span[lang=en], small { color: #5b6876; font-weight: normal; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #cfd6de; padding: .35rem .6rem; text-align: left; vertical-align: top; }
th { background: #eef2f6; }
pre { white-space: pre-wrap; margin: .3rem 0 0; font-family: inherit; }
td.code, td.to { font-family: ui-monospace, monospace; white-space: nowrap; }
time { white-space: nowrap; }
.none { color: #9aa5b1; }
</style>
</head>
<body>
<h1>Hộp thư đi <small>· Outbox</small></h1>
<p>Thư điện tử (SES) và tin nhắn (SNS) lẽ ra đã gửi cho người nộp hồ sơ trên môi trường cục bộ; người nhận được che bớt; giờ Hà Nội (UTC+7); tự làm mới sau ${refreshSeconds} giây.<br>
<span lang="en">Emails (SES) and SMS (SNS) that would have been sent to applicants on the embedded stack; recipients masked; Hanoi time (UTC+7); reloads every ${refreshSeconds} s.</span>${
    refused > 0
      ? html`<br><small id="refused">${refused} lần gửi bị từ chối (giả lập lỗi) · refused attempts (simulated failure)</small>`
      : ''
  }</p>
${
  messages.length > 0
    ? html`<table>
<thead><tr>
<th>Lúc<br><span lang="en">When</span></th>
<th>Kênh<br><span lang="en">Channel</span></th>
<th>Ngôn ngữ<br><span lang="en">Language</span></th>
<th>Người nhận<br><span lang="en">To</span></th>
<th>Nội dung<br><span lang="en">Subject and text</span></th>
<th>Sự kiện<br><span lang="en">Event</span></th>
<th>Mã hồ sơ<br><span lang="en">Dossier</span></th>
</tr></thead>
<tbody>
${messages.toReversed().map(row)}
</tbody>
</table>`
    : html`<p class="none">Chưa có tin nào · <span lang="en">Nothing sent yet</span></p>`
}
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

function send(
  response: ServerResponse,
  status: number,
  body?: string,
  type?: string,
  extra: Record<string, string> = {},
) {
  const headers: Record<string, string> = { ...PAGE_HEADERS, 'x-amzn-requestid': randomUUID(), ...extra };
  if (body !== undefined) headers['content-type'] = type ?? 'text/plain; charset=utf-8';
  response.writeHead(status, headers).end(body);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new HttpFailure(413, `a request body is at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const xmlEscape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

// SES v2 (REST JSON): the error's code travels in x-amzn-ErrorType, the message in the body.
const sesError = (response: ServerResponse, status: number, code: string, message: string) =>
  send(response, status, JSON.stringify({ message }), 'application/json', { 'x-amzn-errortype': code });

// SNS (query): an ErrorResponse document.
const snsError = (response: ServerResponse, status: number, code: string, message: string) =>
  send(
    response,
    status,
    `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${status < 500 ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    'text/xml',
  );

interface SendEmailBody {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[] };
  Content?: { Simple?: { Subject?: { Data?: string }; Body?: { Text?: { Data?: string } } } };
  EmailTags?: { Name?: string; Value?: string }[];
}

export async function startOutbox(options: OutboxOptions = {}): Promise<Outbox> {
  const clock = options.clock ?? (() => new Date());
  const refreshSeconds = options.refreshSeconds ?? 5;
  const messages: OutboxMessage[] = [];
  const refused: RefusedAttempt[] = [];
  const failing = new Set<string>();
  const journal = options.dataDir ? join(options.dataDir, JOURNAL) : undefined;
  if (journal) {
    await mkdir(options.dataDir!, { recursive: true });
    for (const line of await readJournal<JournalLine>(journal)) {
      const { line: type, ...record } = line;
      if (type === 'message') messages.push(record as OutboxMessage);
      else refused.push(record as RefusedAttempt);
    }
  }
  let nextSeq = messages.reduce((max, m) => Math.max(max, m.seq), 0) + 1;
  let writes: Promise<void> = Promise.resolve();
  const append = (line: JournalLine): Promise<void> => {
    if (!journal) return Promise.resolve();
    const write = writes.then(() => appendFile(journal, `${JSON.stringify(line)}\n`));
    writes = write.catch(() => undefined);
    return write;
  };

  /** Keeps the message (answered only once its line is written), or refuses it when the switch says so. */
  async function accept(message: Omit<OutboxMessage, 'seq' | 'id' | 'at'>): Promise<string | undefined> {
    const at = clock().toISOString();
    if (failing.has(recipientKey(message.to))) {
      const attempt: RefusedAttempt = {
        at,
        channel: message.channel,
        to: message.to,
        ...(message.eventId ? { eventId: message.eventId } : {}),
      };
      refused.push(attempt);
      await append({ line: 'refused', ...attempt });
      return undefined;
    }
    const record: OutboxMessage = { seq: nextSeq++, id: randomUUID(), at, ...message };
    messages.push(record);
    await append({ line: 'message', ...record });
    return record.id;
  }

  async function sendEmail(request: IncomingMessage, response: ServerResponse) {
    let body: SendEmailBody;
    try {
      body = JSON.parse(await readBody(request)) as SendEmailBody;
    } catch {
      return sesError(response, 400, 'BadRequestException', 'the body is not JSON');
    }
    const to = body.Destination?.ToAddresses ?? [];
    const simple = body.Content?.Simple;
    const text = simple?.Body?.Text?.Data;
    if (!body.FromEmailAddress)
      return sesError(response, 400, 'BadRequestException', 'FromEmailAddress is required');
    if (to.length !== 1)
      return sesError(response, 400, 'BadRequestException', 'one ToAddresses entry, please');
    if (!simple?.Subject?.Data || text === undefined)
      return sesError(
        response,
        400,
        'BadRequestException',
        'a Simple content with a Subject and a Text body',
      );
    const id = await accept({
      channel: 'email',
      to: to[0]!,
      from: body.FromEmailAddress,
      subject: simple.Subject.Data,
      text,
      ...tagsFrom(body.EmailTags ?? []),
    });
    if (!id)
      return sesError(response, 500, 'InternalFailure', 'the outbox refuses this recipient (failure switch)');
    send(response, 200, JSON.stringify({ MessageId: id }), 'application/json');
  }

  async function publish(form: URLSearchParams, response: ServerResponse) {
    const phone = form.get('PhoneNumber');
    const message = form.get('Message');
    if (!phone || !/^\+[1-9][0-9]{6,14}$/.test(phone))
      return snsError(
        response,
        400,
        'InvalidParameter',
        'PhoneNumber must be an E.164 number (only SMS is served)',
      );
    if (!message) return snsError(response, 400, 'InvalidParameter', 'Message is required');
    // MessageAttributes.entry.N.Name / .Value.StringValue
    const attributes: { Name: string; Value: string }[] = [];
    for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
      attributes.push({
        Name: form.get(`MessageAttributes.entry.${n}.Name`)!,
        Value: form.get(`MessageAttributes.entry.${n}.Value.StringValue`) ?? '',
      });
    }
    const senderId = attributes.find((a) => a.Name === 'AWS.SNS.SMS.SenderID')?.Value;
    const id = await accept({
      channel: 'sms',
      to: phone,
      ...(senderId ? { from: senderId } : {}),
      text: message,
      ...tagsFrom(attributes),
    });
    if (!id)
      return snsError(response, 500, 'InternalError', 'the outbox refuses this recipient (failure switch)');
    send(
      response,
      200,
      `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${id}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      'text/xml',
    );
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { pathname } = new URL(request.url ?? '/', 'http://outbox.invalid');
    const method = request.method ?? 'GET';
    const failure = /^\/outbox\/failures\/([^/]+)$/.exec(pathname);
    if (pathname === '/v2/email/outbound-emails' && method === 'POST') return sendEmail(request, response);
    if (pathname === '/' && method === 'POST') {
      const form = new URLSearchParams(await readBody(request));
      if (form.get('Action') !== 'Publish')
        return snsError(response, 400, 'InvalidAction', `only Publish is served, not ${form.get('Action')}`);
      return publish(form, response);
    }
    if (failure && (method === 'PUT' || method === 'DELETE')) {
      const recipient = decodeURIComponent(failure[1]!);
      if (method === 'PUT') failing.add(recipientKey(recipient));
      else failing.delete(recipientKey(recipient));
      return send(response, 204);
    }
    if (method !== 'GET' && method !== 'HEAD') return send(response, 405, 'method not allowed\n');
    if (pathname === '/') return void response.writeHead(302, { location: '/outbox' }).end();
    if (pathname === '/outbox')
      return send(response, 200, page(messages, refused.length, refreshSeconds), 'text/html; charset=utf-8');
    if (pathname === '/outbox.json') {
      const body = { messages: messages.map(masked), refused: refused.length };
      return send(response, 200, `${JSON.stringify(body, null, 2)}\n`, 'application/json; charset=utf-8');
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
    messages: () => structuredClone(messages),
    refused: () => structuredClone(refused),
    failFor: (recipient) => void failing.add(recipientKey(recipient)),
    recover: (recipient) => void failing.delete(recipientKey(recipient)),
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await writes;
    },
  };
}
