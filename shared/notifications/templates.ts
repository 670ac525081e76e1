// The applicant's messages in Vietnamese and English, as pure functions of their facts: an email (subject and text)
// and a short SMS in plain ASCII (GSM-7 has no Vietnamese letters, so the SMS drops the diacritics as people do).
import type { Language, MessageContext, MessageFacts, MessageKind, RenderedMessage } from './messages';

interface Parts {
  subject: string;
  /** The email's paragraphs, between the greeting and the signature. */
  body: string[];
  sms: string;
}

type Template<K extends MessageKind> = (
  facts: Extract<MessageFacts, { kind: K }>,
  context: MessageContext,
) => Record<Language, Parts>;

/** `27/11/2026` in Vietnamese, `27 Nov 2026` in English, from a `YYYY-MM-DD` day. */
export function formatDay(day: string, language: Language): string {
  const [year, month, date] = day.split('-');
  if (!year || !month || !date) return day;
  if (language === 'vi') return `${date}/${month}/${year}`;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(date)} ${months[Number(month) - 1] ?? month} ${year}`;
}

/** `150.000 đồng` / `150,000 VND` (money is integer VND). */
export function formatVnd(amount: number, language: Language): string {
  return language === 'vi'
    ? `${amount.toLocaleString('vi-VN')} đồng`
    : `${amount.toLocaleString('en-US')} VND`;
}

/** Vietnamese without diacritics, and nothing outside printable ASCII: what an SMS carries in one 7-bit segment. */
export function smsSafe(text: string): string {
  return text
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[–—]/g, '-')
    .replace(/[^\x20-\x7e]/g, '?');
}

const SMS_PREFIX = 'HCC Ha Noi';
const returnMethod = {
  electronic: { vi: 'bản điện tử', en: 'electronic copy' },
  post: { vi: 'qua bưu chính', en: 'by post' },
  counter: { vi: 'tại quầy', en: 'at the counter' },
} as const;

const templates: { [K in MessageKind]: Template<K> } = {
  received: (f, c) => ({
    vi: {
      subject: `Hồ sơ ${c.dossierCode} đã được tiếp nhận`,
      body: [
        `Hồ sơ ${c.procedureName.vi} của ông/bà đã được tiếp nhận, mã hồ sơ ${c.dossierCode}.`,
        `Ngày hẹn trả kết quả: ${formatDay(f.appointmentDay, 'vi')}.`,
        `Theo dõi tình trạng hồ sơ: ${f.trackingUrl}`,
      ],
      sms: `${SMS_PREFIX}: Ho so ${c.dossierCode} da duoc tiep nhan. Hen tra ${formatDay(f.appointmentDay, 'vi')}. Tra cuu: ${f.trackingUrl}`,
    },
    en: {
      subject: `Dossier ${c.dossierCode} received`,
      body: [
        `Your dossier for ${c.procedureName.en} has been received under the code ${c.dossierCode}.`,
        `Appointment day for the result: ${formatDay(f.appointmentDay, 'en')}.`,
        `Follow its progress: ${f.trackingUrl}`,
      ],
      sms: `${SMS_PREFIX}: Dossier ${c.dossierCode} received. Result due ${formatDay(f.appointmentDay, 'en')}. Track: ${f.trackingUrl}`,
    },
  }),
  'awaiting-payment': (f, c) => ({
    vi: {
      subject: `Hồ sơ ${c.dossierCode}: yêu cầu thực hiện nghĩa vụ tài chính`,
      body: [
        `Hồ sơ ${c.dossierCode} (${c.procedureName.vi}) chờ ông/bà nộp phí, lệ phí: ${formatVnd(f.outstandingVnd, 'vi')}.`,
        'Hồ sơ được giải quyết sau khi nộp đủ. Ông/bà có thể thanh toán trực tuyến trên Cổng dịch vụ công hoặc tại quầy.',
        `Theo dõi hồ sơ: ${f.trackingUrl}`,
      ],
      sms: `${SMS_PREFIX}: Ho so ${c.dossierCode} cho nop phi ${f.outstandingVnd.toLocaleString('vi-VN')} dong. Tra cuu: ${f.trackingUrl}`,
    },
    en: {
      subject: `Dossier ${c.dossierCode}: fees to pay`,
      body: [
        `Dossier ${c.dossierCode} (${c.procedureName.en}) is waiting for its fees: ${formatVnd(f.outstandingVnd, 'en')}.`,
        'It is processed once they are paid, online on the public service portal or at the counter.',
        `Follow the dossier: ${f.trackingUrl}`,
      ],
      sms: `${SMS_PREFIX}: Dossier ${c.dossierCode} awaits fees of ${f.outstandingVnd.toLocaleString('en-US')} VND. Track: ${f.trackingUrl}`,
    },
  }),
  'supplement-requested': (f, c) => ({
    vi: {
      subject: `Hồ sơ ${c.dossierCode} cần bổ sung`,
      body: [
        `Hồ sơ ${c.dossierCode} (${c.procedureName.vi}) cần bổ sung, hoàn thiện (mẫu 02):`,
        ...f.items.map((item, i) => `${i + 1}. ${item.name}: ${item.reason}`),
        'Thời gian giải quyết tạm dừng cho đến khi ông/bà bổ sung.',
        `Theo dõi hồ sơ: ${f.trackingUrl}`,
      ],
      sms: `${SMS_PREFIX}: Ho so ${c.dossierCode} can bo sung ${f.items.length} muc. Xem: ${f.trackingUrl}`,
    },
    en: {
      subject: `Dossier ${c.dossierCode} needs a supplement`,
      body: [
        `Dossier ${c.dossierCode} (${c.procedureName.en}) needs the following (form 02):`,
        ...f.items.map((item, i) => `${i + 1}. ${item.name}: ${item.reason}`),
        'The processing time is paused until you supplement it.',
        `Follow the dossier: ${f.trackingUrl}`,
      ],
      sms: `${SMS_PREFIX}: Dossier ${c.dossierCode} needs ${f.items.length} item(s) supplemented. See: ${f.trackingUrl}`,
    },
  }),
  refused: (f, c) => ({
    vi: {
      subject: `Hồ sơ ${c.dossierCode} không được tiếp nhận`,
      body: [
        `Hồ sơ ${c.dossierCode} (${c.procedureName.vi}) không được tiếp nhận (mẫu 03).`,
        `Lý do: ${f.reason}`,
      ],
      sms: `${SMS_PREFIX}: Ho so ${c.dossierCode} khong duoc tiep nhan. Ly do xem trong thu dien tu hoac tai quay.`,
    },
    en: {
      subject: `Dossier ${c.dossierCode} not accepted`,
      body: [
        `Dossier ${c.dossierCode} (${c.procedureName.en}) was not accepted (form 03).`,
        `Reason: ${f.reason}`,
      ],
      sms: `${SMS_PREFIX}: Dossier ${c.dossierCode} was not accepted. See the email or ask at the counter.`,
    },
  }),
  'payment-confirmed': (f, c) => ({
    vi: {
      subject: `Hồ sơ ${c.dossierCode}: đã nhận thanh toán`,
      body: [
        `Đã nhận ${formatVnd(f.amountVnd, 'vi')} cho hồ sơ ${c.dossierCode} (${c.procedureName.vi}), mã giao dịch ${f.paymentId}.`,
        f.outstandingVnd > 0
          ? `Còn phải nộp: ${formatVnd(f.outstandingVnd, 'vi')}.`
          : 'Hồ sơ đã nộp đủ phí, lệ phí.',
        `Biên lai điện tử được phát hành cho khoản đã nộp và liệt kê trong hồ sơ: ${f.receiptsUrl}`,
      ],
      sms: `${SMS_PREFIX}: Da nhan ${f.amountVnd.toLocaleString('vi-VN')} dong cho ho so ${c.dossierCode}, GD ${f.paymentId}.`,
    },
    en: {
      subject: `Dossier ${c.dossierCode}: payment received`,
      body: [
        `We received ${formatVnd(f.amountVnd, 'en')} for dossier ${c.dossierCode} (${c.procedureName.en}), payment ${f.paymentId}.`,
        f.outstandingVnd > 0
          ? `Still to pay: ${formatVnd(f.outstandingVnd, 'en')}.`
          : 'The fees are paid in full.',
        `The e-receipt is issued for what you paid and listed with the dossier: ${f.receiptsUrl}`,
      ],
      sms: `${SMS_PREFIX}: Received ${f.amountVnd.toLocaleString('en-US')} VND for dossier ${c.dossierCode}, payment ${f.paymentId}.`,
    },
  }),
  overdue: (f, c) => ({
    vi: {
      subject: `Thư xin lỗi: hồ sơ ${c.dossierCode} chậm trả kết quả`,
      body: [
        `Hồ sơ ${c.dossierCode} (${c.procedureName.vi}) hẹn trả ngày ${formatDay(f.previousAppointmentDay, 'vi')} chưa giải quyết được đúng hạn.`,
        `Chúng tôi thành thật xin lỗi ông/bà và hẹn trả kết quả vào ngày ${formatDay(f.newAppointmentDay, 'vi')} (mẫu 04).`,
        `Theo dõi hồ sơ: ${f.trackingUrl}`,
      ],
      sms: `${SMS_PREFIX}: Xin loi, ho so ${c.dossierCode} tre han. Hen moi ${formatDay(f.newAppointmentDay, 'vi')}. Tra cuu: ${f.trackingUrl}`,
    },
    en: {
      subject: `Apology: dossier ${c.dossierCode} is late`,
      body: [
        `Dossier ${c.dossierCode} (${c.procedureName.en}), due on ${formatDay(f.previousAppointmentDay, 'en')}, could not be resolved on time.`,
        `We sincerely apologise; the new appointment day is ${formatDay(f.newAppointmentDay, 'en')} (form 04).`,
        `Follow the dossier: ${f.trackingUrl}`,
      ],
      sms: `${SMS_PREFIX}: Sorry, dossier ${c.dossierCode} is late. New date ${formatDay(f.newAppointmentDay, 'en')}. Track: ${f.trackingUrl}`,
    },
  }),
  'result-ready': (f, c) => ({
    vi: {
      subject: `Hồ sơ ${c.dossierCode} đã có kết quả`,
      body: [
        `Hồ sơ ${c.dossierCode} (${c.procedureName.vi}) đã có kết quả.`,
        `Nhận kết quả: tải bản điện tử (sau khi đăng nhập) tại ${f.downloadUrl}, nhận qua bưu chính, hoặc nhận tại quầy khi mang theo giấy tờ tùy thân.`,
        `Theo dõi hồ sơ: ${f.trackingUrl}`,
      ],
      sms: `${SMS_PREFIX}: Ho so ${c.dossierCode} da co ket qua. Tai ban dien tu, nhan qua buu chinh hoac tai quay. Tra cuu: ${f.trackingUrl}`,
    },
    en: {
      subject: `Dossier ${c.dossierCode}: result ready`,
      body: [
        `The result of dossier ${c.dossierCode} (${c.procedureName.en}) is ready.`,
        `Get it: download the electronic copy (signed in) at ${f.downloadUrl}, by post, or at the counter with your ID.`,
        `Follow the dossier: ${f.trackingUrl}`,
      ],
      sms: `${SMS_PREFIX}: Result of dossier ${c.dossierCode} is ready: download, by post or at the counter. Track: ${f.trackingUrl}`,
    },
  }),
  'result-dispatched': (f, c) => ({
    vi: {
      subject: `Hồ sơ ${c.dossierCode}: kết quả đã gửi qua bưu chính`,
      body: [
        `Kết quả hồ sơ ${c.dossierCode} (${c.procedureName.vi}) đã được gửi qua ${f.carrier}, số vận đơn ${f.trackingNumber}.`,
      ],
      sms: `${SMS_PREFIX}: Ket qua ho so ${c.dossierCode} da gui qua ${f.carrier}, van don ${f.trackingNumber}.`,
    },
    en: {
      subject: `Dossier ${c.dossierCode}: result sent by post`,
      body: [
        `The result of dossier ${c.dossierCode} (${c.procedureName.en}) was sent with ${f.carrier}, tracking number ${f.trackingNumber}.`,
      ],
      sms: `${SMS_PREFIX}: Result of dossier ${c.dossierCode} sent with ${f.carrier}, tracking ${f.trackingNumber}.`,
    },
  }),
  returned: (f, c) => ({
    vi: {
      subject: `Hồ sơ ${c.dossierCode} đã trả kết quả`,
      body: [
        `Kết quả hồ sơ ${c.dossierCode} (${c.procedureName.vi}) đã được trả (${returnMethod[f.method].vi}). Hồ sơ đã hoàn thành.`,
      ],
      sms: `${SMS_PREFIX}: Ho so ${c.dossierCode} da tra ket qua (${returnMethod[f.method].vi}).`,
    },
    en: {
      subject: `Dossier ${c.dossierCode}: result returned`,
      body: [
        `The result of dossier ${c.dossierCode} (${c.procedureName.en}) was returned (${returnMethod[f.method].en}). The dossier is complete.`,
      ],
      sms: `${SMS_PREFIX}: Dossier ${c.dossierCode} result returned (${returnMethod[f.method].en}).`,
    },
  }),
  rejected: (f, c) => ({
    vi: {
      subject: `Hồ sơ ${c.dossierCode} không được giải quyết`,
      body: [`Hồ sơ ${c.dossierCode} (${c.procedureName.vi}) không được giải quyết.`, `Lý do: ${f.reason}`],
      sms: `${SMS_PREFIX}: Ho so ${c.dossierCode} khong duoc giai quyet. Ly do xem trong thu dien tu hoac tai quay.`,
    },
    en: {
      subject: `Dossier ${c.dossierCode} rejected`,
      body: [`Dossier ${c.dossierCode} (${c.procedureName.en}) was rejected.`, `Reason: ${f.reason}`],
      sms: `${SMS_PREFIX}: Dossier ${c.dossierCode} was rejected. See the email or ask at the counter.`,
    },
  }),
  stopped: (f, c) => ({
    vi: {
      subject: `Hồ sơ ${c.dossierCode} dừng giải quyết`,
      body: [
        `Hồ sơ ${c.dossierCode} (${c.procedureName.vi}) đã dừng giải quyết (mẫu 05).`,
        `Lý do: ${f.reason}`,
      ],
      sms: `${SMS_PREFIX}: Ho so ${c.dossierCode} da dung giai quyet. Ly do xem trong thu dien tu hoac tai quay.`,
    },
    en: {
      subject: `Dossier ${c.dossierCode}: processing stopped`,
      body: [
        `Processing of dossier ${c.dossierCode} (${c.procedureName.en}) was stopped (form 05).`,
        `Reason: ${f.reason}`,
      ],
      sms: `${SMS_PREFIX}: Processing of dossier ${c.dossierCode} stopped. See the email or ask at the counter.`,
    },
  }),
  rate: (f, c) => ({
    vi: {
      subject: `Mời ông/bà đánh giá việc giải quyết hồ sơ ${c.dossierCode}`,
      body: [
        `Mời ông/bà đánh giá mức độ hài lòng (1–5 sao, kèm ý kiến nếu muốn) với việc giải quyết hồ sơ ${c.dossierCode} (${c.procedureName.vi}).`,
        `Gửi đánh giá (sau khi đăng nhập): ${f.ratingUrl}`,
      ],
      sms: `${SMS_PREFIX}: Moi danh gia (1-5 sao) viec giai quyet ho so ${c.dossierCode}: ${f.ratingUrl}`,
    },
    en: {
      subject: `Please rate how dossier ${c.dossierCode} was handled`,
      body: [
        `Please tell us how satisfied you are (1–5 stars, with a comment if you like) with how dossier ${c.dossierCode} (${c.procedureName.en}) was handled.`,
        `Rate it (signed in): ${f.ratingUrl}`,
      ],
      sms: `${SMS_PREFIX}: Please rate (1-5 stars) how dossier ${c.dossierCode} was handled: ${f.ratingUrl}`,
    },
  }),
};

const greeting = { vi: (name: string) => `Kính gửi ông/bà ${name},`, en: (name: string) => `Dear ${name},` };
const signature = {
  vi: 'Trung tâm Phục vụ hành chính công thành phố Hà Nội\n(Thư gửi tự động, xin đừng trả lời thư này.)',
  en: 'Hanoi Public Administrative Service Center\n(An automatic message: please do not reply.)',
};

/** The message in one language: the email's subject and text, and the SMS. */
export function renderMessage(
  facts: MessageFacts,
  context: MessageContext,
  language: Language,
): RenderedMessage {
  const template = templates[facts.kind] as Template<MessageKind>;
  const parts = template(facts as never, context)[language];
  return {
    email: {
      subject: parts.subject,
      text: [greeting[language](context.applicantName), '', ...parts.body, '', signature[language], ''].join(
        '\n',
      ),
    },
    sms: { text: smsSafe(parts.sms) },
  };
}

export const messageKinds = Object.keys(templates) as MessageKind[];
