// Prints an e-receipt for fees and charges (biên lai điện tử thu phí, lệ phí) as an A4 PDF: the human-readable copy
// of a receipt whose data was validated by buildReceiptData (shared/domain/receipts.ts). The legal receipt is the
// signed data; this copy says so and carries a QR code to where its signature can be checked.
import PDFDocument from 'pdfkit';
import {
  assertReceiptData,
  formatReceiptNumber,
  maskPayerId,
  RECEIPT_TITLE,
  type ReceiptData,
  type ReceiptPayment,
} from '../domain/receipts';
import { type FontBytes, loadFonts } from './fonts';
import { dateLine, drawQr, formatDateTime, formatVnd } from './render';

type Doc = PDFKit.PDFDocument;

const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';
const SIZE = { small: 8.5, header: 10, body: 10.5, title: 14 };
const MARGINS = { top: 48, bottom: 44, left: 62, right: 48 };
const QR_SIZE = 84;
const FOOTER_HEIGHT = QR_SIZE + 26;
const SIGNATURE_HEIGHT = 70;
const LEGAL_BASIS = 'Nghị định số 123/2020/NĐ-CP, được sửa đổi, bổ sung bởi Nghị định số 70/2025/NĐ-CP';

/**
 * The receipt as PDF bytes. The same data gives the same bytes: the creation date is the issue instant, and pdfkit
 * derives the file ID from the metadata. The payer's ID number is printed with all but its last 4 characters starred.
 */
export async function renderEReceipt(data: ReceiptData, fonts: FontBytes = loadFonts()): Promise<Uint8Array> {
  const receipt = assertReceiptData(data);
  const issuedAt = new Date(receipt.issuedAt);
  const number = formatReceiptNumber(receipt.receiptNumber.number);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    // No default font: pdfkit loads Helvetica through a runtime require that a Lambda bundle cannot satisfy.
    font: '',
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: `${RECEIPT_TITLE} - ${receipt.receiptNumber.series} - Số ${number}`,
      Subject: `${LEGAL_BASIS}; hồ sơ ${receipt.dossierCode}`,
      Creator: 'motcua',
      Producer: 'motcua',
      CreationDate: issuedAt,
      ModDate: issuedAt,
    },
  });
  const bytes = collect(doc);
  doc.registerFont(REGULAR, fonts.regular).registerFont(BOLD, fonts.bold);
  doc.font(REGULAR).fontSize(SIZE.body).lineGap(2);

  header(doc, receipt, number);
  title(doc, issuedAt);
  payerFields(doc, receipt);
  itemsTable(doc, receipt);
  field(doc, 'Tổng số tiền', formatVnd(receipt.totalVnd));
  field(doc, 'Số tiền bằng chữ', receipt.amountInWords);
  signature(doc, receipt);
  verificationFooter(doc, receipt);
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

// The collector on the left; on the right the three symbols that identify the receipt (Decree 123/2020 Art. 32).
function header(doc: Doc, receipt: ReceiptData, number: string): void {
  const { left, top } = doc.page.margins;
  const width = contentWidth(doc);
  const leftWidth = width * 0.58;
  const rightX = left + leftWidth + 12;
  const rightWidth = width - leftWidth - 12;

  doc.font(BOLD).fontSize(SIZE.header).text(upper(receipt.collector.name), left, top, { width: leftWidth });
  doc.font(REGULAR).text(`Mã số thuế: ${receipt.collector.taxCode}`, { width: leftWidth });
  doc.text(`Địa chỉ: ${receipt.collector.address}`, { width: leftWidth });
  const leftBottom = doc.y;

  doc.text(`Ký hiệu mẫu: ${receipt.receiptNumber.templateSymbol}`, rightX, top, { width: rightWidth });
  doc.text(`Ký hiệu: ${receipt.receiptNumber.series}`, { width: rightWidth });
  doc.text('Số: ', { width: rightWidth, continued: true }).font(BOLD).text(number).font(REGULAR);
  doc.y = Math.max(leftBottom, doc.y);
  doc.x = left;
}

function title(doc: Doc, issuedAt: Date): void {
  const { left } = doc.page.margins;
  const width = contentWidth(doc);
  doc
    .font(BOLD)
    .fontSize(SIZE.title)
    .text(upper(RECEIPT_TITLE), left, doc.y + 22, { width, align: 'center' });
  doc.font(REGULAR).fontSize(SIZE.header);
  doc.text('(Bản thể hiện của biên lai điện tử)', { width, align: 'center', oblique: true });
  doc.text(dateLine(undefined, issuedAt), { width, align: 'center', oblique: true });
  doc.fontSize(SIZE.body).moveDown(1);
  doc.x = left;
}

function payerFields(doc: Doc, receipt: ReceiptData): void {
  const { payer } = receipt;
  field(doc, 'Tên người nộp', payer.name);
  if (payer.idNumber) field(doc, 'Số định danh cá nhân', maskPayerId(payer.idNumber));
  if (payer.address) field(doc, 'Địa chỉ', payer.address);
  field(doc, 'Mã hồ sơ', receipt.dossierCode);
  field(doc, 'Hình thức thanh toán', paymentText(receipt.payment));
  field(doc, 'Thời điểm thanh toán', formatDateTime(new Date(receipt.paidAt)));
}

function paymentText(payment: ReceiptPayment): string {
  return `Trực tuyến qua ${payment.provider}, mã giao dịch ${payment.providerTransactionNo}`;
}

function itemsTable(doc: Doc, receipt: ReceiptData): void {
  const head = (text: string) => ({ text, font: { src: BOLD }, align: 'center' as const });
  const bold = (text: string, x: 'left' | 'right') => ({
    text,
    font: { src: BOLD },
    align: { x, y: 'center' as const },
  });
  doc.moveDown(0.4).fontSize(SIZE.body - 0.5);
  doc.table({
    columnStyles: [{ width: 34, align: 'center' }, '*', { width: 120, align: { x: 'right', y: 'center' } }],
    defaultStyle: { border: 0.5, padding: 5, align: { x: 'left', y: 'center' } },
    data: [
      [head('STT'), head('Tên loại phí, lệ phí'), head('Số tiền (đồng)')],
      ...receipt.items.map((item, i) => [String(i + 1), item.name, groupThousands(item.amountVnd)]),
      ['', bold('Tổng cộng', 'left'), bold(groupThousands(receipt.totalVnd), 'right')],
    ],
  });
  doc.fontSize(SIZE.body).moveDown(0.6);
  doc.x = doc.page.margins.left;
}

function signature(doc: Doc, receipt: ReceiptData): void {
  const { left } = doc.page.margins;
  const columnWidth = contentWidth(doc) / 2;
  // The signer and the verification footer share the last page, so the footer never sits alone on a page.
  ensureSpace(doc, SIGNATURE_HEIGHT + FOOTER_HEIGHT);
  const x = left + columnWidth;
  doc
    .font(BOLD)
    .fontSize(SIZE.body)
    .text('ĐƠN VỊ THU', x, doc.y + 14, { width: columnWidth, align: 'center' });
  doc.font(REGULAR).fontSize(SIZE.small);
  doc.text(`Chữ ký số: ${receipt.collector.name}`, x, doc.y + 4, { width: columnWidth, align: 'center' });
  doc.text(`Thời điểm ký: ${formatDateTime(new Date(receipt.issuedAt))}`, {
    width: columnWidth,
    align: 'center',
  });
  doc.font(REGULAR).fontSize(SIZE.body);
  doc.x = left;
}

// The QR code lets anyone check the receipt and its digital signature at the collector's verification page.
function verificationFooter(doc: Doc, receipt: ReceiptData): void {
  const { left } = doc.page.margins;
  ensureSpace(doc, FOOTER_HEIGHT);
  const top = doc.page.height - doc.page.margins.bottom - QR_SIZE;
  doc
    .moveTo(left, top - 10)
    .lineTo(left + contentWidth(doc), top - 10)
    .lineWidth(0.5)
    .strokeColor('#999999')
    .stroke();
  drawQr(doc, receipt.verificationUrl, left, top, QR_SIZE);

  const textX = left + QR_SIZE + 16;
  const textWidth = contentWidth(doc) - QR_SIZE - 16;
  doc.font(REGULAR).fontSize(SIZE.small).fillColor('black');
  doc.text('Tra cứu biên lai và kiểm tra chữ ký số: quét mã QR hoặc truy cập', textX, top + 4, {
    width: textWidth,
  });
  doc.text(receipt.verificationUrl, { width: textWidth, link: receipt.verificationUrl, underline: true });
  doc.fillColor('#555555').moveDown(0.3);
  doc.text(`Biên lai điện tử theo ${LEGAL_BASIS}.`, { width: textWidth });
  doc.fillColor('black');
}

function field(doc: Doc, label: string, value: string): void {
  doc.font(REGULAR).text(`${label}: `, { continued: true }).font(BOLD).text(value).font(REGULAR);
}

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function upper(text: string): string {
  return text.toLocaleUpperCase('vi');
}

/** 1250000 → `1.250.000`, the Vietnamese thousands separator. */
function groupThousands(amount: number): string {
  return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}
