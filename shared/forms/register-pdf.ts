// Renders form 07 of Circular 03/2025/TT-VPCP Appendix I, the dossier register (sổ theo dõi hồ sơ), as a landscape A4
// table with the forms' embedded Vietnamese fonts; the heading row repeats on every page. Loaded only for `format=pdf`.
import PDFDocument from 'pdfkit';
import { loadFonts } from './fonts';
import { dateLine, formatDateTime, formatDay, parseInstant } from './render';

export { formatDateTime, formatDay, parseInstant };

export interface RegisterPdfInput {
  unit: { code: string; name: string; parentName?: string; locality?: string };
  /** `<unit>/<year>` */
  book: string;
  /** YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
  /** ISO instant: the date line and the PDF CreationDate (the same input gives the same bytes). */
  issuedAt: string;
  columns: readonly string[];
  /** Cells already as printed. */
  rows: readonly (readonly (string | number)[])[];
}

type Doc = PDFKit.PDFDocument;

const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';
const MARGINS = { top: 36, bottom: 36, left: 36, right: 30 };
const TABLE_SIZE = 7.5;
const PADDING = 3;
// STT, code, content, sets, name, address/phone, received, due, returned, giver, receiver: the notes take the rest.
const FIXED_WIDTHS = [24, 92, 112, 30, 70, 92, 52, 46, 52, 58, 64];

export function renderRegister(input: RegisterPdfInput): Promise<Uint8Array> {
  const issuedAt = parseInstant(input.issuedAt, 'issuedAt');
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: MARGINS,
    // No default font: pdfkit loads Helvetica through a runtime require that a Lambda bundle cannot satisfy.
    font: '',
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: `Mẫu số 07 - Sổ theo dõi hồ sơ - ${input.book} - ${input.from} đến ${input.to}`,
      Subject: 'Thông tư 03/2025/TT-VPCP, Phụ lục I',
      Creator: 'motcua',
      Producer: 'motcua',
      CreationDate: issuedAt,
      ModDate: issuedAt,
    },
  });
  const bytes = collect(doc);
  const fonts = loadFonts();
  doc.registerFont(REGULAR, fonts.regular).registerFont(BOLD, fonts.bold);
  doc.font(REGULAR).fontSize(10).lineGap(1);
  header(doc, input, issuedAt);
  table(
    doc,
    input.columns,
    input.rows.map((row) => row.map(String)),
  );
  doc
    .font(REGULAR)
    .fontSize(7.5)
    .fillColor('#555555')
    .text('Mẫu số 07, Phụ lục I, Thông tư số 03/2025/TT-VPCP', MARGINS.left, doc.y + 6)
    .fillColor('black');
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

function header(doc: Doc, input: RegisterPdfInput, issuedAt: Date): void {
  const { left, top } = doc.page.margins;
  const width = contentWidth(doc);
  const half = width / 2;
  const upper = (text: string) => text.toLocaleUpperCase('vi');
  doc.fontSize(9.5);
  if (input.unit.parentName)
    doc.font(REGULAR).text(upper(input.unit.parentName), left, top, { width: half, align: 'center' });
  doc.font(BOLD).text(upper(input.unit.name), left, input.unit.parentName ? doc.y : top, {
    width: half,
    align: 'center',
  });
  const leftBottom = doc.y;
  doc
    .font(BOLD)
    .text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', left + half, top, { width: half, align: 'center' });
  doc.text('Độc lập - Tự do - Hạnh phúc', left + half, doc.y, { width: half, align: 'center' });
  doc.font(REGULAR).text(dateLine(input.unit.locality, issuedAt), left + half, doc.y + 4, {
    width: half,
    align: 'center',
    oblique: true,
  });
  const y = Math.max(leftBottom, doc.y) + 12;
  doc.font(BOLD).fontSize(14).text('SỔ THEO DÕI HỒ SƠ', left, y, { width, align: 'center' });
  doc
    .font(REGULAR)
    .fontSize(10)
    .text(
      `Đơn vị: ${input.unit.name} (${input.unit.code})    Sổ: ${input.book}    ` +
        `Từ ngày ${formatDay(input.from, 'from')} đến ngày ${formatDay(input.to, 'to')}`,
      left,
      doc.y + 2,
      { width, align: 'center' },
    );
  doc.moveDown(0.6);
  doc.x = left;
}

/** Rows never split across pages; a row that would cross the bottom margin starts a page under the heading again. */
function table(doc: Doc, columns: readonly string[], rows: string[][]): void {
  const notes = contentWidth(doc) - FIXED_WIDTHS.reduce((a, b) => a + b, 0);
  const widths = [...FIXED_WIDTHS, notes].slice(0, columns.length);
  const headCells = columns.map((text) => ({ text, font: { src: BOLD }, align: 'center' as const }));
  const options = {
    columnStyles: widths.map((width, i) => ({
      width,
      ...(i === 0 || i === 3 ? { align: 'center' as const } : {}),
    })),
    defaultStyle: { border: 0.5, padding: PADDING, align: { x: 'left' as const, y: 'center' as const } },
  };
  const bottom = () => doc.page.height - doc.page.margins.bottom - 14;
  const heightOf = (cells: readonly string[], font: string) => {
    doc.font(font).fontSize(TABLE_SIZE);
    const tallest = Math.max(
      ...cells.map((t, i) => doc.heightOfString(t || ' ', { width: widths[i]! - 2 * PADDING })),
    );
    return Math.ceil(tallest + 2 * PADDING) + 1;
  };
  const headHeight = heightOf([...columns], BOLD);
  let y = doc.y + headHeight;
  let pending: string[][] = [];
  const flush = () => {
    doc.fontSize(TABLE_SIZE).table({ ...options, data: [headCells, ...pending] });
    pending = [];
  };
  for (const row of rows) {
    const height = heightOf(row, REGULAR);
    if (pending.length > 0 && y + height > bottom()) {
      flush();
      doc.addPage();
      y = doc.y + headHeight;
    }
    pending.push(row);
    y += height;
  }
  // An empty period still prints the heading, and says so.
  if (rows.length === 0)
    pending.push(columns.map((_, i) => (i === 2 ? 'Không có hồ sơ tiếp nhận trong kỳ' : '')));
  flush();
  doc.font(REGULAR).fontSize(10);
  doc.x = doc.page.margins.left;
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}
