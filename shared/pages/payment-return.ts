// The page a citizen's browser lands on after the provider's checkout: what our records say of the payment (never the
// return's own say-so), in Vietnamese and English, with nothing personal on it. No script, no external resource.
import type { ReturnView } from '../usecases/payments/settle-payment';
import { escapeHtml } from './html';

const vnd = (amount: number) => `${amount.toLocaleString('vi-VN')} ₫`;

interface Message {
  tone: 'ok' | 'wait' | 'bad';
  vi: string;
  en: string;
}

function messageOf(view: ReturnView): Message {
  if (!view.verified) {
    return {
      tone: 'bad',
      vi: 'Không xác thực được thông tin trả về từ cổng thanh toán. Vui lòng tra cứu trạng thái hồ sơ.',
      en: 'The payment gateway’s return could not be verified. Please check the dossier’s status.',
    };
  }
  switch (view.status) {
    case 'paid':
      return { tone: 'ok', vi: 'Đã thanh toán thành công.', en: 'Payment received.' };
    case 'failed':
      return { tone: 'bad', vi: 'Giao dịch không thành công.', en: 'The payment did not go through.' };
    case 'expired':
      return {
        tone: 'bad',
        vi: 'Giao dịch đã hết hạn. Bạn có thể thanh toán lại.',
        en: 'The payment expired. You may pay again.',
      };
    case 'pending':
      return view.providerSays === 'succeeded'
        ? {
            tone: 'wait',
            vi: 'Cổng thanh toán báo giao dịch thành công; hệ thống đang chờ xác nhận. Trang này không cần mở lại.',
            en: 'The gateway reports success; we are waiting for its confirmation. You need not keep this page open.',
          }
        : {
            tone: 'wait',
            vi: 'Giao dịch chưa hoàn tất; hệ thống đang chờ kết quả từ cổng thanh toán.',
            en: 'The payment is not complete; we are waiting for the gateway’s result.',
          };
    default:
      return { tone: 'bad', vi: 'Không tìm thấy giao dịch.', en: 'No such payment.' };
  }
}

export function paymentReturnPage(view: ReturnView): string {
  const message = messageOf(view);
  const rows = [
    view.dossierCode ? ['Mã hồ sơ / Dossier', view.dossierCode] : undefined,
    view.paymentId ? ['Mã giao dịch / Reference', view.paymentId] : undefined,
    view.amountVnd !== undefined ? ['Số tiền / Amount', vnd(view.amountVnd)] : undefined,
  ].filter((row): row is string[] => row !== undefined);
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kết quả thanh toán · Payment result</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b1f24}
main{max-width:34rem;margin:3rem auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.3rem;margin:0 0 1rem}
.status{padding:1rem;border-radius:6px;margin-bottom:1rem}
.ok{background:#e6f4ea;color:#0d5223}.wait{background:#fff7e0;color:#6b4b00}.bad{background:#fdecea;color:#8a1c12}
.en{color:#555;font-size:.95rem;margin-top:.3rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem;margin:0}
dt{color:#555}dd{margin:0;font-weight:600}
</style>
</head>
<body>
<main>
<h1>Kết quả thanh toán <span class="en">Payment result</span></h1>
<div class="status ${message.tone}" id="status" data-status="${escapeHtml(view.status ?? (view.verified ? 'unknown' : 'unverified'))}" role="status">
<div lang="vi">${escapeHtml(message.vi)}</div>
<div class="en" lang="en">${escapeHtml(message.en)}</div>
</div>
${rows.length ? `<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k!)}</dt><dd>${escapeHtml(v!)}</dd>`).join('')}</dl>` : ''}
</main>
</body>
</html>
`;
}
