// The public tracking page the receipt's QR code opens: where the dossier stands and what the applicant must do next,
// in Vietnamese (default) or English, with nothing personal on it. No script, no external resource: one style element,
// allowed by its hash.
import { createHash } from 'node:crypto';
import type { DossierStatus } from '../domain/dossier';
import type { TrackingPageView } from '../usecases/dossiers/read-dossiers';
import { html, Markup } from './html';

export type Lang = 'vi' | 'en';
type Text = Record<Lang, string>;

/** `?lang=en` gives English; anything else, or nothing, Vietnamese. */
export const langOf = (value: string | undefined): Lang => (value === 'en' ? 'en' : 'vi');

const CSS = `*{box-sizing:border-box}
body{margin:0;background:#f4f6f8;color:#1b1f24;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header{background:#a4161a;color:#fff;padding:.75rem 1rem;display:flex;justify-content:space-between;align-items:center;gap:1rem}
header p{margin:0;font-weight:600;font-size:.95rem}
header a{color:#fff;font-weight:600;white-space:nowrap;padding:.3rem .6rem;border:1px solid #fff9;border-radius:4px;text-decoration:none}
main{max-width:40rem;margin:0 auto;padding:1rem}
section{background:#fff;border-radius:8px;padding:1rem 1.25rem;margin:0 0 1rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.35rem;margin:.25rem 0 1rem}
h2{font-size:1.05rem;margin:0 0 .5rem}
.status{font-size:1.2rem;font-weight:700;margin:0 0 .25rem}
.muted{color:#555;margin:0}
.due{margin:0 0 .5rem}.due time{font-weight:700;white-space:nowrap}
.todo{border-left:6px solid #d97706}.none{border-left:6px solid #15803d}.bad{border-left:6px solid #b91c1c}
dl{margin:0;display:grid;grid-template-columns:minmax(7rem,auto) 1fr;gap:.5rem 1rem}
dt{color:#555}dd{margin:0;font-weight:600;overflow-wrap:anywhere}
ul{margin:.5rem 0;padding-left:1.25rem}
p{margin:.5rem 0}
footer{color:#666;font-size:.85rem;text-align:center;padding:0 1rem 1.5rem}
@media (max-width:30rem){dl{grid-template-columns:1fr;gap:.1rem}dd{margin-bottom:.5rem}h1{font-size:1.2rem}}`;
const STYLE_HASH = `'sha256-${createHash('sha256').update(CSS, 'utf8').digest('base64')}'`;

/** The headers every tracking page carries: only its own style element runs; nothing is framed, posted or fetched. */
export const trackingPageHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': `default-src 'none'; style-src ${STYLE_HASH}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

const words = {
  center: {
    vi: 'Trung tâm Phục vụ hành chính công Hà Nội',
    en: 'Hanoi Public Administrative Service Center',
  },
  title: { vi: 'Tra cứu hồ sơ', en: 'Dossier tracking' },
  switchTo: { vi: 'English', en: 'Tiếng Việt' },
  code: { vi: 'Mã hồ sơ', en: 'Dossier code' },
  procedure: { vi: 'Thủ tục', en: 'Procedure' },
  unit: { vi: 'Đơn vị tiếp nhận', en: 'Receiving unit' },
  submitted: { vi: 'Ngày nộp', en: 'Submitted' },
  received: { vi: 'Ngày tiếp nhận', en: 'Received' },
  appointment: { vi: 'Ngày hẹn trả kết quả', en: 'Appointment day' },
  now: { vi: 'Đang thực hiện', en: 'What is happening' },
  next: { vi: 'Việc bạn cần làm', en: 'What you need to do' },
  paused: {
    vi: 'Thời hạn giải quyết đang tạm dừng cho đến khi hồ sơ được bổ sung.',
    en: 'The processing time is paused until the dossier is supplemented.',
  },
  footer: {
    vi: 'Trang này không hiển thị thông tin cá nhân. Giữ kín mã tra cứu trên Giấy tiếp nhận.',
    en: 'This page shows nothing personal. Keep the lookup key on your receipt private.',
  },
} satisfies Record<string, Text>;

const vnd = (amount: number) => `${amount.toLocaleString('vi-VN')} ₫`;

/** An appointment day (`YYYY-MM-DD`, a civil day) as people write it. */
export function formatDay(day: string, lang: Lang): string {
  const format =
    lang === 'vi'
      ? new Intl.DateTimeFormat('vi-VN', {
          weekday: 'long',
          day: '2-digit',
          month: '2-digit',
          year: 'numeric',
          timeZone: 'UTC',
        })
      : new Intl.DateTimeFormat('en-GB', {
          weekday: 'long',
          day: 'numeric',
          month: 'long',
          year: 'numeric',
          timeZone: 'UTC',
        });
  return format.format(new Date(`${day}T00:00:00Z`));
}

/** An instant in Hanoi time. */
function formatInstant(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    day: lang === 'vi' ? '2-digit' : 'numeric',
    month: lang === 'vi' ? '2-digit' : 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(new Date(iso));
}

export interface NextStep {
  /** Whether the applicant has something to do (as against waiting, or nothing more on this dossier). */
  todo: boolean;
  text: string;
  /** What to bring or send (a supplement request's items), then how. */
  items?: string[];
  how?: string;
}

const nothingYet: Text = {
  vi: 'Bạn chưa cần làm gì. Bạn sẽ được thông báo khi cần bổ sung hoặc khi có kết quả; có thể xem lại trang này bất cứ lúc nào.',
  en: 'Nothing to do for now. You will be told if anything is needed or when the result is ready; you can check this page at any time.',
};

const ended: Partial<Record<DossierStatus, Text>> = {
  RETURNED: {
    vi: 'Hồ sơ đã hoàn tất, bạn không cần làm gì thêm. Bạn có thể đánh giá mức độ hài lòng trong tài khoản trên Cổng dịch vụ công.',
    en: 'The dossier is complete; there is nothing more to do. You may rate the service in your account on the public service portal.',
  },
  REFUSED: {
    vi: 'Hồ sơ không được tiếp nhận; lý do ghi trong Phiếu từ chối tiếp nhận (mẫu 03). Không cần làm gì thêm với hồ sơ này; bạn có thể nộp hồ sơ mới khi đủ điều kiện.',
    en: 'The dossier was not accepted; the refusal slip (form 03) gives the reason. Nothing more to do on this dossier; you may file a new one once it qualifies.',
  },
  REJECTED: {
    vi: 'Hồ sơ không được giải quyết; văn bản thông báo nêu rõ lý do (xem trong tài khoản hoặc nhận tại quầy). Không cần làm gì thêm với hồ sơ này.',
    en: 'The dossier was rejected; the notice gives the reason (in your account, or at the counter). Nothing more to do on this dossier.',
  },
  STOPPED: {
    vi: 'Việc giải quyết hồ sơ đã dừng theo Thông báo (mẫu 05). Không cần làm gì thêm.',
    en: 'Processing was stopped, as the notice (form 05) says. Nothing more to do.',
  },
  WITHDRAWN: {
    vi: 'Hồ sơ đã được rút. Không cần làm gì thêm.',
    en: 'The dossier was withdrawn. Nothing more to do.',
  },
};

/** What the applicant must do next, read from the dossier's status and flags. */
export function nextStep(view: TrackingPageView, lang: Lang): NextStep {
  if (view.awaitingPayment) {
    const amount = view.outstandingVnd ? ` ${vnd(view.outstandingVnd)}` : '';
    const release = view.status === 'RESULT_READY';
    const text: Text = {
      vi: `Nộp${amount} phí, lệ phí ${release ? 'để nhận kết quả' : 'để hồ sơ được giải quyết'}: thanh toán trực tuyến trên Cổng dịch vụ công (đăng nhập bằng VNeID, mở hồ sơ này, chọn "Thanh toán trực tuyến"), hoặc nộp tại quầy của đơn vị tiếp nhận.`,
      en: `Pay the fees${amount} ${release ? 'to receive the result' : 'for processing to start'}: pay online on the public service portal (sign in with VNeID, open this dossier, choose "Pay online"), or pay at the receiving unit’s counter.`,
    };
    return { todo: true, text: text[lang] };
  }
  switch (view.status) {
    case 'SUPPLEMENT_REQUESTED': {
      const how: Text =
        view.channel === 'online'
          ? {
              vi: 'Nộp bổ sung trực tuyến: đăng nhập Cổng dịch vụ công bằng VNeID và mở hồ sơ này; hoặc mang đến quầy của đơn vị tiếp nhận.',
              en: 'Send them online: sign in to the public service portal with VNeID and open this dossier; or bring them to the receiving unit’s counter.',
            }
          : {
              vi: 'Mang đến quầy của đơn vị tiếp nhận, kèm Giấy tiếp nhận hồ sơ.',
              en: 'Bring them to the receiving unit’s counter, with your receipt.',
            };
      const intro: Text = {
        vi: 'Bổ sung hồ sơ theo Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02), nơi ghi rõ lý do. Các giấy tờ cần bổ sung:',
        en: 'Supplement the dossier as the supplement request (form 02) says, with the reasons. What to provide:',
      };
      return { todo: true, text: intro[lang], items: view.supplementItems ?? [], how: how[lang] };
    }
    case 'RESULT_READY': {
      if (view.result?.postedBy) {
        const posted: Text = {
          vi: `Kết quả đã được gửi qua ${view.result.postedBy} đến địa chỉ ghi trong hồ sơ; bạn chỉ cần chờ nhận.`,
          en: `The result was sent by ${view.result.postedBy} to the address in the dossier; just wait for it.`,
        };
        return { todo: false, text: posted[lang] };
      }
      const collect: Text = {
        vi: 'Nhận kết quả tại quầy của đơn vị tiếp nhận: mang theo căn cước và Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01); người nhận thay cần có giấy ủy quyền.',
        en: 'Collect the result at the receiving unit’s counter: bring your ID card and the receipt and appointment slip (form 01); someone collecting for you needs your written authorization.',
      };
      const download: Text = {
        vi: 'Tải kết quả điện tử trong tài khoản của bạn trên Cổng dịch vụ công (đăng nhập bằng VNeID).',
        en: 'Download the electronic result from your account on the public service portal (sign in with VNeID).',
      };
      return {
        todo: true,
        text: view.result?.documents ? `${download[lang]} ${collect[lang]}` : collect[lang],
      };
    }
    default: {
      const done = ended[view.status];
      return done ? { todo: false, text: done[lang] } : { todo: false, text: nothingYet[lang] };
    }
  }
}

function stagesLine(view: TrackingPageView, lang: Lang): string | undefined {
  if (!view.stages || view.status !== 'IN_PROGRESS') return undefined;
  const { completed, count } = view.stages;
  return lang === 'vi'
    ? `Đã hoàn thành ${completed}/${count} bước giữa các cơ quan giải quyết.`
    : `${completed} of ${count} stages between the deciding agencies done.`;
}

/** A relative link to this page in the other language: the same path, so the same code, and the same key. */
function switchHref(key: string | undefined, to: Lang): string {
  const query = new URLSearchParams();
  if (key !== undefined) query.set('key', key);
  query.set('lang', to);
  return `?${query}`;
}

function page(lang: Lang, key: string | undefined, content: Markup): string {
  const other: Lang = lang === 'vi' ? 'en' : 'vi';
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${words.title[lang]} · ${words.center[lang]}</title>
<style>${new Markup(CSS)}</style>
</head>
<body>
<header><p>${words.center[lang]}</p><a id="switch-lang" href="${switchHref(key, other)}" hreflang="${other}" lang="${other}">${words.switchTo[lang]}</a></header>
<main>
${content}
</main>
<footer>${words.footer[lang]}</footer>
</body>
</html>
`.text;
}

/** The page for a dossier the code and key found. */
export function trackingPage(view: TrackingPageView, key: string, lang: Lang): string {
  const next = nextStep(view, lang);
  const stages = stagesLine(view, lang);
  const due = view.appointmentDay
    ? html`<p class="due">${words.appointment[lang]}: <time id="appointment-day" datetime="${view.appointmentDay}">${formatDay(view.appointmentDay, lang)}</time></p>`
    : undefined;
  const rows: [string, string][] = [
    [words.code[lang], view.code],
    [words.procedure[lang], view.procedure.name[lang]],
    [words.unit[lang], view.unit],
    [words.submitted[lang], formatInstant(view.submittedAt, lang)],
  ];
  if (view.receivedAt) rows.push([words.received[lang], formatInstant(view.receivedAt, lang)]);
  return page(
    lang,
    key,
    html`<h1>${words.title[lang]}</h1>
<section id="status" data-status="${view.status}" role="status">
<p class="status">${view.statusLabel[lang]}</p>
${due}
<p class="muted"><strong>${words.now[lang]}:</strong> <span id="current-step">${view.currentStep[lang]}</span></p>
${stages ? html`<p class="muted" id="stages">${stages}</p>` : undefined}
${view.paused ? html`<p class="muted" id="paused">${words.paused[lang]}</p>` : undefined}
</section>
<section id="next-step" class="${next.todo ? 'todo' : 'none'}" data-todo="${String(next.todo)}">
<h2>${words.next[lang]}</h2>
<p>${next.text}</p>
${next.items?.length ? html`<ul id="supplement-items">${next.items.map((item) => html`<li>${item}</li>`)}</ul>` : undefined}
${next.how ? html`<p>${next.how}</p>` : undefined}
</section>
<section>
<dl>${rows.map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>`)}</dl>
</section>`,
  );
}

/**
 * The page for a refusal. A wrong key, an unknown code and a malformed key read alike, so the page never tells
 * whether a code exists; the status code stays the one the JSON answer gives.
 */
export function trackingRefusalPage(status: number, key: string | undefined, lang: Lang): string {
  const notFound = status === 400 || status === 404;
  const message: Text = notFound
    ? {
        vi: 'Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này. Hãy quét lại mã QR hoặc kiểm tra mã hồ sơ và mã tra cứu in trên Giấy tiếp nhận hồ sơ.',
        en: 'No dossier was found with this code and lookup key. Scan the QR code again, or check the dossier code and lookup key printed on your receipt.',
      }
    : {
        vi: 'Hệ thống đang bận hoặc gặp sự cố. Vui lòng thử lại sau ít phút.',
        en: 'The service is busy or had a problem. Please try again in a few minutes.',
      };
  return page(
    lang,
    key,
    html`<h1>${words.title[lang]}</h1>
<section id="status" class="bad" data-status="${notFound ? 'not-found' : 'error'}" role="status">
<p>${message[lang]}</p>
</section>`,
  );
}
