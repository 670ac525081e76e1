// Renders one-stop forms 01–06 of Circular 03/2025/TT-VPCP Appendix I as A4 PDFs with embedded Vietnamese fonts.
import PDFDocument from 'pdfkit';
// The encoder alone (see qrcode-core.d.ts): the package entry would bundle renderers and pngjs the forms never use.
import { create as createQr } from 'qrcode/lib/core/qrcode.js';
import { loadFonts } from './fonts';
import type {
  ApologyInput,
  ControlSlipInput,
  ControlSlipRow,
  DocumentForm,
  FormBase,
  FormDocument,
  FormParty,
  HandoffResult,
  ReceiptSlipInput,
  RefusalInput,
  StopNoticeInput,
  SupplementRequestInput,
} from './types';

type Doc = PDFKit.PDFDocument;

interface FormSpec {
  number: string;
  title: string;
}

const FORMS = {
  receipt: { number: '01', title: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả' },
  supplement: { number: '02', title: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ' },
  refusal: { number: '03', title: 'Phiếu từ chối tiếp nhận giải quyết hồ sơ' },
  apology: { number: '04', title: 'Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết' },
  stop: { number: '05', title: 'Thông báo dừng giải quyết hồ sơ' },
  control: { number: '06', title: 'Phiếu kiểm soát quá trình giải quyết hồ sơ' },
} as const satisfies Record<string, FormSpec>;

const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';
const SIZE = { small: 8.5, header: 10, body: 10.5, title: 13.5 };
// Administrative documents keep a wider left margin for binding.
const MARGINS = { top: 48, bottom: 44, left: 62, right: 48 };
const QR_SIZE = 76;
const FOOTER_HEIGHT = QR_SIZE + 26;
const SIGNATURE_HEIGHT = 110;
const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const DOCUMENT_FORM_LABEL: Record<DocumentForm, string> = {
  original: 'Bản chính',
  copy: 'Bản sao',
  'certified-copy': 'Bản sao chứng thực',
  electronic: 'Bản điện tử',
};

const HANDOFF_RESULT_LABEL: Record<HandoffResult, string> = {
  early: 'Trước hạn',
  'on-time': 'Đúng hạn',
  late: 'Quá hạn',
};

// Signed for the unit by its head: the apology and the stop notice are the unit's word, not the desk officer's.
const HEAD_OF_UNIT = 'THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ';

export function renderReceiptSlip(input: ReceiptSlipInput): Promise<Uint8Array> {
  return renderForm(FORMS.receipt, input, (doc) => {
    partyFields(doc, `${input.unit.name} tiếp nhận hồ sơ của`, input);
    doc.moveDown(0.3).text('1. Thành phần hồ sơ nộp gồm:');
    documentsTable(doc, input.documents);
    numberedFields(doc, 2, [
      ['Thời gian giải quyết hồ sơ theo quy định', workingDaysText(input.statutoryWorkingDays)],
      ['Thời gian nhận hồ sơ', formatDateTime(parseInstant(input.receivedAt, 'receivedAt'))],
      ['Thời gian trả kết quả giải quyết hồ sơ', `ngày ${formatDay(input.appointmentDay, 'appointmentDay')}`],
      ['Nơi trả kết quả', input.appointmentPlace],
      ['Hình thức nhận kết quả', input.resultChannel],
      ['Phí, lệ phí', input.feesVnd === undefined ? undefined : feesText(input.feesVnd)],
    ]);
    if (input.register) {
      field(
        doc,
        'Vào Sổ theo dõi hồ sơ, quyển số',
        `${input.register.book}, mục hồ sơ ${input.register.entry}`,
      );
    }
    signatures(doc, [
      { role: 'NGƯỜI NỘP HỒ SƠ', name: input.applicant.fullName },
      { role: 'NGƯỜI TIẾP NHẬN HỒ SƠ', name: input.officer.fullName },
    ]);
  });
}

export function renderSupplementRequest(input: SupplementRequestInput): Promise<Uint8Array> {
  return renderForm(FORMS.supplement, input, (doc) => {
    partyFields(doc, 'Hồ sơ của', input);
    field(doc, 'Thời gian yêu cầu', formatDateTime(parseInstant(input.requestedAt, 'requestedAt')));
    doc.moveDown(0.3).text('Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:');
    input.items.forEach((item, i) => {
      doc.font(BOLD);
      indentedText(doc, 14, `${i + 1}. ${item.name}`);
      doc.font(REGULAR);
      indentedText(doc, 30, `Lý do: ${item.reason}`, { align: 'justify' });
    });
    if (input.deadlineDay) {
      doc.moveDown(0.3);
      field(
        doc,
        'Thời hạn bổ sung, hoàn thiện',
        `đến hết ngày ${formatDay(input.deadlineDay, 'deadlineDay')}`,
      );
    }
    const contact = input.unit.phone ? `, số điện thoại ${input.unit.phone},` : '';
    doc
      .moveDown(0.3)
      .text(
        `Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ ${input.unit.name}` +
          `${contact} để được hướng dẫn.`,
        { align: 'justify' },
      );
    signatures(doc, [{ role: 'NGƯỜI HƯỚNG DẪN', name: input.officer.fullName }]);
  });
}

export function renderRefusal(input: RefusalInput): Promise<Uint8Array> {
  return renderForm(FORMS.refusal, input, (doc) => {
    partyFields(doc, `${input.unit.name} tiếp nhận hồ sơ của`, input);
    field(doc, 'Thời gian từ chối tiếp nhận', formatDateTime(parseInstant(input.refusedAt, 'refusedAt')));
    doc
      .moveDown(0.3)
      .text(
        `Qua xem xét, ${input.unit.name} thông báo không tiếp nhận, giải quyết hồ sơ này ` +
          'với lý do cụ thể như sau:',
        { align: 'justify' },
      );
    indentedText(doc, 14, input.reason, { align: 'justify' });
    if (input.legalBasis) field(doc, 'Căn cứ', input.legalBasis);
    doc.moveDown(0.3).text('Xin thông báo để Ông/Bà được biết và thực hiện./.');
    signatures(doc, [{ role: 'NGƯỜI TIẾP NHẬN HỒ SƠ', name: input.officer.fullName }]);
  });
}

export function renderApology(input: ApologyInput): Promise<Uint8Array> {
  return renderForm(FORMS.apology, input, (doc) => {
    partyFields(doc, 'Kính gửi Ông/Bà', input);
    field(doc, 'Thời gian tiếp nhận hồ sơ', formatDateTime(parseInstant(input.receivedAt, 'receivedAt')));
    field(
      doc,
      'Thời gian hẹn trả kết quả',
      `ngày ${formatDay(input.previousAppointmentDay, 'previousAppointmentDay')}`,
    );
    doc
      .moveDown(0.3)
      .text(
        `Tuy nhiên, đến nay ${input.unit.name} chưa trả kết quả giải quyết hồ sơ của Ông/Bà đúng thời hạn đã hẹn.`,
        { align: 'justify' },
      );
    field(doc, 'Cơ quan, đơn vị giải quyết chậm', input.lateAgency);
    doc.text('Lý do:');
    indentedText(doc, 14, input.reason, { align: 'justify' });
    doc
      .moveDown(0.3)
      .text(
        `Sự chậm trễ này đã gây phiền hà cho Ông/Bà. ${input.unit.name} trân trọng xin lỗi Ông/Bà và đề nghị ` +
          'gia hạn thời gian giải quyết, hẹn lại ngày trả kết quả giải quyết hồ sơ như sau:',
        { align: 'justify' },
      );
    field(
      doc,
      'Thời gian hẹn lại trả kết quả',
      `ngày ${formatDay(input.newAppointmentDay, 'newAppointmentDay')}`,
    );
    doc.moveDown(0.3).text('Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.');
    signatures(doc, [{ role: HEAD_OF_UNIT, name: input.officer.fullName }]);
  });
}

export function renderStopNotice(input: StopNoticeInput): Promise<Uint8Array> {
  return renderForm(FORMS.stop, input, (doc) => {
    partyFields(doc, `${input.unit.name} tiếp nhận hồ sơ của`, input);
    field(doc, 'Thời gian dừng giải quyết', formatDateTime(parseInstant(input.stoppedAt, 'stoppedAt')));
    if (input.requestedBy === 'applicant') {
      field(doc, 'Theo đề nghị của', `Ông/Bà ${input.applicant.fullName}`);
    } else if (input.requestedBy === 'agency' && input.requestingAgency) {
      field(doc, 'Theo đề nghị của', input.requestingAgency);
    }
    if (input.legalBasis) field(doc, 'Căn cứ', input.legalBasis);
    doc
      .moveDown(0.3)
      .text(`${input.unit.name} thông báo dừng giải quyết hồ sơ nêu trên với lý do cụ thể như sau:`, {
        align: 'justify',
      });
    indentedText(doc, 14, input.reason, { align: 'justify' });
    doc.moveDown(0.3).text('Xin thông báo để Ông/Bà được biết./.');
    signatures(doc, [{ role: HEAD_OF_UNIT, name: input.officer.fullName }]);
  });
}

export function renderControlSlip(input: ControlSlipInput): Promise<Uint8Array> {
  return renderForm(FORMS.control, input, (doc) => {
    field(doc, 'Tổ chức, cá nhân nộp hồ sơ', input.applicant.fullName);
    field(doc, 'Nội dung yêu cầu giải quyết', `${input.procedure.name} (mã thủ tục ${input.procedure.code})`);
    field(doc, 'Thời gian tiếp nhận hồ sơ', formatDateTime(parseInstant(input.receivedAt, 'receivedAt')));
    field(doc, 'Thời gian hẹn trả kết quả', `ngày ${formatDay(input.appointmentDay, 'appointmentDay')}`);
    if (input.resolvingUnits && input.resolvingUnits.length > 0) {
      field(doc, 'Cơ quan, đơn vị giải quyết hồ sơ', input.resolvingUnits.join('; '));
    }
    doc.moveDown(0.3).text('Quá trình giao, nhận hồ sơ:');
    handoffTable(doc, input.rows);
  });
}

async function renderForm(spec: FormSpec, input: FormBase, body: (doc: Doc) => void): Promise<Uint8Array> {
  const issuedAt = parseInstant(input.issuedAt, 'issuedAt');
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    // No default font: pdfkit loads Helvetica through a runtime require that a Lambda bundle cannot satisfy.
    font: '',
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: `Mẫu số ${spec.number} - ${spec.title} - ${input.dossierCode}`,
      Subject: 'Thông tư 03/2025/TT-VPCP, Phụ lục I',
      Creator: 'motcua',
      Producer: 'motcua',
      // A fixed date also fixes the file ID pdfkit derives from it, so the same input gives the same bytes.
      CreationDate: issuedAt,
      ModDate: issuedAt,
    },
  });
  const bytes = collect(doc);
  const fonts = loadFonts();
  doc.registerFont(REGULAR, fonts.regular).registerFont(BOLD, fonts.bold);
  doc.font(REGULAR).fontSize(SIZE.body).lineGap(2);

  header(doc, spec, input, issuedAt);
  body(doc);
  trackingFooter(doc, spec, input);
  doc.end();
  return bytes;
}

function collect(doc: Doc): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
}

// Two columns as in every Vietnamese administrative document: issuing body left, national motto right.
function header(doc: Doc, spec: FormSpec, input: FormBase, issuedAt: Date): void {
  const { left, top } = doc.page.margins;
  const width = contentWidth(doc);
  const leftWidth = width * 0.45;
  const rightX = left + leftWidth + 8;
  const rightWidth = width - leftWidth - 8;

  doc.fontSize(SIZE.header);
  if (input.unit.parentName) {
    doc.font(REGULAR).text(upper(input.unit.parentName), left, top, { width: leftWidth, align: 'center' });
  }
  doc.font(BOLD).text(upper(input.unit.name), left, input.unit.parentName ? doc.y : top, {
    width: leftWidth,
    align: 'center',
  });
  centeredRule(doc, left + leftWidth / 2, doc.y + 2, leftWidth / 3);
  const leftBottom = doc.y;

  const motto = 'Độc lập - Tự do - Hạnh phúc';
  doc
    .font(BOLD)
    .text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightX, top, { width: rightWidth, align: 'center' });
  doc.fontSize(SIZE.body).text(motto, rightX, doc.y, { width: rightWidth, align: 'center' });
  centeredRule(doc, rightX + rightWidth / 2, doc.y + 2, doc.widthOfString(motto));
  const rightBottom = doc.y;

  const rowY = Math.max(leftBottom, rightBottom) + 12;
  const code = `Mã hồ sơ: ${input.dossierCode}`;
  doc.font(REGULAR).fontSize(fitFontSize(doc, code, leftWidth, SIZE.header));
  doc.text(code, left, rowY, { width: leftWidth, align: 'center' });
  doc.fontSize(SIZE.header).text(dateLine(input.unit.locality, issuedAt), rightX, rowY, {
    width: rightWidth,
    align: 'center',
    oblique: true,
  });

  doc.font(BOLD).fontSize(SIZE.title);
  doc.text(upper(spec.title), left, doc.y + 26, { width, align: 'center' });
  doc.font(REGULAR).fontSize(SIZE.body).moveDown(1);
  doc.x = left;
}

function partyFields(doc: Doc, lead: string, input: FormBase): void {
  const party: FormParty = input.applicant;
  field(doc, lead, party.fullName);
  if (party.idNumberMasked) field(doc, 'Số định danh cá nhân', maskIdNumber(party.idNumberMasked));
  if (party.address) field(doc, 'Địa chỉ', party.address);
  const contact = [
    party.phone && `Số điện thoại: ${party.phone}`,
    party.email && `Email: ${party.email}`,
  ].filter(Boolean);
  if (contact.length > 0) doc.font(REGULAR).text(contact.join('    '));
  field(doc, 'Nội dung yêu cầu giải quyết', `${input.procedure.name} (mã thủ tục ${input.procedure.code})`);
}

function field(doc: Doc, label: string, value: string): void {
  doc.font(REGULAR).text(`${label}: `, { continued: true }).font(BOLD).text(value).font(REGULAR);
}

function numberedFields(doc: Doc, first: number, entries: [string, string | undefined][]): void {
  let n = first;
  for (const [label, value] of entries) {
    if (value !== undefined) field(doc, `${n++}. ${label}`, value);
  }
}

function documentsTable(doc: Doc, documents: FormDocument[]): void {
  const head = (text: string) => ({ text, font: { src: BOLD }, align: 'center' as const });
  doc.moveDown(0.2).fontSize(SIZE.body - 0.5);
  doc.table({
    columnStyles: [{ width: 30, align: 'center' }, '*', { width: 120 }, { width: 60, align: 'center' }],
    defaultStyle: { border: 0.5, padding: 4, align: { x: 'left', y: 'center' } },
    data: [
      [head('TT'), head('Tên giấy tờ'), head('Hình thức'), head('Số lượng')],
      ...documents.map((d, i) => [String(i + 1), d.name, DOCUMENT_FORM_LABEL[d.form], String(d.copies)]),
    ],
  });
  doc.fontSize(SIZE.body).moveDown(0.5);
  doc.x = doc.page.margins.left;
}

// One row per hand-over; the heading row repeats on every page the table runs onto.
function handoffTable(doc: Doc, rows: ControlSlipRow[]): void {
  const head = [
    'TT',
    'Cơ quan, đơn vị giao, nhận hồ sơ',
    'Thời gian giao, nhận hồ sơ',
    'Kết quả (trước hạn, đúng hạn, quá hạn)',
    'Ghi chú',
  ];
  const body = rows.map((row, i) => [
    String(i + 1),
    `Giao: ${row.giver}\nNhận: ${row.receiver}`,
    formatDateTime(parseInstant(row.at, 'rows[].at')) +
      (row.dueAt ? `\n(hạn ${formatDateTime(parseInstant(row.dueAt, 'rows[].dueAt'))})` : ''),
    row.result ? HANDOFF_RESULT_LABEL[row.result] : '',
    row.note ?? '',
  ]);
  const fixed = [24, 112, 80, 80];
  const widths = [fixed[0]!, contentWidth(doc) - fixed.reduce((a, b) => a + b, 0), ...fixed.slice(1)];
  pagedTable(doc, widths, head, body, FOOTER_HEIGHT + 12);
}

const TABLE_PADDING = 4;
const TABLE_SIZE = SIZE.body - 1;

/**
 * A bordered table whose rows never split: a row that would cross the bottom margin starts a new page, under the
 * heading row again (pdfkit's own table moves such a row too, but leaves the heading behind). The last row keeps
 * `reserve` points below it, so what follows the table never sits alone on a page.
 */
function pagedTable(doc: Doc, widths: number[], head: string[], rows: string[][], reserve: number): void {
  const headCells = head.map((text) => ({ text, font: { src: BOLD }, align: 'center' as const }));
  const options = {
    columnStyles: widths.map((width, i) => ({ width, ...(i === 0 ? { align: 'center' as const } : {}) })),
    defaultStyle: {
      border: 0.5,
      padding: TABLE_PADDING,
      align: { x: 'left' as const, y: 'center' as const },
    },
  };
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const headHeight = rowHeight(doc, widths, head, BOLD);
  const heights = rows.map((row) => rowHeight(doc, widths, row, REGULAR));
  const needs = (i: number) => (heights[i] ?? 0) + (i >= rows.length - 1 ? reserve : 0);
  doc.moveDown(0.2);
  // A heading never sits alone at the foot of a page.
  if (doc.y + headHeight + needs(0) > bottom()) doc.addPage();
  let y = doc.y + headHeight;
  let pending: string[][] = [];
  const flush = () => {
    doc.fontSize(TABLE_SIZE).table({ ...options, data: [headCells, ...pending] });
    pending = [];
  };
  rows.forEach((row, i) => {
    if (pending.length > 0 && y + needs(i) > bottom()) {
      flush();
      doc.addPage();
      y = doc.y + headHeight;
    }
    pending.push(row);
    y += heights[i]!;
  });
  flush();
  doc.fontSize(SIZE.body).moveDown(0.5);
  doc.x = doc.page.margins.left;
}

// The height pdfkit gives a row: its tallest cell, plus padding; rounded up so an estimate never falls short.
function rowHeight(doc: Doc, widths: number[], cells: string[], font: string): number {
  doc.font(font).fontSize(TABLE_SIZE);
  const tallest = Math.max(
    ...cells.map((text, i) => doc.heightOfString(text || ' ', { width: widths[i]! - 2 * TABLE_PADDING })),
  );
  doc.font(REGULAR);
  return Math.ceil(tallest + 2 * TABLE_PADDING) + 1;
}

function signatures(doc: Doc, blocks: { role: string; name: string }[]): void {
  const { left } = doc.page.margins;
  const columnWidth = contentWidth(doc) / 2;
  // Signers and the tracking footer share the last page, so a footer never sits alone on a page.
  ensureSpace(doc, SIGNATURE_HEIGHT + FOOTER_HEIGHT);
  const top = doc.y + 18;
  blocks.forEach((block, i) => {
    // A single signer signs on the right, as on the paper forms.
    const x = left + columnWidth * (blocks.length === 1 ? 1 : i);
    doc.font(BOLD).fontSize(SIZE.body).text(block.role, x, top, { width: columnWidth, align: 'center' });
    doc.font(REGULAR).fontSize(SIZE.small);
    doc.text('(Ký và ghi rõ họ tên)', x, doc.y, { width: columnWidth, align: 'center', oblique: true });
    // The unit's head may sign by hand on a form the workflow issued: the line is left for them.
    if (block.name) {
      doc
        .font(BOLD)
        .fontSize(SIZE.body)
        .text(block.name, x, doc.y + 52, { width: columnWidth, align: 'center' });
    }
  });
  doc.font(REGULAR).fontSize(SIZE.body);
  doc.x = left;
}

// The QR code and lookup key let a citizen follow the dossier without an account.
function trackingFooter(doc: Doc, spec: FormSpec, input: FormBase): void {
  const { left } = doc.page.margins;
  ensureSpace(doc, FOOTER_HEIGHT);
  const top = doc.page.height - doc.page.margins.bottom - QR_SIZE;
  doc
    .moveTo(left, top - 10)
    .lineTo(left + contentWidth(doc), top - 10)
    .lineWidth(0.5)
    .strokeColor('#999999')
    .stroke();
  drawQr(doc, input.trackingUrl, left, top, QR_SIZE);

  const textX = left + QR_SIZE + 16;
  const textWidth = contentWidth(doc) - QR_SIZE - 16;
  doc.font(REGULAR).fontSize(SIZE.small).fillColor('black');
  doc.text('Tra cứu tình trạng hồ sơ: quét mã QR hoặc truy cập', textX, top + 4, { width: textWidth });
  doc.text(input.trackingUrl, { width: textWidth, link: input.trackingUrl, underline: true });
  doc.moveDown(0.3).text('Mã tra cứu: ', { continued: true }).font(BOLD).text(input.lookupKey);
  doc.font(REGULAR).fillColor('#555555').moveDown(0.3);
  doc.text(`Mẫu số ${spec.number}, Phụ lục I, Thông tư số 03/2025/TT-VPCP`, { width: textWidth });
  doc.fillColor('black');
}

// Vector squares instead of a PNG: smaller, sharp at any zoom, and no canvas dependency. The e-receipt draws its own
// with this too.
export function drawQr(doc: Doc, text: string, x: number, y: number, size: number): void {
  const { modules } = createQr(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const cell = size / n;
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!modules.data[row * n + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && modules.data[row * n + col]) col++;
      doc.rect(x + start * cell, y + row * cell, (col - start) * cell, cell);
    }
  }
  doc.fillColor('black').fill();
}

function centeredRule(doc: Doc, centerX: number, y: number, width: number): void {
  doc
    .moveTo(centerX - width / 2, y)
    .lineTo(centerX + width / 2, y)
    .lineWidth(0.6)
    .strokeColor('black')
    .stroke();
  doc.y = y + 2;
}

// pdfkit's indent option moves only the first line; a block indent needs its own column.
function indentedText(doc: Doc, by: number, text: string, options: PDFKit.Mixins.TextOptions = {}): void {
  const { left } = doc.page.margins;
  doc.text(text, left + by, doc.y, { width: contentWidth(doc) - by, ...options });
  doc.x = left;
}

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function fitFontSize(doc: Doc, text: string, width: number, max: number): number {
  const natural = doc.fontSize(max).widthOfString(text);
  return natural <= width ? max : Math.floor(((max * width) / natural) * 10) / 10;
}

function upper(text: string): string {
  return text.toLocaleUpperCase('vi');
}

// --- formatting (exported for tests) ---

const LOCAL_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function localParts(instant: Date): Record<'day' | 'month' | 'year' | 'hour' | 'minute', string> {
  const parts = Object.fromEntries(LOCAL_PARTS.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    day: parts.day ?? '',
    month: parts.month ?? '',
    year: parts.year ?? '',
    hour: parts.hour ?? '',
    minute: parts.minute ?? '',
  };
}

export function parseInstant(iso: string, name: string): Date {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`${name} is not an ISO instant: ${iso}`);
  return date;
}

/** `HH:mm ngày dd/mm/yyyy` in Hanoi time. */
export function formatDateTime(instant: Date): string {
  const p = localParts(instant);
  return `${p.hour}:${p.minute} ngày ${p.day}/${p.month}/${p.year}`;
}

/** `YYYY-MM-DD` (a calendar day, no time zone) to `dd/mm/yyyy`. */
export function formatDay(day: string, name: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new RangeError(`${name} is not a YYYY-MM-DD day: ${day}`);
  return `${match[3]}/${match[2]}/${match[1]}`;
}

// Decree 30/2020 writes days below 10 and months 1–2 with a leading zero, other months without.
export function dateLine(locality: string | undefined, instant: Date): string {
  const p = localParts(instant);
  const month = Number(p.month) <= 2 ? p.month : String(Number(p.month));
  const date = `ngày ${p.day} tháng ${month} năm ${p.year}`;
  return locality ? `${locality}, ${date}` : date.charAt(0).toUpperCase() + date.slice(1);
}

export function formatVnd(amount: number): string {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`not a VND amount: ${amount}`);
  return `${String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} đồng`;
}

function feesText(amount: number): string {
  return amount === 0 ? 'Không thu phí, lệ phí' : formatVnd(amount);
}

function workingDaysText(days: number | undefined): string | undefined {
  if (days === undefined) return undefined;
  return days === 0 ? 'trong ngày' : `${String(days).padStart(2, '0')} ngày làm việc`;
}

/** Masks again any run of 9+ digits, so a caller that forgot to mask never prints a whole ID number. */
export function maskIdNumber(value: string): string {
  return value.replace(/\d{9,}/g, (run) => `${run.slice(0, 4)}${'*'.repeat(run.length - 6)}${run.slice(-2)}`);
}
