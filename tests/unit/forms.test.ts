// Forms 01–03 (Circular 03/2025/TT-VPCP): the PDFs carry the Vietnamese text exactly, the metadata and no whole ID.

import * as fontkit from 'fontkit';
import { extractLinks, extractText, getDocumentProxy, getMeta } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { loadFonts } from '../../shared/forms/fonts';
import {
  dateLine,
  formatDateTime,
  formatDay,
  formatVnd,
  maskIdNumber,
  renderReceiptSlip,
  renderRefusal,
  renderSupplementRequest,
} from '../../shared/forms/render';
import type {
  FormBase,
  ReceiptSlipInput,
  RefusalInput,
  SupplementRequestInput,
} from '../../shared/forms/types';

const FULL_ID = '001090012345';

const base: FormBase = {
  dossierCode: '000.00.01.H26-261127-0042',
  trackingUrl: 'https://dichvucong.hanoi.gov.vn/tra-cuu?ma=000.00.01.H26-261127-0042&k=K7Q2-9XMP',
  lookupKey: 'K7Q2-9XMP',
  issuedAt: '2026-11-27T02:15:00Z',
  unit: {
    name: 'Chi nhánh số 1',
    parentName: 'Trung tâm Phục vụ hành chính công thành phố Hà Nội',
    phone: '024 3825 1234',
    locality: 'Hà Nội',
  },
  procedure: { code: '1.001193', name: 'Đăng ký khai sinh' },
  applicant: {
    fullName: 'Nguyễn Thị Hương',
    idNumberMasked: '0010******45',
    address: 'Số 5 ngõ 12 phố Đội Cấn, phường Ba Đình',
    phone: '0912 345 678',
  },
  officer: { fullName: 'Trần Văn Đức' },
};

const receipt: ReceiptSlipInput = {
  ...base,
  receivedAt: '2026-11-27T02:15:00Z',
  appointmentDay: '2026-12-02',
  statutoryWorkingDays: 3,
  resultChannel: 'Nhận trực tiếp tại Bộ phận Một cửa',
  feesVnd: 8000,
  documents: [
    { name: 'Tờ khai đăng ký khai sinh', copies: 1, form: 'original' },
    { name: 'Giấy chứng sinh', copies: 1, form: 'original' },
    { name: 'Giấy chứng nhận kết hôn của cha, mẹ', copies: 2, form: 'certified-copy' },
  ],
};

const supplement: SupplementRequestInput = {
  ...base,
  requestedAt: '2026-11-27T03:40:00Z',
  deadlineDay: '2026-12-04',
  items: [{ name: 'Giấy chứng sinh', reason: 'Bản chụp mờ, không đọc được.' }],
};

const refusal: RefusalInput = {
  ...base,
  refusedAt: '2026-11-27T04:05:00Z',
  reason: 'Hồ sơ không thuộc thẩm quyền.',
  legalBasis: 'Điều 13 Luật Hộ tịch năm 2014',
};

// pdf.js takes ownership of the buffer it reads, so each read gets its own copy.
async function textOf(pdf: Uint8Array): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(pdf.slice()), { mergePages: true });
  return text;
}

function header(pdf: Uint8Array): string {
  return Buffer.from(pdf.subarray(0, 5)).toString('latin1');
}

describe('renderReceiptSlip', () => {
  it('renders Vietnamese diacritics in the receipt slip', async () => {
    const text = await textOf(await renderReceiptSlip(receipt));

    for (const expected of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG',
      'CHI NHÁNH SỐ 1',
      'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      'Hà Nội, ngày 27 tháng 11 năm 2026',
      'Mã hồ sơ: 000.00.01.H26-261127-0042',
      'Nguyễn Thị Hương',
      'Đăng ký khai sinh',
      'Bản sao chứng thực',
      'Thời gian nhận hồ sơ: 09:15 ngày 27/11/2026',
      'Thời gian trả kết quả giải quyết hồ sơ: ngày 02/12/2026',
      '03 ngày làm việc',
      '8.000 đồng',
      'NGƯỜI NỘP HỒ SƠ',
      'NGƯỜI TIẾP NHẬN HỒ SƠ',
      'Trần Văn Đức',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('is a PDF whose metadata names the form, the dossier and motcua', async () => {
    const pdf = await renderReceiptSlip(receipt);
    const { info } = await getMeta(await getDocumentProxy(pdf.slice()));

    expect(header(pdf)).toBe('%PDF-');
    expect(info.Title).toContain('Mẫu số 01');
    expect(info.Title).toContain(receipt.dossierCode);
    expect(info.Creator).toBe('motcua');
  });

  it('prints the tracking URL and lookup key beside the QR code and links the URL', async () => {
    const pdf = await renderReceiptSlip(receipt);
    const text = await textOf(pdf);
    const { links } = await extractLinks(await getDocumentProxy(pdf.slice()));

    expect(text).toContain(receipt.trackingUrl);
    expect(text).toContain('Mã tra cứu: K7Q2-9XMP');
    expect(links).toContain(receipt.trackingUrl);
  });

  it('never prints the whole ID number when a masked one is passed', async () => {
    const text = await textOf(await renderReceiptSlip(receipt));

    expect(text).toContain('0010******45');
    expect(text).not.toContain(FULL_ID);
  });

  it('masks an ID number the caller forgot to mask', async () => {
    const unmasked = { ...receipt, applicant: { ...receipt.applicant, idNumberMasked: FULL_ID } };
    const text = await textOf(await renderReceiptSlip(unmasked));

    expect(text).not.toContain(FULL_ID);
    expect(text).toContain('0010******45');
  });

  it('gives the same bytes for the same input', async () => {
    const [first, second] = await Promise.all([renderReceiptSlip(receipt), renderReceiptSlip(receipt)]);

    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });

  it('prints a free procedure as free and keeps a long document list readable across pages', async () => {
    const documents = Array.from({ length: 30 }, (_, i) => ({
      name: `Giấy tờ kèm theo số ${i + 1}`,
      copies: 1,
      form: 'copy' as const,
    }));
    const pdf = await renderReceiptSlip({ ...receipt, documents, feesVnd: 0 });
    const text = await textOf(pdf);

    expect(text).toContain('Giấy tờ kèm theo số 30');
    expect(text).toContain('Không thu phí, lệ phí');
    expect(text).toContain('NGƯỜI TIẾP NHẬN HỒ SƠ');
  });

  it('rejects an appointment day that is not YYYY-MM-DD', async () => {
    await expect(renderReceiptSlip({ ...receipt, appointmentDay: '02/12/2026' })).rejects.toThrow(
      /appointmentDay/,
    );
  });
});

describe('renderSupplementRequest', () => {
  it('renders Vietnamese diacritics in the supplement request', async () => {
    const pdf = await renderSupplementRequest(supplement);
    const text = await textOf(pdf);

    expect(header(pdf)).toBe('%PDF-');
    for (const expected of [
      'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
      'Hồ sơ của: Nguyễn Thị Hương',
      'Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:',
      '1. Giấy chứng sinh',
      'Lý do: Bản chụp mờ, không đọc được.',
      'đến hết ngày 04/12/2026',
      'Thời gian yêu cầu: 10:40 ngày 27/11/2026',
      'NGƯỜI HƯỚNG DẪN',
      receipt.dossierCode,
      receipt.trackingUrl,
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain(FULL_ID);
  });
});

describe('renderRefusal', () => {
  it('renders Vietnamese diacritics in the refusal', async () => {
    const pdf = await renderRefusal(refusal);
    const text = await textOf(pdf);
    const { info } = await getMeta(await getDocumentProxy(pdf.slice()));

    expect(header(pdf)).toBe('%PDF-');
    expect(info.Title).toContain('Mẫu số 03');
    for (const expected of [
      'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
      'Chi nhánh số 1 tiếp nhận hồ sơ của: Nguyễn Thị Hương',
      'Hồ sơ không thuộc thẩm quyền.',
      'Căn cứ: Điều 13 Luật Hộ tịch năm 2014',
      'Xin thông báo để Ông/Bà được biết và thực hiện./.',
      'NGƯỜI TIẾP NHẬN HỒ SƠ',
    ]) {
      expect(text).toContain(expected);
    }
  });
});

describe('form formatting', () => {
  it('writes VND with dot thousands separators', () => {
    expect(formatVnd(8000)).toBe('8.000 đồng');
    expect(formatVnd(1234567)).toBe('1.234.567 đồng');
    expect(formatVnd(500)).toBe('500 đồng');
  });

  it('refuses a VND amount that is not a non-negative integer', () => {
    expect(() => formatVnd(1.5)).toThrow(RangeError);
    expect(() => formatVnd(-1)).toThrow(RangeError);
  });

  it('prints instants in Hanoi time, crossing midnight when UTC does not', () => {
    expect(formatDateTime(new Date('2026-02-05T17:30:00Z'))).toBe('00:30 ngày 06/02/2026');
  });

  it('pads days below 10 and months 1–2 in the date line, not other months', () => {
    expect(dateLine('Hà Nội', new Date('2026-02-05T03:00:00Z'))).toBe('Hà Nội, ngày 05 tháng 02 năm 2026');
    expect(dateLine(undefined, new Date('2026-03-09T03:00:00Z'))).toBe('Ngày 09 tháng 3 năm 2026');
  });

  it('turns a calendar day into dd/mm/yyyy without a time-zone shift', () => {
    expect(formatDay('2026-12-02', 'day')).toBe('02/12/2026');
  });

  it('masks runs of nine or more digits and leaves masked numbers alone', () => {
    expect(maskIdNumber(FULL_ID)).toBe('0010******45');
    expect(maskIdNumber('0010******45')).toBe('0010******45');
  });
});

describe('form fonts', () => {
  it('unpacks both weights as TrueType fonts named DejaVu Sans', () => {
    const fonts = loadFonts();
    for (const [weight, bytes] of Object.entries(fonts)) {
      expect(bytes.readUInt32BE(0), weight).toBe(0x00010000);
      expect(fontkit.create(bytes).familyName, weight).toBe('DejaVu Sans');
    }
  });

  it('keeps every Vietnamese letter, tone mark and the đồng sign, in both weights', () => {
    const base = 'aăâeêioôơuưyAĂÂEÊIOÔƠUƯYđĐ';
    // Each vowel with its five tones, precomposed (NFC) as typed, and the combining marks for decomposed text.
    const toned = [...base].flatMap((letter) =>
      ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'].map((mark) => (letter + mark).normalize('NFC')),
    );
    const wanted = [
      ...base,
      ...toned,
      '\u0300',
      '\u0301',
      '\u0303',
      '\u0309',
      '\u0323',
      '₫',
      '–',
      '“',
      '”',
      '…',
    ]
      .filter((ch) => [...ch].length === 1)
      .map((ch) => ch.codePointAt(0)!);
    for (const [weight, bytes] of Object.entries(loadFonts())) {
      const font = fontkit.create(bytes);
      const missing = wanted.filter((cp) => !font.hasGlyphForCodePoint(cp));
      expect(
        missing.map((cp) => String.fromCodePoint(cp)),
        weight,
      ).toEqual([]);
    }
  });

  it('ships subsets far smaller than the DejaVu files they are cut from', () => {
    const fonts = loadFonts();
    expect(fonts.regular.length).toBeLessThan(200_000);
    expect(fonts.bold.length).toBeLessThan(200_000);
  });
});
