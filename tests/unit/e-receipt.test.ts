// E-receipts for fees (Decree 123/2020 Art. 32 as amended by Decree 70/2025): amounts in words, the yearly numbering
// in Vietnam time, the validated content, and the PDF that carries it with a verification QR code.

import { inflateSync } from 'node:zlib';
import { create as createQr } from 'qrcode/lib/core/qrcode.js';
import { extractLinks, extractText, getDocumentProxy, getMeta } from 'unpdf';
import { describe, expect, it } from 'vitest';
import {
  assertReceiptData,
  buildReceiptData,
  formatReceiptNumber,
  maskPayerId,
  nextReceiptNumber,
  RECEIPT_NUMBER_MAX,
  type ReceiptBook,
  type ReceiptInput,
  type ReceiptNumber,
  receiptCounterKey,
  receiptSeries,
  receiptYear,
} from '../../shared/domain/receipts';
import { vndInWords } from '../../shared/domain/vnd-words';
import { renderEReceipt } from '../../shared/forms/e-receipt';

// 010123456 with its check digit (weights 31, 29, 23, 19, 17, 13, 7, 5, 3): a valid tax code.
const TAX_CODE = '0101234565';
const FULL_ID = '001090012345';
const BOOK: ReceiptBook = { templateSymbol: '01BLP0-001', seriesLetters: 'BL' };
const VERIFY_URL = 'https://dichvucong.hanoi.gov.vn/bien-lai/tra-cuu?ky-hieu=BL-26E&so=0000042&k=K7Q2-9XMP';

const input: ReceiptInput = {
  receiptNumber: { templateSymbol: '01BLP0-001', series: 'BL-26E', year: 2026, number: 42 },
  issuedAt: '2026-11-27T02:20:00Z',
  collector: {
    name: 'Trung tâm Phục vụ hành chính công thành phố Hà Nội',
    taxCode: TAX_CODE,
    address: 'Số 258 phố Võ Chí Công, phường Phú Thượng, thành phố Hà Nội',
  },
  payer: {
    name: 'Nguyễn Thị Hương',
    idNumber: FULL_ID,
    address: 'Số 5 ngõ 12 phố Đội Cấn, phường Ba Đình',
  },
  dossierCode: '000.00.01.H26-261127-0042',
  items: [
    { feeId: 'le-phi-trich-luc', name: 'Lệ phí cấp bản sao trích lục hộ tịch', amountVnd: 250_000 },
    { feeId: 'phi-tham-dinh', name: 'Phí thẩm định hồ sơ', amountVnd: 1_000_000 },
  ],
  totalVnd: 1_250_000,
  paidAt: '2026-11-27T02:15:00Z',
  payment: { method: 'online', provider: 'VNPay', providerTransactionNo: '14123456' },
  verificationUrl: VERIFY_URL,
};

const number = (year: number, n: number): ReceiptNumber => ({
  templateSymbol: '01BLP0-001',
  series: receiptSeries('BL', year),
  year,
  number: n,
});

describe('vndInWords', () => {
  it.each([
    [0, 'Không đồng'],
    [1, 'Một đồng'],
    [5, 'Năm đồng'],
    [10, 'Mười đồng'],
    [11, 'Mười một đồng'],
    [14, 'Mười bốn đồng'],
    [15, 'Mười lăm đồng'],
    [20, 'Hai mươi đồng'],
    [21, 'Hai mươi mốt đồng'],
    [24, 'Hai mươi tư đồng'],
    [25, 'Hai mươi lăm đồng'],
    [55, 'Năm mươi lăm đồng'],
    [91, 'Chín mươi mốt đồng'],
    [100, 'Một trăm đồng'],
    [101, 'Một trăm linh một đồng'],
    [104, 'Một trăm linh bốn đồng'],
    [105, 'Một trăm linh năm đồng'],
    [110, 'Một trăm mười đồng'],
    [115, 'Một trăm mười lăm đồng'],
    [999, 'Chín trăm chín mươi chín đồng'],
    [1_000, 'Một nghìn đồng'],
    [1_001, 'Một nghìn không trăm linh một đồng'],
    [1_010, 'Một nghìn không trăm mười đồng'],
    [1_100, 'Một nghìn một trăm đồng'],
    [8_000, 'Tám nghìn đồng'],
    [15_000, 'Mười lăm nghìn đồng'],
    [21_000, 'Hai mươi mốt nghìn đồng'],
    [100_000, 'Một trăm nghìn đồng'],
    [250_000, 'Hai trăm năm mươi nghìn đồng'],
    [1_000_000, 'Một triệu đồng'],
    [1_005_000, 'Một triệu không trăm linh năm nghìn đồng'],
    [1_250_000, 'Một triệu hai trăm năm mươi nghìn đồng'],
    [3_050_000, 'Ba triệu không trăm năm mươi nghìn đồng'],
    [1_000_005, 'Một triệu không trăm linh năm đồng'],
    [10_000_000, 'Mười triệu đồng'],
    [1_000_000_000, 'Một tỷ đồng'],
    [1_000_250_000, 'Một tỷ hai trăm năm mươi nghìn đồng'],
    [1_000_000_005, 'Một tỷ không trăm linh năm đồng'],
    [2_000_000_000_000, 'Hai nghìn tỷ đồng'],
    [1_000_000_000_000_000, 'Một triệu tỷ đồng'],
    [
      1_234_567_891_011,
      'Một nghìn hai trăm ba mươi tư tỷ năm trăm sáu mươi bảy triệu tám trăm chín mươi mốt nghìn ' +
        'không trăm mười một đồng',
    ],
    [
      Number.MAX_SAFE_INTEGER,
      'Chín triệu không trăm linh bảy nghìn một trăm chín mươi chín tỷ hai trăm năm mươi tư triệu ' +
        'bảy trăm bốn mươi nghìn chín trăm chín mươi mốt đồng',
    ],
  ])('reads %d as "%s"', (amount, words) => {
    expect(vndInWords(amount)).toBe(words);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])(
    'refuses %d with a RangeError',
    (amount) => {
      expect(() => vndInWords(amount)).toThrow(RangeError);
    },
  );
});

describe('receipt symbols', () => {
  it('puts the two last digits of the year and E after the series letters', () => {
    expect(receiptSeries('BL', 2026)).toBe('BL-26E');
    expect(receiptSeries('AA', 2030)).toBe('AA-30E');
  });

  it('refuses series letters that are not two capitals', () => {
    expect(() => receiptSeries('bl', 2026)).toThrow(RangeError);
    expect(() => receiptSeries('BLX', 2026)).toThrow(RangeError);
  });

  it('prints a receipt number as 7 digits and refuses one outside 1..9 999 999', () => {
    expect(formatReceiptNumber(42)).toBe('0000042');
    expect(formatReceiptNumber(RECEIPT_NUMBER_MAX)).toBe('9999999');
    expect(() => formatReceiptNumber(0)).toThrow(RangeError);
    expect(() => formatReceiptNumber(10_000_000)).toThrow(RangeError);
    expect(() => formatReceiptNumber(1.5)).toThrow(RangeError);
  });

  it('shows only the last 4 characters of the payer ID', () => {
    expect(maskPayerId(FULL_ID)).toBe('********2345');
    expect(maskPayerId('B1234567')).toBe('****4567');
    expect(maskPayerId('123')).toBe('***');
  });
});

describe('receiptYear', () => {
  it('counts the year in Vietnam time: 17:00Z on 31 December is already the next year', () => {
    expect(receiptYear(new Date('2026-12-31T16:59:59.999Z'))).toBe(2026);
    expect(receiptYear(new Date('2026-12-31T17:00:00Z'))).toBe(2027);
    expect(receiptYear(new Date('2027-01-01T00:30:00+07:00'))).toBe(2027);
  });
});

describe('receiptCounterKey', () => {
  it('keys one counter per collector, series and year', () => {
    expect(receiptCounterKey(TAX_CODE, 'BL-26E', 2026)).toBe(`RECEIPT_COUNTER#${TAX_CODE}#BL-26E#2026`);
    expect(receiptCounterKey(TAX_CODE, 'BL-27E', 2027)).not.toBe(receiptCounterKey(TAX_CODE, 'BL-26E', 2026));
    expect(receiptCounterKey('0101234565-001', 'BL-26E', 2026)).not.toBe(
      receiptCounterKey(TAX_CODE, 'BL-26E', 2026),
    );
  });

  it('refuses a tax code that fails its check digit', () => {
    expect(() => receiptCounterKey('0101234566', 'BL-26E', 2026)).toThrow(/tax code/);
  });

  it('refuses a series that does not carry the year', () => {
    expect(() => receiptCounterKey(TAX_CODE, 'BL-26E', 2027)).toThrow(/not a series of 2027/);
  });
});

describe('nextReceiptNumber', () => {
  it('gives the first receipt of a book number 1 in the series of the year of issue', () => {
    expect(nextReceiptNumber(undefined, new Date('2026-03-02T03:00:00Z'), BOOK)).toEqual(number(2026, 1));
  });

  it('follows the previous number within a year', () => {
    expect(nextReceiptNumber(number(2026, 41), new Date('2026-11-27T02:20:00Z'), BOOK)).toEqual(
      number(2026, 42),
    );
  });

  it('keeps counting until 17:00Z on 31 December, Vietnam’s midnight', () => {
    const next = nextReceiptNumber(number(2026, 1234), new Date('2026-12-31T16:59:59Z'), BOOK);

    expect(next).toEqual(number(2026, 1235));
  });

  it('restarts at 1 in the new year’s series from 2026-12-31T17:00Z', () => {
    const next = nextReceiptNumber(number(2026, 1234), new Date('2026-12-31T17:00:00Z'), BOOK);

    expect(next).toEqual({ templateSymbol: '01BLP0-001', series: 'BL-27E', year: 2027, number: 1 });
  });

  it('neither repeats nor skips a number across a new year', () => {
    const start = Date.parse('2026-12-31T16:00:00Z');
    let previous: ReceiptNumber | undefined;
    const issued: ReceiptNumber[] = [];
    // One receipt a minute for two hours: an hour on each side of midnight in Vietnam.
    for (let minute = 0; minute < 120; minute++) {
      previous = nextReceiptNumber(previous, new Date(start + minute * 60_000), BOOK);
      issued.push(previous);
    }
    const of2026 = issued.filter((n) => n.year === 2026).map((n) => n.number);
    const of2027 = issued.filter((n) => n.year === 2027).map((n) => n.number);

    expect(of2026).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(of2027).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(new Set(issued.filter((n) => n.year === 2027).map((n) => n.series))).toEqual(new Set(['BL-27E']));
  });

  it('refuses to number when the last receipt is from a later year than the issue instant', () => {
    expect(() => nextReceiptNumber(number(2027, 3), new Date('2026-12-31T16:00:00Z'), BOOK)).toThrow(
      /later than the issue instant/,
    );
  });

  it('refuses a previous receipt of another book', () => {
    const other = { ...number(2026, 7), series: 'AA-26E' };
    expect(() => nextReceiptNumber(other, new Date('2026-06-01T03:00:00Z'), BOOK)).toThrow(
      /not of this book/,
    );
    const otherTemplate = { ...number(2026, 7), templateSymbol: '01BLP0-002' };
    expect(() => nextReceiptNumber(otherTemplate, new Date('2026-06-01T03:00:00Z'), BOOK)).toThrow(
      /not of this book/,
    );
  });

  it('refuses to go past 9 999 999 in a year', () => {
    expect(() =>
      nextReceiptNumber(number(2026, RECEIPT_NUMBER_MAX), new Date('2026-06-01T03:00:00Z'), BOOK),
    ).toThrow(/last number/);
  });

  it('refuses a book whose template symbol is not of the registered shape', () => {
    expect(() =>
      nextReceiptNumber(undefined, new Date('2026-06-01T03:00:00Z'), { ...BOOK, templateSymbol: 'BLP-1' }),
    ).toThrow(/template symbol/);
  });
});

describe('buildReceiptData', () => {
  it('writes the total in words', () => {
    const data = buildReceiptData(input);

    expect(data.amountInWords).toBe('Một triệu hai trăm năm mươi nghìn đồng');
    expect(data.totalVnd).toBe(1_250_000);
  });

  it('refuses a total that is not the sum of the items', () => {
    expect(() => buildReceiptData({ ...input, totalVnd: 1_200_000 })).toThrow(
      /totalVnd 1200000 is not the sum of the items \(1250000\)/,
    );
  });

  it('refuses the same fee twice', () => {
    const items = [input.items[0]!, input.items[0]!];
    expect(() => buildReceiptData({ ...input, items, totalVnd: 500_000 })).toThrow(/appears more than once/);
  });

  it('refuses a receipt with no items or a zero item', () => {
    expect(() => buildReceiptData({ ...input, items: [], totalVnd: 1 })).toThrow(/items/);
    const zero = [{ ...input.items[0]!, amountVnd: 0 }];
    expect(() => buildReceiptData({ ...input, items: zero, totalVnd: 0 })).toThrow(/amountVnd/);
  });

  it('refuses a number whose year is not the Vietnam year of issue', () => {
    // 00:30 on 1 January 2027 in Hanoi: a 2026 number would be wrong.
    const late = { ...input, issuedAt: '2026-12-31T17:30:00Z', paidAt: '2026-12-31T17:25:00Z' };
    expect(() => buildReceiptData(late)).toThrow(/not the year of issue in Vietnam \(2027\)/);
  });

  it('refuses a series that does not carry the number’s year', () => {
    const receiptNumber = { ...input.receiptNumber, series: 'BL-25E' };
    expect(() => buildReceiptData({ ...input, receiptNumber })).toThrow(/receiptNumber\.series/);
  });

  it('refuses a payment made well after the receipt was issued', () => {
    expect(() => buildReceiptData({ ...input, paidAt: '2026-11-27T03:00:00Z' })).toThrow(/paidAt/);
  });

  it('refuses a collector tax code that fails its check digit', () => {
    const collector = { ...input.collector, taxCode: '0101234566' };
    expect(() => buildReceiptData({ ...input, collector })).toThrow(/collector\.taxCode/);
  });

  it('wants an https verification URL, allowing http only on a loopback host', () => {
    expect(() => buildReceiptData({ ...input, verificationUrl: 'http://dichvucong.hanoi.gov.vn/x' })).toThrow(
      /https/,
    );
    expect(
      buildReceiptData({ ...input, verificationUrl: 'http://localhost:3000/bien-lai/1' }).verificationUrl,
    ).toBe('http://localhost:3000/bien-lai/1');
  });

  it('refuses stored data whose amount in words was altered', () => {
    const data = buildReceiptData(input);
    expect(() => assertReceiptData({ ...data, amountInWords: 'Một triệu đồng' })).toThrow(/amountInWords/);
  });
});

// pdf.js takes ownership of the buffer it reads, so each read gets its own copy.
async function textOf(pdf: Uint8Array): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(pdf.slice()), { mergePages: true });
  return text;
}

/**
 * The QR code as drawn: every `x y w h re` of the page content streams, the runs of dark modules, turned back into
 * a module matrix. Its rectangles are the only ones all of one height (a module), so that height picks them out.
 */
function qrMatrixOf(pdf: Uint8Array): boolean[][] {
  const raw = Buffer.from(pdf);
  const latin = raw.toString('latin1');
  const rects: number[][] = [];
  for (const match of latin.matchAll(/\/FlateDecode[^>]*>>\s*stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const content = inflateSync(raw.subarray(start, latin.indexOf('endstream', start))).toString('latin1');
    for (const re of content.matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re\b/g)) {
      rects.push(re.slice(1, 5).map(Number));
    }
  }
  const byHeight = Map.groupBy(rects, (r) => r[3]!.toFixed(3));
  const qr = [...byHeight.values()].sort((a, b) => b.length - a.length)[0]!;
  const cell = qr[0]![3]!;
  const x0 = Math.min(...qr.map((r) => r[0]!));
  const y0 = Math.min(...qr.map((r) => r[1]!));
  const size = Math.round((Math.max(...qr.map((r) => r[0]! + r[2]!)) - x0) / cell);
  const matrix = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  for (const [x, y, w] of qr) {
    const row = Math.round((y! - y0) / cell);
    const col = Math.round((x! - x0) / cell);
    for (let c = col; c < col + Math.round(w! / cell); c++) matrix[row]![c] = true;
  }
  return matrix;
}

function qrMatrixFor(text: string): boolean[][] {
  const { modules } = createQr(text, { errorCorrectionLevel: 'M' });
  return Array.from({ length: modules.size }, (_, row) =>
    Array.from({ length: modules.size }, (_, col) => Boolean(modules.data[row * modules.size + col])),
  );
}

describe('renderEReceipt', () => {
  it('prints the title, the three symbols, the collector, the payer, the fees and the total in words', async () => {
    const text = await textOf(await renderEReceipt(buildReceiptData(input)));

    for (const expected of [
      'BIÊN LAI THU PHÍ, LỆ PHÍ',
      'Ký hiệu mẫu: 01BLP0-001',
      'Ký hiệu: BL-26E',
      'Số: 0000042',
      'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG',
      `Mã số thuế: ${TAX_CODE}`,
      'Tên người nộp: Nguyễn Thị Hương',
      'Mã hồ sơ: 000.00.01.H26-261127-0042',
      'Lệ phí cấp bản sao trích lục hộ tịch',
      '250.000',
      'Phí thẩm định hồ sơ',
      'Tổng số tiền: 1.250.000 đồng',
      'Số tiền bằng chữ: Một triệu hai trăm năm mươi nghìn đồng',
      'Ngày 27 tháng 11 năm 2026',
      'Trực tuyến qua VNPay, mã giao dịch 14123456',
      'Thời điểm thanh toán: 09:15 ngày 27/11/2026',
      'Chữ ký số: Trung tâm Phục vụ hành chính công',
    ]) {
      expect(text).toContain(expected);
    }
    // The URL may wrap at a hyphen; it is whole once the line break is taken out.
    expect(text.replace(/\s+/g, '')).toContain(VERIFY_URL);
  });

  it('prints the payer ID with only its last 4 digits', async () => {
    const text = await textOf(await renderEReceipt(buildReceiptData(input)));

    expect(text).toContain('Số định danh cá nhân: ********2345');
    expect(text).not.toContain(FULL_ID);
  });

  it('prints no ID line when the payer gave none', async () => {
    const { idNumber: _, ...payer } = input.payer;
    const text = await textOf(await renderEReceipt(buildReceiptData({ ...input, payer })));

    expect(text).not.toContain('Số định danh cá nhân');
    expect(text).toContain('Tên người nộp: Nguyễn Thị Hương');
  });

  it('draws a QR code that encodes the verification URL, and links the URL', async () => {
    const pdf = await renderEReceipt(buildReceiptData(input));
    const { links } = await extractLinks(await getDocumentProxy(pdf.slice()));

    expect(qrMatrixOf(pdf)).toEqual(qrMatrixFor(VERIFY_URL));
    expect(qrMatrixOf(pdf)).not.toEqual(qrMatrixFor(`${VERIFY_URL}0`));
    expect(links).toContain(VERIFY_URL);
  });

  it('is a PDF whose metadata names the receipt and its date of issue', async () => {
    const pdf = await renderEReceipt(buildReceiptData(input));
    const { info } = await getMeta(await getDocumentProxy(pdf.slice()));

    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(info.Title).toBe('Biên lai thu phí, lệ phí - BL-26E - Số 0000042');
    expect(info.CreationDate).toContain('20261127022000');
    expect(info.Creator).toBe('motcua');
  });

  it('gives the same bytes for the same receipt, and other bytes for another number', async () => {
    const data = buildReceiptData(input);
    const [first, second] = await Promise.all([renderEReceipt(data), renderEReceipt(data)]);
    const other = await renderEReceipt(
      buildReceiptData({ ...input, receiptNumber: { ...input.receiptNumber, number: 43 } }),
    );

    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    expect(Buffer.from(first).equals(Buffer.from(other))).toBe(false);
  });

  it('refuses to print data whose total was altered after it was built', async () => {
    const data = buildReceiptData(input);

    await expect(renderEReceipt({ ...data, totalVnd: 1_000_000 })).rejects.toThrow(
      /not the sum of the items/,
    );
  });
});
